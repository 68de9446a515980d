// What the stack delivers and sends on its own: read() returns the peer's
// bytes; written data leaves once nothing is in flight (the probe timer);
// an idle connection with keepalive on probes in time.
#include <gtest/gtest.h>

#include <string_view>

#include "tests/oracle/oracle_fixture.h"

namespace tcpfuzz::oracle {
namespace {

namespace flag = netstack::header::tcp_flag;
using namespace test_support;  // NOLINT(google-build-using-namespace)
using netstack::tcp::CallArgs;
using netstack::tcp::SockOpt;

CallArgs bytes(std::string_view s) {
  return CallArgs{.bytes = {reinterpret_cast<const uint8_t*>(s.data()), s.size()}};
}
CallArgs option(SockOpt o, int value) {
  return CallArgs{.option = o, .value = value};
}

TEST_F(OracleTest, ReadReturningThePeersBytesPasses) {
  establish();
  peer_data(40, {.seq = 1001, .ack = 5101}, "hello");
  peer_data(41, {.seq = 1006, .ack = 5101}, "world");
  stack(41, {.seq = 5101, .ack = 1011});
  call(50, "peek", 3, bytes("hel"));
  call(50, "read", 7, bytes("hellowo"));
  call(50, "read", 3, bytes("rld"));
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, ReadReturningOtherBytesIsCaught) {
  establish();
  peer_data(40, {.seq = 1001, .ack = 5101}, "hello");
  stack(40, {.seq = 5101, .ack = 1006});
  call(50, "read", 5, bytes("hellO"));
  EXPECT_EQ(rule(), "oracle: read-wrong-bytes");
}

TEST_F(OracleTest, ReadAtTheWrongOffsetIsCaught) {
  establish();
  peer_data(40, {.seq = 1001, .ack = 5101}, "abcdef");
  stack(40, {.seq = 5101, .ack = 1007});
  call(50, "read", 3, bytes("abc"));
  call(50, "read", 3, bytes("abc"));  // the same bytes again, not "def"
  EXPECT_EQ(rule(), "oracle: read-wrong-bytes");
}

TEST_F(OracleTest, BytesOfferedTwiceDifferentlyAreEitherCopy) {
  establish();
  peer_data(40, {.seq = 1003, .ack = 5101}, "XYZ");   // out of order
  peer_data(41, {.seq = 1001, .ack = 5101}, "abcd");  // overlaps "X" with "c", "Y" with "d"
  stack(41, {.seq = 5101, .ack = 1006});
  call(50, "read", 5, bytes("abXYZ"));
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, ASegmentStartingBeforeTheStreamCountsFromItsFirstByte) {
  establish();
  peer_data(40, {.seq = 1003, .ack = 5101}, "xy");       // out of order, offsets 2-3
  peer_data(41, {.seq = 999, .ack = 5101}, "..abcdef");  // the SYN's place and before: not data
  stack(41, {.seq = 5101, .ack = 1007});
  call(50, "read", 6, bytes("abcdef"));  // "cd" or "xy" at offsets 2-3: either copy
  EXPECT_EQ(rule(), "none");
  call(51, "peek", 0);
  peer_data(60, {.seq = 995, .ack = 5101}, "......abcdefg");
  stack(60, {.seq = 5101, .ack = 1008});
  call(70, "read", 1, bytes("h"));  // offset 6 was "g"
  EXPECT_EQ(rule(), "oracle: read-wrong-bytes");
}

TEST_F(OracleTest, UrgentDataLeavesTheStreamUnjudged) {
  // Linux takes the urgent byte out of the stream (no SO_OOBINLINE).
  establish();
  peer_data(40, {.flags = flag::kAck | flag::kUrg, .seq = 1001, .ack = 5101}, "abc");
  stack(40, {.seq = 5101, .ack = 1004});
  call(50, "read", 2, bytes("ab"));
  call(50, "read", 1, bytes("c"));
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, WrittenDataNeverSentIsCaught) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .window = 0});
  call(50, "write", 400);  // 300 bytes past the 100 already sent
  // No RTT sample exceeds 40 ms: any probe timer runs at most 3 s, 6 s with a TLP's slack.
  clock(6050);
  EXPECT_EQ(rule(), "none");
  clock(6051);
  EXPECT_EQ(rule(), "oracle: unsent-data-stalled");
}

