// How much of a recorded run `tcpfuzz diff` asks the kernel about: the
// part before the first event packetdrill cannot state.
#include "fuzz/diff/comparable_part.h"

#include <gtest/gtest.h>

#include <string>

#include "fuzz/scenario/pkt_parser.h"

namespace tcpfuzz::diff {
namespace {

using scenario::Scenario;

// Recorded runs state absolute times.
constexpr const char* kPassiveOpen =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "0 bind(3, ..., ...) = 0\n"
    "0 listen(3, 1) = 0\n"
    "0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
    "0 > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>\n"
    "0.1 < . 1:1(0) ack 1 win 514 <nop,nop,TS val 200 ecr 700>\n"
    "0.1 accept(3, ..., ...) = 4\n";

Scenario parsed(const std::string& text) {
  auto s = scenario::parse_script(text, "t.pkt");
  EXPECT_TRUE(s) << (s ? "" : s.error().format("t.pkt"));
  return s ? *s : Scenario{};
}

TEST(ComparablePart, AWholeRunIsComparedWhole) {
  const Scenario s = parsed(kPassiveOpen);
  const ComparablePart part = comparable_part(s, std::nullopt, 5);
  EXPECT_EQ(part.events, s.events.size());
  EXPECT_EQ(part.rest, "");
  EXPECT_TRUE(has_outbound(s, part.events));
}

TEST(ComparablePart, StopsAtMaxSecondsAndBeforeACallThatReturnsAfterIt) {
  const Scenario s = parsed(std::string(kPassiveOpen) +
                            "1.1 < P. 1:11(10) ack 1 win 514 <nop,nop,TS val 300 ecr 700>\n"
                            "11.1 < P. 11:21(10) ack 1 win 514 <nop,nop,TS val 400 ecr 700>\n");
  const ComparablePart part = comparable_part(s, std::nullopt, 5);
  EXPECT_EQ(part.events, s.events.size() - 1);
  EXPECT_EQ(part.rest,
            "5.000000 s: --max-seconds 5 of the run's 11.1 s of fake time (packetdrill runs on the "
            "wall clock)");

  Scenario blocking = parsed(std::string(kPassiveOpen) + "1.1 read(4, ..., 10) = 10\n");
  std::get<scenario::SyscallSpec>(blocking.events.back().action).end_us = 7'000'000;
  EXPECT_EQ(comparable_part(blocking, std::nullopt, 5).events, blocking.events.size() - 1);
}

TEST(ComparablePart, StopsBeforeTheSegmentARstWithSequenceZeroAnswers) {
  const Scenario s = parsed(std::string(kPassiveOpen) +
                            "0.2 < F 1:1(0) win 514\n"
                            "0.2 > R 4294967000:4294967000(0) win 0\n"
                            "0.3 < . 1:1(0) ack 1 win 514\n");
  const size_t rst = s.events.size() - 2;
  const ComparablePart part =
      comparable_part(s, scenario::Unscriptable{"a RST with sequence number 0", rst}, 5);
  EXPECT_EQ(part.events, rst - 1);  // without the FIN that drew it
  EXPECT_EQ(part.rest, "0.200000 s: our stack sends a RST with sequence number 0");
}

TEST(ComparablePart, StopsAtAnEchoOfAnotherSocketsTsval) {
  const Scenario s = parsed(std::string(kPassiveOpen) +
                            "0.1 socket(..., SOCK_STREAM, IPPROTO_TCP) = 5\n"
                            "0.2 < . 1:1(0) ack 1 win 514 <nop,nop,TS val 300 ecr 700>\n");
  const ComparablePart part = comparable_part(s, std::nullopt, 5);
  EXPECT_EQ(part.events, s.events.size() - 1);
  EXPECT_EQ(part.rest,
            "0.200000 s: the peer's ACK echoes TSval 700, which packetdrill cannot map for its "
            "socket under test");
  // Before the new socket, the same echo maps.
  const Scenario same = parsed(std::string(kPassiveOpen) +
                               "0.2 < . 1:1(0) ack 1 win 514 <nop,nop,TS val 300 ecr 700>\n");
  EXPECT_EQ(comparable_part(same, std::nullopt, 5).events, same.events.size());
}

TEST(ComparablePart, StopsAtACallOnAnFdTheScriptNeverOpenedOrClosed) {
  const Scenario never = parsed(std::string(kPassiveOpen) + "0.1 ioctl(6, 0x8905, [0]) = -1\n");
  EXPECT_EQ(comparable_part(never, std::nullopt, 5).events, never.events.size() - 1);
  EXPECT_EQ(comparable_part(never, std::nullopt, 5).rest,
            "0.100000 s: ioctl() on fd 6, which the script has not opened (packetdrill cannot make "
            "the call)");
  const Scenario closed = parsed(std::string(kPassiveOpen) +
                                 "0.1 close(4) = 0\n"
                                 "0.1 poll([{fd=4, events=POLLIN, revents=0}], 1, 0) = -1\n");
  EXPECT_EQ(comparable_part(closed, std::nullopt, 5).events, closed.events.size() - 1);
}

TEST(ComparablePart, NothingToCompareWithoutAnOutboundPacketBeforeTheStop) {
  const Scenario s = parsed(
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "0 ioctl(6, 0x8905, [0]) = -1\n"
      "0 listen(3, 1) = 0\n");
  const ComparablePart part = comparable_part(s, std::nullopt, 5);
  EXPECT_EQ(part.events, 1u);
  EXPECT_FALSE(has_outbound(s, part.events));
}

}  // namespace
}  // namespace tcpfuzz::diff
