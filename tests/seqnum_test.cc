#include "stack/seqnum/seqnum.h"

#include <gtest/gtest.h>

namespace netstack::seqnum {
namespace {

TEST(SeqnumTest, LessThanAcrossTheWrap) {
  EXPECT_TRUE(Value(0xffffffff).less_than(Value(0)));
  EXPECT_FALSE(Value(0).less_than(Value(0xffffffff)));
  EXPECT_TRUE(Value(0xfffffff0).less_than(Value(0x10)));
  EXPECT_TRUE(Value(0x10).greater_than(Value(0xfffffff0)));
  EXPECT_FALSE(Value(5).less_than(Value(5)));
  EXPECT_TRUE(Value(5).less_equal(Value(5)));
  EXPECT_TRUE(Value(5).greater_equal(Value(5)));
  EXPECT_TRUE(Value(0xffffffff).less_equal(Value(0)));
  EXPECT_FALSE(Value(0).less_equal(Value(0xffffffff)));
}

TEST(SeqnumTest, OrderFlipsBeyondHalfTheSpace) {
  // 0x7fffffff apart is still "forward"; 0x80000001 apart reads as backward.
  EXPECT_TRUE(Value(0).less_than(Value(0x7fffffff)));
  EXPECT_TRUE(Value(0x80000001).less_than(Value(0)));
  EXPECT_TRUE(Value(0xffffffff).less_than(Value(0x7ffffffe)));
}

TEST(SeqnumTest, AddAndSubWrap) {
  EXPECT_EQ(Value(0xfffffff0).add(Size(0x20)), Value(0x10));
  EXPECT_EQ(Value(0x10).sub(Size(0x20)), Value(0xfffffff0));
  EXPECT_EQ(Value(0xffffffff).add(Size(1)), Value(0));
}

TEST(SeqnumTest, SizeToAcrossTheWrap) {
  EXPECT_EQ(Value(0xfffffff0).size_to(Value(0x10)), Size(0x20));
  EXPECT_EQ(Value(7).size_to(Value(7)), Size(0));
  EXPECT_EQ(Value(1).size_to(Value(0)), Size(0xffffffff));
}

TEST(SeqnumTest, SizeArithmetic) {
  EXPECT_EQ(Size(3) + Size(4), Size(7));
  EXPECT_EQ(Size(3) - Size(4), Size(0xffffffff));
  EXPECT_LT(Size(3), Size(4));
}

TEST(SeqnumTest, InWindowAcrossTheWrap) {
  const Value first(0xfffffffe);
  const Size size(4);  // covers fffffffe, ffffffff, 0, 1
  EXPECT_FALSE(Value(0xfffffffd).in_window(first, size));
  EXPECT_TRUE(Value(0xfffffffe).in_window(first, size));
  EXPECT_TRUE(Value(0xffffffff).in_window(first, size));
  EXPECT_TRUE(Value(0).in_window(first, size));
  EXPECT_TRUE(Value(1).in_window(first, size));
  EXPECT_FALSE(Value(2).in_window(first, size));
}

TEST(SeqnumTest, EmptyWindowContainsNothing) {
  EXPECT_FALSE(Value(5).in_window(Value(5), Size(0)));
}

TEST(SeqnumTest, InRangeIsHalfOpen) {
  EXPECT_TRUE(Value(0xffffffff).in_range(Value(0xffffffff), Value(2)));
  EXPECT_TRUE(Value(1).in_range(Value(0xffffffff), Value(2)));
  EXPECT_FALSE(Value(2).in_range(Value(0xffffffff), Value(2)));
  EXPECT_FALSE(Value(0xfffffffe).in_range(Value(0xffffffff), Value(2)));
  EXPECT_FALSE(Value(3).in_range(Value(3), Value(3)));
}

TEST(SeqnumTest, UpdateForwardOnlyMovesForward) {
  Value v(0xfffffff0);
  EXPECT_TRUE(v.update_forward(Value(0x10)));
  EXPECT_EQ(v, Value(0x10));
  EXPECT_FALSE(v.update_forward(Value(0xfffffff0)));
  EXPECT_EQ(v, Value(0x10));
  EXPECT_FALSE(v.update_forward(Value(0x10)));
}

// RFC 9293 section 3.10.7.4, the four cases, with RCV.NXT just before the wrap.
constexpr Value kRcvNxt(0xfffffffc);

TEST(SeqnumTest, AcceptabilityZeroLengthZeroWindow) {
  EXPECT_TRUE(overlaps_window(kRcvNxt, Size(0), kRcvNxt, Size(0)));
  EXPECT_FALSE(overlaps_window(kRcvNxt.add(Size(1)), Size(0), kRcvNxt, Size(0)));
}

TEST(SeqnumTest, AcceptabilityZeroLengthOpenWindow) {
  // RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND, window 8 spans the wrap.
  EXPECT_TRUE(overlaps_window(kRcvNxt, Size(0), kRcvNxt, Size(8)));
  EXPECT_TRUE(overlaps_window(Value(3), Size(0), kRcvNxt, Size(8)));
  EXPECT_FALSE(overlaps_window(Value(4), Size(0), kRcvNxt, Size(8)));
  EXPECT_FALSE(overlaps_window(kRcvNxt.sub(Size(1)), Size(0), kRcvNxt, Size(8)));
}

TEST(SeqnumTest, AcceptabilityDataZeroWindow) {
  EXPECT_FALSE(overlaps_window(kRcvNxt, Size(1), kRcvNxt, Size(0)));
}

TEST(SeqnumTest, AcceptabilityDataOpenWindow) {
  // Starts in the window.
  EXPECT_TRUE(overlaps_window(Value(3), Size(100), kRcvNxt, Size(8)));
  // Starts before, last byte (SEG.SEQ+SEG.LEN-1 = 0xfffffffc) in the window.
  EXPECT_TRUE(overlaps_window(Value(0xfffffff0), Size(13), kRcvNxt, Size(8)));
  // Ends just before the window.
  EXPECT_FALSE(overlaps_window(Value(0xfffffff0), Size(12), kRcvNxt, Size(8)));
  // Starts at the right edge.
  EXPECT_FALSE(overlaps_window(Value(4), Size(1), kRcvNxt, Size(8)));
}

}  // namespace
}  // namespace netstack::seqnum