TEST_F(OracleTest, ZeroWindowProbesBackingOffPass) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .window = 0});
  call(50, "write", 400);
  stack(3050, {.seq = 5100, .ack = 1001});  // probe: SND.UNA - 1
  peer(3060, {.seq = 1001, .ack = 5101, .window = 0});
  stack(9060, {.seq = 5100, .ack = 1001});
  peer(9070, {.seq = 1001, .ack = 5101, .window = 0});
  clock(30000);  // two probes: the next within 4 * 6 s
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, WrittenDataSentNeedsNoProbe) {
  establish();
  call(50, "write", 400);
  stack(50, {.seq = 5101, .ack = 1001, .len = 300});
  peer(60, {.seq = 1001, .ack = 5401});
  clock(300000);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, IdleConnectionWithoutKeepaliveProbeIsCaught) {
  establish();
  call(40, "setsockopt", 0, option(SockOpt::kKeepAlive, 1));
  call(40, "setsockopt", 0, option(SockOpt::kKeepIdle, 10));
  // Idle since 40 ms: a probe by 10 s and the timer wheel's 1/8 + 1 s.
  clock(12290);
  EXPECT_EQ(rule(), "none");
  clock(12291);
  EXPECT_EQ(rule(), "oracle: keepalive-missing");
}

TEST_F(OracleTest, KeepaliveProbesInTimePass) {
  establish();
  call(40, "setsockopt", 0, option(SockOpt::kKeepAlive, 1));
  call(40, "setsockopt", 0, option(SockOpt::kKeepIdle, 10));
  call(40, "setsockopt", 0, option(SockOpt::kKeepIntvl, 5));
  stack(10040, {.seq = 5100, .ack = 1001});
  stack(15040, {.seq = 5100, .ack = 1001});
  peer(15050, {.seq = 1001, .ack = 5101});
  stack(25050, {.seq = 5100, .ack = 1001});
  clock(30000);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, AnUnansweredKeepaliveProbeNotRepeatedIsCaught) {
  establish();
  call(40, "setsockopt", 0, option(SockOpt::kKeepAlive, 1));
  call(40, "setsockopt", 0, option(SockOpt::kKeepIdle, 10));
  call(40, "setsockopt", 0, option(SockOpt::kKeepIntvl, 5));
  stack(10040, {.seq = 5100, .ack = 1001});
  clock(16666);
  EXPECT_EQ(rule(), "oracle: keepalive-missing");
}

TEST_F(OracleTest, NoKeepaliveWhileDataMayBeInFlight) {
  // A SYN-ACK acknowledging the data is challenged, not taken: the data
  // is in flight still, and Linux keeps no keepalive then.
  establish();
  call(40, "setsockopt", 0, option(SockOpt::kKeepAlive, 1));
  call(40, "setsockopt", 0, option(SockOpt::kKeepIdle, 1));
  call(50, "write", 100);
  stack(50, {.seq = 5101, .ack = 1001, .len = 100});
  peer(60, {.flags = flag::kSyn | flag::kAck, .seq = 1000, .ack = 5201});
  stack(60, {.seq = 5201, .ack = 1001});
  stack(300, {.seq = 5101, .ack = 1001, .len = 100});
  clock(3000);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, KeepaliveOptionsSetBeforeTheConnectionCount) {
  oracle_.on_socket_call(at(0), kEndpoint, netstack::tcp::State::kClosed, "setsockopt", 0,
                         option(SockOpt::kKeepAlive, 1));
  oracle_.on_socket_call(at(0), kEndpoint, netstack::tcp::State::kClosed, "setsockopt", 0,
                         option(SockOpt::kKeepIdle, 10));
  establish();
  call(35, "getsockopt", 0);  // names the socket's connection
  clock(12281);
  EXPECT_EQ(rule(), "oracle: keepalive-missing");
}

TEST_F(OracleTest, KeepaliveWithTheSystemsIdleTimeIsNotJudged) {
  establish();
  call(40, "setsockopt", 0, option(SockOpt::kKeepAlive, 1));
  clock(100000000);
  EXPECT_EQ(rule(), "none");
}

}  // namespace
}  // namespace tcpfuzz::oracle
