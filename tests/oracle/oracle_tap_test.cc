// OracleTap: which packets the oracle takes for the host's own. A testbed
// host says which way each crossed its NIC; a packet forged with the host's
// address as its source, coming in, is not one the host sent.
#include "oracle/oracle_tap.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "stack/header/tcp_packet.h"

namespace tcpfuzz::oracle {
namespace {

using netstack::Instant;
using netstack::IpAddress;
namespace flag = netstack::header::tcp_flag;

const IpAddress kHost = *IpAddress::parse("192.168.0.1");
const IpAddress kPeer = *IpAddress::parse("192.0.2.1");

// A SYN+ACK acknowledging a SYN nobody sent, from the host's address to the
// peer's: were the host its sender, it would acknowledge unreceived bytes.
netstack::View forged_synack() {
  netstack::header::TcpPacketSpec spec;
  spec.src = kHost;
  spec.dst = kPeer;
  spec.tcp.src_port = 48001;
  spec.tcp.dst_port = 8080;
  spec.tcp.flags = flag::kSyn | flag::kAck;
  spec.tcp.seq = 7001;
  spec.tcp.ack = 12345;
  spec.tcp.window = 4351;
  return netstack::header::build_tcp_packet(spec);
}

struct TapTest : ::testing::Test {
  std::optional<std::string> report;
  Oracle oracle{[this](const std::string& r) { report = r; }};
  OracleTap tap{oracle, {kHost}};
};

TEST_F(TapTest, ACrossingTheHostReceivedIsNotJudgedAsSent) {
  tap.record_crossing(Instant::from_nanos(1000), /*sent=*/false, forged_synack().bytes());
  oracle.finish(Instant::from_nanos(1000));
  EXPECT_FALSE(report.has_value()) << *report;
}

TEST_F(TapTest, WithoutADirectionTheSourceAddressDecides) {
  tap.record(Instant::from_nanos(1000), forged_synack().bytes());
  oracle.finish(Instant::from_nanos(1000));
  ASSERT_TRUE(report.has_value());
  EXPECT_NE(report->find("oracle: ack-of-unreceived"), std::string::npos) << *report;
}

}  // namespace
}  // namespace tcpfuzz::oracle
