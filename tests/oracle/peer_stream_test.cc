#include "oracle/peer_stream.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace tcpfuzz::oracle {
namespace {

TEST(PeerStream, BytesReadAsOfferedMatch) {
  PeerStream s;
  const std::array<uint8_t, 4> data{1, 2, 3, 4};
  s.offer(10, data);
  EXPECT_FALSE(s.first_mismatch(10, data));
  EXPECT_TRUE(s.offered(13));
  EXPECT_FALSE(s.offered(14));
  EXPECT_FALSE(s.offered(9));
}

TEST(PeerStream, TheFirstDifferingByteIsNamed) {
  PeerStream s;
  s.offer(0, std::array<uint8_t, 3>{1, 2, 3});
  EXPECT_EQ(s.first_mismatch(1, std::array<uint8_t, 2>{2, 9}), 2u);
}

TEST(PeerStream, BytesNeverOfferedOrOfferedTwiceDifferentlyAreNotJudged) {
  PeerStream s;
  s.offer(0, std::array<uint8_t, 2>{1, 2});
  s.offer(1, std::array<uint8_t, 2>{7, 8});  // offset 1: 2 then 7
  EXPECT_FALSE(s.first_mismatch(0, std::array<uint8_t, 4>{1, 7, 8, 5}));
  EXPECT_FALSE(s.first_mismatch(0, std::array<uint8_t, 4>{1, 2, 8, 5}));
  EXPECT_EQ(s.first_mismatch(0, std::array<uint8_t, 3>{1, 2, 9}), 2u);
}

TEST(PeerStream, BeyondTheSpanEverythingMayHaveBeenOffered) {
  PeerStream s;
  s.offer(PeerStream::kSpan - 1, std::array<uint8_t, 2>{1, 2});
  EXPECT_TRUE(s.offered(PeerStream::kSpan - 1));
  EXPECT_TRUE(s.offered(PeerStream::kSpan + 5));
  EXPECT_FALSE(s.first_mismatch(PeerStream::kSpan - 1, std::array<uint8_t, 2>{1, 9}));
}

TEST(PeerStream, WhatWasReadIsForgottenAndTheSpanMovesOn) {
  PeerStream s;
  std::vector<uint8_t> first(8192, 7);
  s.offer(0, first);
  s.consume_to(8192);
  EXPECT_TRUE(s.offered(100));                        // read: it was offered
  s.offer(8190, std::array<uint8_t, 4>{7, 7, 3, 4});  // the first two were read already
  EXPECT_EQ(s.first_mismatch(8192, std::array<uint8_t, 2>{3, 5}), 8193u);
  s.offer(8192 + PeerStream::kSpan - 1, std::array<uint8_t, 1>{9});
  EXPECT_EQ(s.first_mismatch(8192 + PeerStream::kSpan - 1, std::array<uint8_t, 1>{8}),
            8192 + PeerStream::kSpan - 1);
}

}  // namespace
}  // namespace tcpfuzz::oracle
