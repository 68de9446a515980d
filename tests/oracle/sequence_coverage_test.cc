#include "oracle/sequence_coverage.h"

#include <gtest/gtest.h>

namespace tcpfuzz::oracle {
namespace {

TEST(SequenceCoverage, StartsWithTheSynAlone) {
  SequenceCoverage c;
  c.reset(1000);
  EXPECT_TRUE(c.covers_up_to(1001));
  EXPECT_FALSE(c.covers_up_to(1002));
  EXPECT_FALSE(c.covers_up_to(999));
}

TEST(SequenceCoverage, AGapHoldsTheEndUntilFilled) {
  SequenceCoverage c;
  c.reset(1000);
  c.add(1101, 100);  // [1101, 1201) beyond the gap [1001, 1101)
  EXPECT_EQ(c.contiguous_end(), 1001u);
  EXPECT_FALSE(c.covers_up_to(1201));
  c.add(1001, 100);
  EXPECT_EQ(c.contiguous_end(), 1201u);
}

TEST(SequenceCoverage, WrapsAroundTwoToTheThirtyTwo) {
  SequenceCoverage c;
  c.reset(0xFFFFFF00u);
  c.add(0xFFFFFF01u, 0x200);  // ends at 0x101 after the wrap
  EXPECT_EQ(c.contiguous_end(), 0x101u);
  EXPECT_TRUE(c.covers_up_to(0x101u));
  EXPECT_FALSE(c.covers_up_to(0x102u));
}

TEST(SequenceCoverage, ManyPiecesOnlyEverGrowIt) {
  SequenceCoverage c;
  c.reset(0);
  for (uint32_t i = 0; i < 100; ++i) c.add(10 + i * 20, 10);  // a hole every 10 bytes
  EXPECT_EQ(c.contiguous_end(), 1u);
  c.add(1, 9);
  // Merged holes may now count as covered, never the other way round.
  EXPECT_GE(c.contiguous_end(), 20u);
}

}  // namespace
}  // namespace tcpfuzz::oracle
