#include "oracle/peer_stream.h"

#include <gtest/gtest.h>

#include <array>

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

TEST(PeerStream, BeyondTheLimitEverythingMayHaveBeenOffered) {
  PeerStream s;
  s.offer(PeerStream::kLimit - 1, std::array<uint8_t, 2>{1, 2});
  EXPECT_TRUE(s.offered(PeerStream::kLimit - 1));
  EXPECT_TRUE(s.offered(PeerStream::kLimit + 5));
  EXPECT_FALSE(s.first_mismatch(PeerStream::kLimit - 1, std::array<uint8_t, 2>{1, 9}));
}

}  // namespace
}  // namespace tcpfuzz::oracle
