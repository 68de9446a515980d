// SackList against the behaviour tcpfuzz diff observed on Linux 6.18: the
// block an arrival touches grows and moves to the front, swallowing the
// blocks it reaches; a new block goes in front and a full list forgets its
// oldest; RCV.NXT removes what it passed.
#include "stack/tcp/sack_list.h"

#include <gtest/gtest.h>

#include <vector>

namespace netstack::tcp {
namespace {

using header::SackBlock;
using seqnum::Value;

std::vector<SackBlock> blocks(const SackList& l) {
  return {l.blocks().begin(), l.blocks().end()};
}

TEST(SackList, NewBlocksGoInFrontMostRecentFirst) {
  SackList l;
  l.add(Value(100), Value(200));
  l.add(Value(300), Value(400));
  l.add(Value(500), Value(600));
  EXPECT_EQ(blocks(l), (std::vector<SackBlock>{{500, 600}, {300, 400}, {100, 200}}));
}

TEST(SackList, AnArrivalThatTouchesABlockGrowsItAndMovesItToTheFront) {
  SackList l;
  l.add(Value(2), Value(4));
  l.add(Value(154), Value(304));
  // 4:104 touches 2:4 (a FIN's sequence number ends it): one block 2:104.
  l.add(Value(4), Value(104));
  EXPECT_EQ(blocks(l), (std::vector<SackBlock>{{2, 104}, {154, 304}}));
}

TEST(SackList, TheGrownFrontBlockSwallowsTheBlocksItReaches) {
  SackList l;
  l.add(Value(5), Value(7));
  l.add(Value(153), Value(303));
  // 3:258 grows 153:303 to 3:303, which now holds 5:7 as well.
  l.add(Value(3), Value(258));
  EXPECT_EQ(blocks(l), (std::vector<SackBlock>{{3, 303}}));
}

TEST(SackList, ADuplicateArrivalStillMovesItsBlockToTheFront) {
  SackList l;
  l.add(Value(100), Value(200));
  l.add(Value(300), Value(400));
  l.add(Value(120), Value(150));
  EXPECT_EQ(blocks(l), (std::vector<SackBlock>{{100, 200}, {300, 400}}));
}

TEST(SackList, AFullListForgetsItsOldestBlock) {
  SackList l;
  l.add(Value(100), Value(110));
  for (uint32_t s : {200u, 300u, 400u, 500u}) l.add(Value(s), Value(s + 10));
  ASSERT_EQ(l.blocks().size(), SackList::kMaxBlocks);
  EXPECT_EQ(blocks(l), (std::vector<SackBlock>{{500, 510}, {400, 410}, {300, 310}, {200, 210}}));
}

TEST(SackList, RcvNxtRemovesTheBlocksItReachedAndKeepsTheOrder) {
  SackList l;
  l.add(Value(100), Value(200));
  l.add(Value(300), Value(400));
  l.add(Value(500), Value(600));
  l.remove_through(Value(300));
  EXPECT_EQ(blocks(l), (std::vector<SackBlock>{{500, 600}}));
}

TEST(SackList, BlocksAcrossTheSequenceWrapMerge) {
  SackList l;
  l.add(Value(0xFFFFFFF0u), Value(0xFFFFFFFAu));
  l.add(Value(0xFFFFFFFAu), Value(20));
  EXPECT_EQ(blocks(l), (std::vector<SackBlock>{{0xFFFFFFF0u, 20}}));
  l.clear();
  EXPECT_TRUE(l.empty());
}

}  // namespace
}  // namespace netstack::tcp
