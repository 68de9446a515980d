// The files scripts make with dd and rm, for open() and sendfile().
#include "fuzz/scenario/emulated_files.h"

#include <gtest/gtest.h>

namespace tcpfuzz::scenario {
namespace {

TEST(EmulatedFiles, DdOfZerosMakesAFileOfBlocksTimesCount) {
  EmulatedFiles files;
  EXPECT_TRUE(files.run_command("/bin/dd bs=1 count=5 if=/dev/zero of=/tmp/f status=none"));
  ASSERT_TRUE(files.open(5, "/tmp/f"));
  EXPECT_TRUE(files.is_open(5));
  EXPECT_EQ(files.size(5), 5u);
  EXPECT_TRUE(files.run_command("dd if=/dev/zero of=/tmp/g bs=1000 count=3"));
  ASSERT_TRUE(files.open(6, "/tmp/g"));
  EXPECT_EQ(files.size(6), 3000u);
}

TEST(EmulatedFiles, RmRemovesAndMissingFilesDoNotOpen) {
  EmulatedFiles files;
  ASSERT_TRUE(files.run_command("dd bs=1 count=1 if=/dev/zero of=/tmp/f"));
  EXPECT_TRUE(files.run_command("/bin/rm -f /tmp/f"));
  EXPECT_FALSE(files.open(5, "/tmp/f"));
  EXPECT_FALSE(files.is_open(5));
  EXPECT_EQ(files.size(5), std::nullopt);
}

TEST(EmulatedFiles, OnlyZerosOfAKnownLengthAreEmulated) {
  EmulatedFiles files;
  EXPECT_FALSE(files.run_command("dd bs=1 count=5 if=/dev/urandom of=/tmp/f"));
  EXPECT_FALSE(files.run_command("dd if=/dev/zero of=/tmp/f"));  // no count: unbounded
  EXPECT_FALSE(files.run_command("dd bs=1 count=5 if=/dev/zero of=/tmp/f conv=notrunc"));
  EXPECT_FALSE(files.run_command("cat /dev/zero"));
}

TEST(EmulatedFiles, CloseForgetsTheDescriptor) {
  EmulatedFiles files;
  ASSERT_TRUE(files.run_command("dd bs=2 count=2 if=/dev/zero of=/tmp/f"));
  ASSERT_TRUE(files.open(7, "/tmp/f"));
  EXPECT_TRUE(files.close(7));
  EXPECT_FALSE(files.close(7));
}

}  // namespace
}  // namespace tcpfuzz::scenario
