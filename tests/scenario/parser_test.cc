// The packetdrill-dialect parser: structure of what it builds, error
// positions, and a parse of every script of google/packetdrill's suite.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/scenario/pkt_parser.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::scenario {
namespace {

namespace flag = netstack::header::tcp_flag;

Scenario parse_ok(std::string_view text) {
  auto s = parse_script(text, "test.pkt");
  EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().format("test.pkt"));
  return s ? *s : Scenario{};
}

TEST(Parser, PacketLineWithEveryField) {
  const Scenario s = parse_ok(
      "+0.1 < S. 0:10(10) ack 1 win 65535 <mss 1460,sackOK,TS val 7 ecr 0,nop,wscale 7,"
      "sack 1:2 3:4,eol>\n");
  ASSERT_EQ(s.events.size(), 1u);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time.kind, EventTime::Kind::kRelative);
  EXPECT_EQ(e.time.start_us, 100000);
  const auto& p = std::get<PacketSpec>(e.action);
  EXPECT_EQ(p.direction, PacketSpec::Direction::kInbound);
  EXPECT_EQ(p.flags, flag::kSyn | flag::kAck);
  EXPECT_EQ(p.seq_end, 10u);
  EXPECT_EQ(p.payload_length, 10u);
  EXPECT_EQ(p.ack, 1u);
  EXPECT_EQ(p.window, 65535u);
  ASSERT_TRUE(p.options.has_value());
  ASSERT_EQ(p.options->size(), 7u);
  EXPECT_EQ((*p.options)[0].kind, OptionSpec::Kind::kMss);
  EXPECT_EQ((*p.options)[0].value, 1460u);
  EXPECT_EQ((*p.options)[2].value, 7u);
  EXPECT_EQ((*p.options)[5].sack_blocks.size(), 2u);
  EXPECT_EQ((*p.options)[6].kind, OptionSpec::Kind::kEol);
}

TEST(Parser, OutboundWithUncheckedOptionsAndTimeRange) {
  const Scenario s = parse_ok("0.2~0.4 > . 1:1(0) ack 2 <...>\n* > F. 1:1(0) ack 2\n");
  const auto& p = std::get<PacketSpec>(s.events[0].action);
  EXPECT_EQ(p.direction, PacketSpec::Direction::kOutbound);
  EXPECT_FALSE(p.options.has_value());
  EXPECT_EQ(s.events[0].time.end_us, 400000);
  EXPECT_EQ(s.events[1].time.kind, EventTime::Kind::kAny);
  EXPECT_EQ(std::get<PacketSpec>(s.events[1].action).flags, flag::kFin | flag::kAck);
}

TEST(Parser, SyscallsWithPacketdrillExpressions) {
  const Scenario s = parse_ok(
      "--tolerance_usecs=10000\n"
      "`../common/defaults.sh`\n"
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
      "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
      "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
      "+0 poll([{fd=3, events=POLLOUT, revents=POLLOUT}], 1, 0) = 1\n");
  ASSERT_EQ(s.options.size(), 1u);
  EXPECT_EQ(s.options[0].first, "tolerance_usecs");
  EXPECT_EQ(s.options[0].second, "10000");
  ASSERT_EQ(s.events.size(), 6u);
  EXPECT_EQ(std::get<CommandSpec>(s.events[0].action).command, "../common/defaults.sh");
  const auto& linger = std::get<SyscallSpec>(s.events[2].action);
  EXPECT_EQ(linger.args[3].kind, Expr::Kind::kStruct);
  EXPECT_EQ(linger.args[3].names[1], "linger");
  const auto& fcntl = std::get<SyscallSpec>(s.events[3].action);
  EXPECT_EQ(fcntl.args[2].kind, Expr::Kind::kOr);
  const auto& connect = std::get<SyscallSpec>(s.events[4].action);
  EXPECT_EQ(connect.result.integer, -1);
  EXPECT_EQ(connect.errno_name, "EINPROGRESS");
  const auto& poll = std::get<SyscallSpec>(s.events[5].action);
  EXPECT_EQ(poll.args[0].elements[0].names[2], "revents");
}

TEST(Parser, CodeBlocksAreKeptAsEvents) {
  const Scenario s = parse_ok("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 %{ print(1) }%\n");
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(std::get<CodeSpec>(s.events[1].action).code, " print(1) ");
  EXPECT_EQ(s.events[1].line, 2);
}

TEST(Parser, NonTcpPacketsAreRecordedAsUnsupported) {
  const Scenario s = parse_ok("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < udp (100)\n");
  ASSERT_EQ(s.unsupported.size(), 1u);
  EXPECT_EQ(s.unsupported[0].line, 2);
}

