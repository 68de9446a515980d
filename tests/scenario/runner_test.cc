// The script runner: what it reports for mismatches, skips and bad input.
// (Conformance with Linux is the job of corpus/scripts; these check the
// runner's own rules.)
#include "fuzz/scenario/runner.h"

#include <gtest/gtest.h>

#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/sysctl_config.h"

namespace tcpfuzz::scenario {
namespace {

constexpr std::string_view kHandshake =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 bind(3, ..., ...) = 0\n"
    "+0 listen(3, 1) = 0\n"
    "+0 < S 0:0(0) win 65535 <mss 1460>\n"
    "+0 > S. 0:0(0) ack 1 <mss 1460>\n"
    "+0 < . 1:1(0) ack 1 win 65535\n"
    "+0 accept(3, ..., ...) = 4\n";

RunResult run(std::string_view text) {
  auto s = parse_script(text, "t.pkt");
  EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().format("t.pkt"));
  return s ? run_scenario(*s, RunOptions{}) : RunResult{};
}

TEST(Runner, PassesAHandshakeAndData) {
  const RunResult r = run(std::string(kHandshake) +
                          "+0 < P. 1:11(10) ack 1 win 65535\n"
                          "+0 > . 1:1(0) ack 11\n"
                          "+0 read(4, ..., 100) = 10\n");
  EXPECT_EQ(r.status, RunResult::Status::kPass) << r.message;
}

TEST(Runner, ReportsAWrongAckWithBothPackets) {
  const RunResult r = run(std::string(kHandshake) +
                          "+0 < P. 1:11(10) ack 1 win 65535\n"
                          "+0 > . 1:1(0) ack 12\n");
  ASSERT_EQ(r.status, RunResult::Status::kFail);
  EXPECT_EQ(r.line, 9);
  EXPECT_NE(r.message.find("ack number differs"), std::string::npos);
  EXPECT_NE(r.message.find("expected: > . 1:1(0) ack 12"), std::string::npos);
  EXPECT_NE(r.message.find("actual:   > . 1:1(0) ack 11"), std::string::npos);
  EXPECT_FALSE(r.trace.empty());
}

TEST(Runner, RefusesAnInboundPayloadNoIpPacketHolds) {
  const RunResult r = run(std::string(kHandshake) + "+0 < P. 1:70001(70000) ack 1 win 65535\n");
  ASSERT_NE(r.status, RunResult::Status::kPass);
  EXPECT_EQ(r.line, 8);
  EXPECT_NE(r.message.find("payload longer than an IP packet can hold"), std::string::npos)
      << r.message;
}

TEST(Runner, ReportsALatePacketAsATimingError) {
  // The delayed ACK of a lone FIN after data comes 40 ms later, not at once.
  const RunResult r = run(std::string(kHandshake) +
                          "+0 < P. 1:11(10) ack 1 win 65535\n"
                          "+0 > . 1:1(0) ack 11\n"
                          "+0 < F. 11:11(0) ack 1 win 65535\n"
                          "+0 > . 1:1(0) ack 12\n");
  ASSERT_EQ(r.status, RunResult::Status::kFail);
  EXPECT_NE(r.message.find("timing error"), std::string::npos);
}

TEST(Runner, ReportsAMissingPacket) {
  const RunResult r = run(std::string(kHandshake) + "+1 > . 1:1(0) ack 1\n");
  ASSERT_EQ(r.status, RunResult::Status::kFail);
  EXPECT_NE(r.message.find("timed out waiting for packet"), std::string::npos);
}

TEST(Runner, ReportsAWrongSyscallResultWithErrnoNames) {
  const RunResult r =
      run(std::string(kHandshake) + "+0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n" +
          "+0 read(4, ..., 10) = -1 ECONNRESET (Reset)\n");
  ASSERT_EQ(r.status, RunResult::Status::kFail);
  EXPECT_NE(r.message.find("read: expected errno ECONNRESET but got EAGAIN"), std::string::npos);
}

TEST(Runner, UnsupportedConstructsSkipWithTheirLocation) {
  const RunResult code = run(std::string(kHandshake) + "+0 %{ print(tcpi_rtt) }%\n");
  EXPECT_EQ(code.status, RunResult::Status::kSkip);
  EXPECT_NE(code.message.find("unsupported: python code"), std::string::npos);
  EXPECT_NE(code.message.find("t.pkt:8"), std::string::npos);
  const RunResult shell = run("`echo hi`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
  EXPECT_EQ(shell.status, RunResult::Status::kSkip);
  const RunResult sysctl =
      run("`sysctl -q net.ipv4.tcp_thin_linear_timeouts=1`\n0 socket(..., SOCK_STREAM, "
          "IPPROTO_TCP) = 3\n");
  EXPECT_EQ(sysctl.status, RunResult::Status::kSkip);
  EXPECT_NE(sysctl.message.find("net.ipv4.tcp_thin_linear_timeouts=1"), std::string::npos);
}

TEST(Runner, TheCongestionControlSysctlSelectsTheAlgorithm) {
  netstack::tcp::Config c;
  EXPECT_TRUE(apply_sysctl("net.ipv4.tcp_congestion_control=reno", c));
  EXPECT_EQ(c.congestion_control, netstack::tcp::CongestionAlgorithm::kReno);
  EXPECT_TRUE(apply_sysctl("net.ipv4.tcp_congestion_control=cubic", c));
  EXPECT_EQ(c.congestion_control, netstack::tcp::CongestionAlgorithm::kCubic);
  EXPECT_FALSE(apply_sysctl("net.ipv4.tcp_congestion_control=bbr", c)) << "not in the model";
  EXPECT_TRUE(apply_sysctl("net.ipv4.tcp_reordering=5", c));
  EXPECT_EQ(c.reordering, 5u);
}

TEST(Runner, TheFrtoSysctlTurnsItOffAndOn) {
  netstack::tcp::Config c;
  EXPECT_TRUE(c.frto) << "Linux's default, 2";
  EXPECT_TRUE(apply_sysctl("net.ipv4.tcp_frto=0", c));
  EXPECT_FALSE(c.frto);
  EXPECT_TRUE(apply_sysctl("net.ipv4.tcp_frto=2", c));
  EXPECT_TRUE(c.frto);
}

TEST(Runner, TcpCongestionIsSetAndReadByName) {
  const std::string script = std::string(kHandshake) +
                             "+0 setsockopt(4, SOL_TCP, TCP_CONGESTION, \"reno\", 4) = 0\n"
                             "+0 getsockopt(4, SOL_TCP, TCP_CONGESTION, \"reno\", [4]) = 0\n"
                             "+0 setsockopt(4, SOL_TCP, TCP_CONGESTION, \"vegas\", 5) = -1 "
                             "ENOENT (No such file or directory)\n";
  EXPECT_EQ(run(script).status, RunResult::Status::kPass) << run(script).message;
  const RunResult wrong = run(std::string(kHandshake) +
                              "+0 getsockopt(4, SOL_TCP, TCP_CONGESTION, \"reno\", [4]) = 0\n");
  EXPECT_EQ(wrong.status, RunResult::Status::kFail);
  EXPECT_NE(wrong.message.find("\"cubic\""), std::string::npos) << wrong.message;
  // Only a string names an algorithm: another form is skipped, naming it.
  const RunResult number =
      run(std::string(kHandshake) + "+0 setsockopt(4, SOL_TCP, TCP_CONGESTION, [1], 4) = 0\n");
  EXPECT_EQ(number.status, RunResult::Status::kSkip);
  EXPECT_NE(number.message.find("TCP_CONGESTION value form"), std::string::npos) << number.message;
}

TEST(Runner, SysctlsTheStackKnowsAreApplied) {
  // tcp_sack=0: the SYN-ACK must not offer SACK even though the peer does.
  const RunResult r =
      run("`sysctl -q net.ipv4.tcp_sack=0`\n"
          "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "+0 bind(3, ..., ...) = 0\n"
          "+0 listen(3, 1) = 0\n"
          "+0 < S 0:0(0) win 65535 <mss 1460,sackOK,nop,nop>\n"
          "+0 > S. 0:0(0) ack 1 <mss 1460>\n");
  EXPECT_EQ(r.status, RunResult::Status::kPass) << r.message;
}

TEST(Runner, TcpInfoAssertionsAreChecked) {
  const RunResult ok =
      run(std::string(kHandshake) + "+0 %{ assert tcpi_snd_mss == 1460, tcpi_snd_mss }%\n");
  EXPECT_EQ(ok.status, RunResult::Status::kPass) << ok.message;
  const RunResult bad = run(std::string(kHandshake) + "+0 %{ assert tcpi_snd_mss == 1000 }%\n");
  ASSERT_EQ(bad.status, RunResult::Status::kFail);
  EXPECT_NE(bad.message.find("tcpi_snd_mss == 1000 (tcpi_snd_mss = 1460)"), std::string::npos);
}

TEST(Runner, ABlockingCallWithoutEndTimeIsAnError) {
  // Real packetdrill would hang; the runner says why instead.
  const RunResult r = run(std::string(kHandshake) + "+0 read(4, ..., 10) = 10\n");
  ASSERT_EQ(r.status, RunResult::Status::kFail);
  EXPECT_NE(r.message.find("would block forever"), std::string::npos);
}

TEST(Runner, InboundPacketsNeedAWindow) {
  const RunResult r = run(std::string(kHandshake) + "+0 < . 1:1(0) ack 1\n");
  ASSERT_EQ(r.status, RunResult::Status::kFail);
  EXPECT_NE(r.message.find("window must be specified"), std::string::npos);
}

TEST(Runner, MissingFileIsReported) {
  const RunResult r = run_script_file("/nonexistent/x.pkt", RunOptions{});
  EXPECT_EQ(r.status, RunResult::Status::kFail);
  EXPECT_NE(r.message.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace tcpfuzz::scenario
