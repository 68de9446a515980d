// OutOfOrderFins: every FIN queued ahead of a gap stays with its segment,
// lowest first, until a covering segment replaces that segment or RCV.NXT
// passes it (Linux tcp_data_queue_ofo(), tcp_ofo_queue()).
#include "stack/tcp/out_of_order_fins.h"

#include <gtest/gtest.h>

namespace netstack::tcp {
namespace {

using seqnum::Value;

TEST(OutOfOrderFins, KeepsEveryFinLowestFirstAndEachOnce) {
  OutOfOrderFins fins;
  EXPECT_TRUE(fins.empty());
  fins.on_queued(Value(2001), Value(2012), Value(2011));
  fins.on_queued(Value(1001), Value(1012), Value(1011));
  ASSERT_TRUE(fins.first());
  EXPECT_EQ(fins.first()->at, Value(1011));
  EXPECT_EQ(fins.first()->skb, Value(1001));
  // The same FIN again keeps its place and its segment.
  fins.on_queued(Value(1005), Value(1012), Value(1011));
  EXPECT_EQ(fins.first()->skb, Value(1001));
  // A duplicate of the higher one ends where it does.
  auto found = fins.find_in(Value(2001), Value(2012), [](Value) { return true; });
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, Value(2011));
  EXPECT_FALSE(fins.find_in(Value(1500), Value(2000), [](Value) { return true; }));
}

TEST(OutOfOrderFins, ACoveringSegmentReplacesTheFinsSegmentAndTheNextIsFirst) {
  OutOfOrderFins fins;
  fins.on_queued(Value(1001), Value(1012), Value(1011));
  fins.on_queued(Value(2001), Value(2012), Value(2011));
  // Starting with the FIN's segment but reaching only to the FIN: kept.
  fins.on_queued(Value(1001), Value(1012), std::nullopt);
  EXPECT_EQ(fins.first_at(), Value(1011));
  // Starting with it and reaching further: replaced.
  fins.on_queued(Value(1001), Value(1501), std::nullopt);
  EXPECT_EQ(fins.first_at(), Value(2011));
  // Starting before it and reaching past the FIN: replaced.
  fins.on_queued(Value(1900), Value(2012), std::nullopt);
  EXPECT_TRUE(fins.empty());
}

TEST(OutOfOrderFins, FinsBelowRcvNxtGo) {
  OutOfOrderFins fins;
  fins.on_queued(Value(1001), Value(1012), Value(1011));
  fins.on_queued(Value(2001), Value(2012), Value(2011));
  fins.drop_below(Value(1500));
  EXPECT_EQ(fins.first_at(), Value(2011));
  fins.drop_below(Value(2011));
  EXPECT_EQ(fins.first_at(), Value(2011)) << "a FIN at RCV.NXT is taken, not dropped";
  fins.clear();
  EXPECT_FALSE(fins.first_at());
}

}  // namespace
}  // namespace netstack::tcp