TEST(Parser, ErrorsNameLineAndColumn) {
  auto s =
      parse_script("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0) win\n", "x.pkt");
  ASSERT_FALSE(s.has_value());
  // Reported where line 2 ends ("win" is at column 15), not on line 3.
  EXPECT_EQ(s.error().format("x.pkt"), "x.pkt:2:18: expected window");
  auto bad_len = parse_script("+0 < . 1:5(3) ack 1\n", "y.pkt");
  ASSERT_FALSE(bad_len.has_value());
  EXPECT_EQ(bad_len.error().line, 1);
  EXPECT_NE(bad_len.error().message.find("payload length"), std::string::npos);
  auto lex = parse_script("+0 < S 0:0(0) `unterminated\n", "z.pkt");
  ASSERT_FALSE(lex.has_value());
  EXPECT_EQ(lex.error().col, 15);
}

TEST(Parser, EveryScriptOfThePacketdrillSuiteParses) {
  const char* dir = std::getenv("TCPFUZZ_PACKETDRILL_DIR");
  if (dir == nullptr || !std::filesystem::is_directory(dir)) {
    GTEST_SKIP() << "google/packetdrill's tcp/ folder not found (ci/packetdrill.sh found none; "
                    "configure with -DTCPFUZZ_PACKETDRILL_DIR=PATH)";
  }
  size_t parsed = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".pkt") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto s = parse_script(text.str(), entry.path().string());
    EXPECT_TRUE(s.has_value()) << s.error().format(entry.path().string());
    ++parsed;
  }
  EXPECT_GE(parsed, 150u);
}

}  // namespace
}  // namespace tcpfuzz::scenario

namespace tcpfuzz::scenario {
namespace {

TEST(ParserIpLevel, InboundIcmpWithCodeMtuAndQuote) {
  const Scenario s = parse_ok("0 < icmp unreachable frag_needed mtu 800 [0:1000(1000)]\n");
  ASSERT_EQ(s.events.size(), 1u);
  const auto& p = std::get<PacketSpec>(s.events[0].action);
  ASSERT_TRUE(p.icmp.has_value());
  EXPECT_EQ(p.icmp->type_byte, 3);  // RFC 792 destination unreachable
  EXPECT_EQ(p.icmp->code_byte, 4);  // fragmentation needed
  EXPECT_EQ(p.icmp->mtu, 800u);
  EXPECT_EQ(p.icmp->quoted_seq, 0u);
  EXPECT_EQ(p.icmp->quoted_length, 1000u);
  EXPECT_TRUE(s.unsupported.empty());
}

TEST(ParserIpLevel, GooglesCodeDefineAndBadNames) {
  const Scenario s = parse_ok("0 < icmp unreachable CODE [0:10(10)]\n");
  EXPECT_EQ(std::get<PacketSpec>(s.events[0].action).icmp->code_byte, 1);  // host unreachable
  EXPECT_FALSE(parse_script("0 < icmp unreachable bogus\n", "t.pkt").has_value());
  // "mtu" belongs to frag_needed only (packetdrill set_icmpv4_header()).
  EXPECT_FALSE(parse_script("0 < icmp unreachable host_unreachable mtu 800\n", "t.pkt").has_value());
}

TEST(ParserIpLevel, IpFieldsBeforeTheFlags) {
  const Scenario s = parse_ok(
      "0 > [ect0] P. 1:11(10) ack 1\n"
      "0 < (tos 0x3) . 1:1(0) ack 11 win 100\n"
      "0 > [ttl 64] . 1:1(0) ack 1\n");
  const auto& a = std::get<PacketSpec>(s.events[0].action);
  EXPECT_EQ(a.ip.check, IpInfo::TosCheck::kEcn);
  EXPECT_EQ(a.ip.value, 2);  // ECT(0), RFC 3168 5
  const auto& b = std::get<PacketSpec>(s.events[1].action);
  EXPECT_EQ(b.ip.check, IpInfo::TosCheck::kTos);
  EXPECT_EQ(b.ip.value, 3);
  EXPECT_EQ(std::get<PacketSpec>(s.events[2].action).ip.ttl, 64);
  EXPECT_TRUE(s.unsupported.empty());
}

TEST(ParserIpLevel, Md5OptionInboundIsSentOutboundIsSkipped) {
  const Scenario s = parse_ok(
      "0 < . 1:1(0) ack 1 win 514 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>\n"
      "0 > . 1:1(0) ack 1 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>\n");
  const auto& in = std::get<PacketSpec>(s.events[0].action);
  ASSERT_EQ(in.options->size(), 3u);
  EXPECT_EQ((*in.options)[0].kind, OptionSpec::Kind::kMd5);
  EXPECT_EQ((*in.options)[0].cookie.size(), 16u);
  ASSERT_EQ(s.unsupported.size(), 1u);
  EXPECT_EQ(s.unsupported[0].construct, "outbound TCP-MD5 signature");
  EXPECT_EQ(s.unsupported[0].line, 2);
}

}  // namespace
}  // namespace tcpfuzz::scenario
