// The reply table the oracle and the property suites share, at its
// boundaries: only an exact RST resets, a SYN is always challenged, an
// unacceptable segment is ACKed, and only pure ACKs and challenges may be
// rate-limited.
#include "oracle/reply_model.h"

#include <gtest/gtest.h>

namespace tcpfuzz::oracle {
namespace {

TEST(ReplyModel, ARstResetsOnlyAtRcvNxt) {
  EXPECT_EQ(owed_reply(SegmentKind::kRst, Placement::kExact, false), Reply::kResetAccepted);
  EXPECT_EQ(owed_reply(SegmentKind::kRst, Placement::kInWindow, false), Reply::kChallengeAck);
  EXPECT_EQ(owed_reply(SegmentKind::kRst, Placement::kBeyondWindow, false), Reply::kSilentDrop);
  EXPECT_EQ(owed_reply(SegmentKind::kRst, Placement::kOld, false), Reply::kSilentDrop);
}

TEST(ReplyModel, ARstAtRcvNxtMinusOneResetsOnceThePeersFinIsIn) {
  EXPECT_EQ(owed_reply(SegmentKind::kRst, Placement::kExactMinusOne, true), Reply::kResetAccepted);
  EXPECT_EQ(owed_reply(SegmentKind::kRst, Placement::kExactMinusOne, false), Reply::kSilentDrop);
}

TEST(ReplyModel, ASynIsChallengedWhereverItFalls) {
  for (const Placement p : {Placement::kExact, Placement::kInWindow, Placement::kBeyondWindow,
                            Placement::kOld, Placement::kWrapped}) {
    EXPECT_EQ(owed_reply(SegmentKind::kSyn, p, false), Reply::kChallengeAck) << to_string(p);
  }
}

TEST(ReplyModel, UnacceptableSegmentsAreAckedAndDropped) {
  for (const SegmentKind k :
       {SegmentKind::kAck, SegmentKind::kData, SegmentKind::kFin, SegmentKind::kAckOfUnsent}) {
    EXPECT_EQ(owed_reply(k, Placement::kBeyondWindow, false), Reply::kAckAndDrop) << to_string(k);
    EXPECT_EQ(owed_reply(k, Placement::kOld, false), Reply::kAckAndDrop) << to_string(k);
    EXPECT_EQ(owed_reply(k, Placement::kExactMinusOne, false), Reply::kAckAndDrop);
  }
  EXPECT_EQ(owed_reply(SegmentKind::kData, Placement::kInWindow, false), Reply::kAccept);
  EXPECT_EQ(owed_reply(SegmentKind::kAckOfUnsent, Placement::kExact, false), Reply::kChallengeAck);
}

TEST(ReplyModel, OnlyPureAcksAndChallengesAreRateLimited) {
  EXPECT_TRUE(rate_limitable(SegmentKind::kAck, Reply::kAckAndDrop));
  EXPECT_FALSE(rate_limitable(SegmentKind::kData, Reply::kAckAndDrop));
  EXPECT_FALSE(rate_limitable(SegmentKind::kFin, Reply::kAckAndDrop));
  EXPECT_TRUE(rate_limitable(SegmentKind::kSyn, Reply::kChallengeAck));
  EXPECT_FALSE(rate_limitable(SegmentKind::kData, Reply::kAccept));
}

}  // namespace
}  // namespace tcpfuzz::oracle
