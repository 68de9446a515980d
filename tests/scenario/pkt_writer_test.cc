// The script writer: what it writes parses back to the same events, and it
// writes packetdrill's notation.
#include "fuzz/scenario/pkt_writer.h"

#include <gtest/gtest.h>

#include "fuzz/scenario/packet_format.h"
#include "fuzz/scenario/pkt_parser.h"

namespace tcpfuzz::scenario {
namespace {

// Parses `line` as a one-event script.
Event parse_one(const std::string& line) {
  auto s = parse_script(line + "\n", "t.pkt");
  EXPECT_TRUE(s.has_value()) << line << ": " << (s ? "" : s.error().format("t.pkt"));
  if (!s || s->events.size() != 1) return Event{};
  return s->events[0];
}

// Each line is written exactly as packetdrill users write it, so writing
// what was parsed gives the line back.
class WriterRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(WriterRoundTrip, ParsedLineIsWrittenBackUnchanged) {
  EXPECT_EQ(format_event(parse_one(GetParam())), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Lines, WriterRoundTrip,
    ::testing::Values(
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0",
        "+0.2 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)",
        "+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0",
        "+0 setsockopt(4, IPPROTO_TCP, TCP_LINGER2, [-5], 4) = 0",
        "+1.00025 recv(4, ..., 100, MSG_PEEK) = -1 EAGAIN (Resource temporarily unavailable)",
        "+0 > S 0:0(0) win 64240 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>",
        "+0 < S. 1000:1000(0) ack 1 win 65535 <mss 1460,nop,nop,sackOK>",
        "0.5 < FUEW. 1:1(0) ack 2 win 0", "+0 < - 5:5(0) win 7", "+0 < R 7:7(0) ack 9 win 0",
        "* > . 1:1(0) ack 1 win 502 <nop,nop,TS val 1 ecr 2,nop,nop,sack 3:4 5:6>",
        "+0 `sysctl -q net.ipv4.tcp_sack=0`",
        "+0 recvmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 10}, {..., 0}], msg_flags=0, "
        "msg_control=[{cmsg_level=SOL_TCP, cmsg_type=TCP_CM_INQ, cmsg_data=1}]}, 0) = 10",
        "+0 epoll_wait(5, {events=EPOLLIN|EPOLLOUT, fd=4}, 1, 0) = 1"));

TEST(Writer, SecondsHaveNoTrailingZeros) {
  EXPECT_EQ(format_seconds(0), "0");
  EXPECT_EQ(format_seconds(1'500'000), "1.5");
  EXPECT_EQ(format_seconds(250), "0.00025");
  EXPECT_EQ(format_seconds(-2'000'000), "-2");
}

TEST(Writer, AckOfAPacketWithoutTheAckFlagIsWrittenOnlyWhenNonzero) {
  PacketSpec syn;
  syn.flags = 0x02;
  syn.ack = 0;
  syn.window = 100;
  EXPECT_EQ(format_packet(syn), "S 0:0(0) win 100");
  syn.ack = 77;
  EXPECT_EQ(format_packet(syn), "S 0:0(0) ack 77 win 100");
}

TEST(Writer, ScriptHasCommentOptionsThenEvents) {
  Scenario s;
  s.options = {{"tolerance_usecs", "10000"}, {"send_omit_free", ""}};
  s.events.push_back(parse_one("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3"));
  EXPECT_EQ(write_script(s, "first\nsecond"),
            "// first\n// second\n\n--tolerance_usecs=10000\n--send_omit_free\n"
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
}

}  // namespace
}  // namespace tcpfuzz::scenario
