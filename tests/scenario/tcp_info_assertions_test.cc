// %{ }% blocks: the assertions evaluated on TcpInfo, and what is not.
#include "fuzz/scenario/tcp_info_assertions.h"

#include <gtest/gtest.h>

#include <chrono>

namespace tcpfuzz::scenario {
namespace {

using Kind = TcpInfoVerdict::Kind;

netstack::tcp::TcpInfo info() {
  netstack::tcp::TcpInfo i;
  i.cwnd = 10;
  i.unacked = 3;
  i.ca_state = netstack::tcp::CaState::kRecovery;
  return i;
}

TEST(TcpInfoAssertions, HoldingAssertionsPass) {
  const TcpInfoVerdict v = check_tcp_info(
      "assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd\n"
      "assert tcpi_unacked == 3;assert tcpi_ca_state == TCP_CA_Recovery",
      info());
  EXPECT_EQ(v.kind, Kind::kHolds) << v.detail;
}

TEST(TcpInfoAssertions, TheFirstFailingAssertionIsReportedWithTheFieldsItRead) {
  const TcpInfoVerdict v =
      check_tcp_info("assert tcpi_snd_cwnd == 10\nassert tcpi_unacked == 4,oops\n", info());
  EXPECT_EQ(v.kind, Kind::kFails);
  EXPECT_EQ(v.detail, "assertion failed: tcpi_unacked == 4 (tcpi_unacked = 3)");
}

TEST(TcpInfoAssertions, ChainsAndArithmeticAsPythonEvaluatesThem) {
  EXPECT_EQ(check_tcp_info("assert 9 <= tcpi_snd_cwnd <= 11", info()).kind, Kind::kHolds);
  EXPECT_EQ(check_tcp_info("assert 11 <= tcpi_snd_cwnd <= 12", info()).kind, Kind::kFails);
  EXPECT_EQ(check_tcp_info("assert tcpi_snd_cwnd > 1 and tcpi_unacked * 2 == 6", info()).kind,
            Kind::kHolds);
  EXPECT_EQ(check_tcp_info("assert (tcpi_ca_state & 1) != 0", info()).kind, Kind::kHolds);
}

TEST(TcpInfoAssertions, AssignmentsHoldForLaterBlocks) {
  PythonVariables vars;
  EXPECT_EQ(check_tcp_info("cwnd = 5 * 2", info(), vars).kind, Kind::kHolds);
  EXPECT_EQ(vars.at("cwnd"), 10);
  EXPECT_EQ(check_tcp_info("assert tcpi_snd_cwnd == cwnd", info(), vars).kind, Kind::kHolds);
}

TEST(TcpInfoAssertions, OtherPythonIsUnsupported) {
  EXPECT_EQ(check_tcp_info("print(tcpi_rtt)", info()).kind, Kind::kUnsupported);
  EXPECT_EQ(check_tcp_info("assert tcpi_rwnd_limited == 0", info()).detail,
            "assert tcpi_rwnd_limited == 0 (name tcpi_rwnd_limited)");
  EXPECT_EQ(check_tcp_info("assert tcpi_snd_cwnd ~ 1", info()).kind, Kind::kUnsupported);
  EXPECT_EQ(check_tcp_info("assert tcpi_snd_cwnd == x", info()).kind, Kind::kUnsupported);
  EXPECT_EQ(check_tcp_info("assert len(tcpi_snd_cwnd) == 1", info()).kind, Kind::kUnsupported);
}

TEST(TcpInfoAssertions, BlankStatementsAreSkipped) {
  EXPECT_EQ(check_tcp_info("\n  \n;;", info()).kind, Kind::kHolds);
}

TEST(TcpInfoField, NamesTheFieldsTheStackKeeps) {
  EXPECT_EQ(tcp_info_field(info(), "tcpi_snd_cwnd"), 10);
  EXPECT_EQ(tcp_info_field(info(), "tcpi_ca_state"), 3);
  EXPECT_EQ(tcp_info_field(info(), "tcpi_state"), 7);  // TCP_CLOSE
  EXPECT_EQ(tcp_info_field(info(), "tcpi_rwnd_limited"), std::nullopt);
}

TEST(TcpInfoAssertions, OptionBitsStatesAndRanges) {
  netstack::tcp::TcpInfo i = info();
  i.syn_data = true;
  i.state = netstack::tcp::State::kSynRcvd;
  i.srtt = std::chrono::milliseconds(30);
  EXPECT_EQ(check_tcp_info("assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options", i).kind,
            Kind::kHolds);
  EXPECT_EQ(check_tcp_info("assert (tcpi_options & TCPI_OPT_SYN_DATA) == 0", i).kind, Kind::kFails);
  EXPECT_EQ(check_tcp_info("assert tcpi_state == TCP_SYN_RECV, tcpi_state", i).kind, Kind::kHolds);
  EXPECT_EQ(check_tcp_info("assert tcpi_state == TCP_ESTABLISHED", i).kind, Kind::kFails);
  EXPECT_EQ(check_tcp_info("assert 25000 <= tcpi_rtt <= 36000, 'rtt=%d' % tcpi_rtt", i).kind,
            Kind::kHolds);
  EXPECT_EQ(check_tcp_info("assert 15000 <= tcpi_rtt <= 25000", i).kind, Kind::kFails);
  EXPECT_EQ(check_tcp_info("assert tcpi_snd_cwnd > 1", i).kind, Kind::kHolds);
}

}  // namespace
}  // namespace tcpfuzz::scenario
