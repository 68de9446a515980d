// tcpfuzz import: captures of every supported link type decode to their TCP
// segments, broken packets and files are reported per item, flows split,
// and the shipped Linux captures become scripts and seeds that replay.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "fuzz/harness/segment_target.h"
#include "fuzz/harness/state_coverage.h"
#include "fuzz/import/capture_file.h"
#include "fuzz/import/flow_script.h"
#include "fuzz/import/flow_segments.h"
#include "fuzz/import/host_settings.h"
#include "fuzz/scenario/binary_runner.h"
#include "fuzz/scenario/pkt_writer.h"
#include "fuzz/scenario/script_to_binary.h"
#include "stack/header/tcp_options.h"
#include "stack/header/tcp_packet.h"

namespace tcpfuzz::import {
namespace {

namespace fs = std::filesystem;
namespace flag = netstack::header::tcp_flag;
using Bytes = std::vector<uint8_t>;
using netstack::tcp::State;

struct CapturedFrame {
  Bytes bytes;
  uint32_t wire_length = 0;  // 0: the frame's size
};

class ImportTest : public ::testing::Test {
 protected:
  void TearDown() override { fs::remove(path_); }

  // Writes a pcap of `link_type` through libpcap.
  void write_capture(int link_type, const std::vector<CapturedFrame>& frames) {
    pcap_t* pcap = pcap_open_dead(link_type, 65535);
    pcap_dumper_t* dumper = pcap_dump_open(pcap, path_.c_str());
    ASSERT_NE(dumper, nullptr) << pcap_geterr(pcap);
    long usec = 0;
    for (const CapturedFrame& f : frames) {
      pcap_pkthdr h{};
      h.ts.tv_usec = usec += 1000;
      h.caplen = static_cast<bpf_u_int32>(f.bytes.size());
      h.len = f.wire_length != 0 ? f.wire_length : h.caplen;
      pcap_dump(reinterpret_cast<u_char*>(dumper), &h, f.bytes.data());
    }
    pcap_dump_close(dumper);
    pcap_close(pcap);
  }

  struct Read {
    std::vector<CapturedSegment> segments;
    std::vector<std::string> skipped;  // "N: reason"
    CaptureEnd end;
  };
  Read read() const {
    Read r;
    auto end = read_capture(path_, [&](const Frame& f) {
      auto s = decode_frame(f);
      if (s) {
        r.segments.push_back(std::move(*s));
      } else {
        r.skipped.push_back(std::to_string(f.number) + ": " + s.error());
      }
    });
    EXPECT_TRUE(end.has_value()) << end.error();
    if (end) r.end = *end;
    return r;
  }

  const std::string path_ =
      (fs::temp_directory_path() / ("import_test_" + std::to_string(::getpid()) + ".pcap"))
          .string();
};

netstack::IpAddress v4(const char* text) {
  return *netstack::IpAddress::parse(text);
}

Bytes tcp_packet(const char* src, const char* dst, uint8_t flags, uint32_t seq,
                 size_t payload = 0) {
  const Bytes data(payload, 'x');
  netstack::header::TcpPacketSpec spec;
  spec.src = v4(src);
  spec.dst = v4(dst);
  spec.tcp.src_port = 40000;
  spec.tcp.dst_port = 8080;
  spec.tcp.flags = flags;
  spec.tcp.seq = seq;
  spec.tcp.window = 1000;
  spec.payload = data;
  const netstack::View v = netstack::header::build_tcp_packet(spec);
  return {v.bytes().begin(), v.bytes().end()};
}

Bytes syn() {
  return tcp_packet("198.18.0.1", "198.18.0.2", flag::kSyn, 1000);
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes ethernet(uint16_t ethertype) {
  Bytes h(12, 0xaa);
  return concat(h, {static_cast<uint8_t>(ethertype >> 8), static_cast<uint8_t>(ethertype)});
}

struct LinkCase {
  const char* name;
  int link_type;
  Bytes header;
};

class LinkTypes : public ImportTest, public ::testing::WithParamInterface<LinkCase> {};

TEST_P(LinkTypes, DecodeToTheTcpSegment) {
  write_capture(GetParam().link_type, {{concat(GetParam().header, syn())}});
  const Read r = read();
  ASSERT_EQ(r.segments.size(), 1u) << (r.skipped.empty() ? "" : r.skipped[0]);
  const CapturedSegment& s = r.segments[0];
  EXPECT_EQ(s.number, 1u);
  EXPECT_EQ(s.time_ns, 1'000'000);
  EXPECT_EQ(s.src, v4("198.18.0.1"));
  EXPECT_EQ(s.dst, v4("198.18.0.2"));
  EXPECT_EQ(s.src_port, 40000);
  EXPECT_EQ(s.dst_port, 8080);
  EXPECT_EQ(s.seq, 1000u);
  EXPECT_EQ(s.flags, flag::kSyn);
  EXPECT_EQ(s.window, 1000);
}

INSTANTIATE_TEST_SUITE_P(
    Import, LinkTypes,
    ::testing::Values(
        LinkCase{"ethernet", DLT_EN10MB, ethernet(0x0800)},
        LinkCase{"vlan", DLT_EN10MB, concat(ethernet(0x8100), {0x00, 0x05, 0x08, 0x00})},
        LinkCase{"qinq", DLT_EN10MB,
                 concat(ethernet(0x88a8), {0x00, 0x05, 0x81, 0x00, 0x00, 0x06, 0x08, 0x00})},
        LinkCase{"sll", DLT_LINUX_SLL, {0, 0, 3, 4, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00}},
        LinkCase{"sll2", DLT_LINUX_SLL2, {0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1,
                                          0,    6,    1, 2, 3, 4, 5, 6, 0, 0}},
        LinkCase{"raw", DLT_RAW, {}}, LinkCase{"ipv4", DLT_IPV4, {}},
        LinkCase{"null", DLT_NULL, {2, 0, 0, 0}}, LinkCase{"loop", DLT_LOOP, {0, 0, 0, 2}}),
    [](const auto& p) { return std::string(p.param.name); });

TEST_F(ImportTest, Ipv6OverEthernet) {
  netstack::header::TcpPacketSpec spec;
  spec.src = *netstack::IpAddress::parse("fd00::1");
  spec.dst = *netstack::IpAddress::parse("fd00::2");
  spec.tcp.src_port = 1;
  spec.tcp.dst_port = 2;
  spec.tcp.flags = flag::kSyn;
  const netstack::View v = netstack::header::build_tcp_packet(spec);
  write_capture(DLT_EN10MB, {{concat(ethernet(0x86dd), {v.bytes().begin(), v.bytes().end()})}});
  const Read r = read();
  ASSERT_EQ(r.segments.size(), 1u);
  EXPECT_EQ(r.segments[0].dst, spec.dst);
  EXPECT_EQ(r.segments[0].dst_port, 2);
}

TEST_F(ImportTest, NonTcpAndCutPacketsAreSkippedOneByOne) {
  Bytes udp = syn();
  udp[9] = 17;  // protocol: the header checksum no longer matters to this check
  netstack::header::recompute_checksums(udp);
  Bytes cut = concat(ethernet(0x0800), tcp_packet("198.18.0.1", "198.18.0.2", flag::kAck, 1, 500));
  const auto wire = static_cast<uint32_t>(cut.size());
  cut.resize(96);
  write_capture(DLT_EN10MB, {{concat(ethernet(0x0806), Bytes(28, 0))},
                             {concat(ethernet(0x0800), udp)},
                             {cut, wire},
                             {concat(ethernet(0x0800), syn())}});
  const Read r = read();
  EXPECT_EQ(r.segments.size(), 1u);
  EXPECT_EQ(r.skipped,
            (std::vector<std::string>{
                "1: ARP, not IP",
                "2: UDP, not TCP",
                "3: cut by the snapshot length (96 of " + std::to_string(wire) + " bytes)",
            }));
  EXPECT_EQ(r.segments.at(0).number, 4u);
}

TEST_F(ImportTest, TruncatedFileKeepsThePacketsBeforeTheCut) {
  write_capture(DLT_RAW, {{syn()}, {syn()}, {syn()}});
  fs::resize_file(path_, fs::file_size(path_) - 10);
  const Read r = read();
  EXPECT_EQ(r.segments.size(), 2u);
  EXPECT_EQ(r.end.frames, 2u);
  ASSERT_TRUE(r.end.stopped.has_value());
  EXPECT_NE(r.end.stopped->find("truncated"), std::string::npos) << *r.end.stopped;
}

TEST_F(ImportTest, GarbageAndUnsupportedLinkTypesAreFileErrors) {
  std::ofstream(path_) << "this is not a capture at all, just some text\n";
  auto garbage = read_capture(path_, [](const Frame&) {});
  ASSERT_FALSE(garbage.has_value());
  EXPECT_EQ(garbage.error().rfind(path_ + ": ", 0), 0u) << garbage.error();

  write_capture(DLT_IEEE802_11, {{syn()}});
  auto wifi = read_capture(path_, [](const Frame&) {});
  ASSERT_FALSE(wifi.has_value());
  EXPECT_NE(wifi.error().find("link type IEEE802_11 not supported"), std::string::npos)
      << wifi.error();
}

CapturedSegment segment(const char* src, uint16_t sport, const char* dst, uint16_t dport,
                        uint8_t flags) {
  return CapturedSegment{
      .src = v4(src), .dst = v4(dst), .src_port = sport, .dst_port = dport, .flags = flags};
}

TEST(ImportFlows, SplitByTupleBothWaysAndByReuseAfterTheEnd) {
  const std::vector<Flow> flows = split_flows({
      segment("198.18.0.1", 1, "198.18.0.2", 80, flag::kSyn),
      segment("198.18.0.1", 2, "198.18.0.2", 80, flag::kSyn),
      segment("198.18.0.2", 80, "198.18.0.1", 1, flag::kSyn | flag::kAck),
      segment("198.18.0.1", 1, "198.18.0.2", 80, flag::kRst),
      segment("198.18.0.1", 1, "198.18.0.2", 80, flag::kSyn),
  });
  ASSERT_EQ(flows.size(), 3u);
  EXPECT_EQ(flows[0].segments.size(), 3u);
  EXPECT_EQ(flows[1].segments.size(), 1u);
  EXPECT_EQ(flows[2].segments.size(), 1u);
  EXPECT_EQ(describe(flows[0]), "198.18.0.1:1 > 198.18.0.2:80");
}

TEST(ImportFlows, MidConnectionFlowIsRefused) {
  const std::vector<Flow> flows =
      split_flows({segment("198.18.0.1", 1, "198.18.0.2", 80, flag::kAck)});
  auto c = conversation_of(flows.at(0), StackRole::kServer);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error(), "no SYN (captured mid-connection)");
}

CapturedSegment at(int ms, CapturedSegment s, uint32_t seq, uint32_t ack, size_t payload = 0) {
  s.time_ns = int64_t{ms} * 1'000'000;
  s.seq = seq;
  s.ack = ack;
  s.window = 1000;
  s.payload.assign(payload, 'x');
  return s;
}

// The two ends of the flows below: 198.18.0.1:40000 connects to
// 198.18.0.2:8080.
CapturedSegment from_client(uint8_t flags) {
  return segment("198.18.0.1", 40000, "198.18.0.2", 8080, flags);
}
CapturedSegment from_server(uint8_t flags) {
  return segment("198.18.0.2", 8080, "198.18.0.1", 40000, flags);
}

// A capture at the server of a client 20 ms away: the client's script has
// the server's packets an RTT later than captured, so that the client's
// answers follow them as closely as they did; the server's is as captured.
TEST(ImportFlows, TheFarSideSeesThePeerAnRttLater) {
  // The SYN-ACK at once, the handshake's ACK and the request 20 ms later.
  const std::vector<Flow> flows = split_flows({
      at(0, from_client(flag::kSyn), 100, 0),
      at(0, from_server(flag::kSyn | flag::kAck), 500, 101),
      at(20, from_client(flag::kAck), 101, 501),
      at(20, from_client(flag::kAck | flag::kPsh), 101, 501, 100),
      at(21, from_server(flag::kAck), 501, 201),
  });
  auto far = conversation_of(flows.at(0), StackRole::kClient);
  ASSERT_TRUE(far.has_value()) << far.error();
  EXPECT_EQ(far->peer_delay_ns, 20'000'000);
  std::vector<int64_t> times;
  for (const CapturedSegment* s : far->segments) times.push_back(far->time_us(*s));
  EXPECT_EQ(times, (std::vector<int64_t>{0, 20'000, 20'000, 20'000, 41'000}));
  auto near = conversation_of(flows.at(0), StackRole::kServer);
  ASSERT_TRUE(near.has_value()) << near.error();
  EXPECT_EQ(near->peer_delay_ns, 0);
  EXPECT_EQ(near->time_us(*near->segments.back()), 21'000);
}

// The calls a capture does not show are inferred from what the packets
// imply: accept after the handshake, reads when data becomes readable (an
// out-of-order piece when the hole fills), one write per run of the stack's
// data up to PSH (across the peer's ACKs), shutdown when the peer still
// sends data after the stack's FIN.
TEST(ImportScript, InfersTheSocketCalls) {
  const auto peer = from_client;
  const auto stack = from_server;
  const uint8_t ack = flag::kAck;
  const std::vector<Flow> flows = split_flows({
      at(0, peer(flag::kSyn), 100, 0),
      at(1, stack(flag::kSyn | ack), 500, 101),
      at(2, peer(ack), 101, 501),
      at(3, peer(ack), 201, 501, 100),
      at(4, peer(ack | flag::kPsh), 101, 501, 100),
      at(5, stack(ack), 501, 301),
      at(6, stack(ack), 501, 301, 100),
      at(7, peer(ack), 301, 601),
      at(8, stack(ack | flag::kPsh), 601, 301, 50),
      at(9, stack(ack | flag::kFin), 651, 301),
      at(10, peer(ack | flag::kPsh), 301, 652, 10),
      at(11, peer(ack | flag::kFin), 311, 652),
      at(12, stack(ack), 652, 312),
  });
  auto c = conversation_of(flows.at(0), StackRole::kServer);
  ASSERT_TRUE(c.has_value()) << c.error();
  std::vector<std::string> lines;
  for (const scenario::Event& e : conversation_script(*c, {}).events) {
    lines.push_back(scenario::format_event(e));
  }
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
                       "0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
                       "0 bind(3, ..., ...) = 0",
                       "0 listen(3, 1) = 0",
                       "0 < S 0:0(0) win 1000",
                       "0.001 > S. 0:0(0) ack 1 win 1000",
                       "0.002 < . 1:1(0) ack 1 win 1000",
                       "0.002 accept(3, ..., ...) = 4",
                       "0.003 < . 101:201(100) ack 1 win 1000",
                       "0.004 < P. 1:101(100) ack 1 win 1000",
                       "0.004 read(4, ..., 200) = 200",
                       "0.005 > . 1:1(0) ack 201 win 1000",
                       "0.006 write(4, ..., 150) = 150",
                       "0.006 > . 1:101(100) ack 201 win 1000",
                       "0.007 < . 201:201(0) ack 101 win 1000",
                       "0.008 > P. 101:151(50) ack 201 win 1000",
                       "0.009 shutdown(4, SHUT_WR) = 0",
                       "0.009 > F. 151:151(0) ack 201 win 1000",
                       "0.01 < P. 201:211(10) ack 152 win 1000",
                       "0.01 read(4, ..., 10) = 10",
                       "0.011 < F. 211:211(0) ack 152 win 1000",
                       "0.012 > . 152:152(0) ack 212 win 1000",
                   }));
}

// ---- The settings of the host the stack plays ----

Bytes option_bytes(const netstack::header::TcpOptions& o) {
  Bytes b(netstack::header::tcp_options_size(o));
  EXPECT_TRUE(netstack::header::write_tcp_options(b, o).has_value());
  return b;
}

netstack::header::TcpOptions all_options(uint16_t mss, uint8_t wscale) {
  netstack::header::TcpOptions o;
  o.mss = mss;
  o.sack_permitted = true;
  o.timestamps = netstack::header::Timestamps{.value = 1, .echo_reply = 0};
  o.window_scale = wscale;
  return o;
}

// A handshake: the client's SYN, the server's SYN-ACK, with these options
// and windows; the stack plays `role`.
HostSettings settings_of(const netstack::header::TcpOptions& client, uint16_t client_window,
                         const netstack::header::TcpOptions& server, uint16_t server_window,
                         StackRole role) {
  CapturedSegment syn = at(0, from_client(flag::kSyn), 100, 0);
  syn.window = client_window;
  syn.options = option_bytes(client);
  CapturedSegment syn_ack = at(1, from_server(flag::kSyn | flag::kAck), 500, 101);
  syn_ack.window = server_window;
  syn_ack.options = option_bytes(server);
  const std::vector<Flow> flows = split_flows({syn, syn_ack});
  auto c = conversation_of(flows.at(0), role);
  EXPECT_TRUE(c.has_value());
  return c ? infer_settings(*c) : HostSettings{};
}

bool has_note(const HostSettings& s, const std::string& start) {
  return std::ranges::any_of(s.notes, [&](const std::string& n) { return n.starts_with(start); });
}

// The host: tcp_rmem up to 32 MiB (window scale 10), timestamps and
// SACK off, an MSS of 1200: the SYN-ACK declines what the peer offered.
TEST(ImportSettings, ServerDeclinesWhatThePeerOffered) {
  netstack::header::TcpOptions server;
  server.mss = 1200;
  server.window_scale = 10;
  // 65536 bytes of space in whole 1200-byte segments: tcp_rmem[1] stays 131072.
  const HostSettings s =
      settings_of(all_options(1460, 7), 64240, server, 64800, StackRole::kServer);
  EXPECT_FALSE(s.config.timestamps);
  EXPECT_FALSE(s.config.sack);
  EXPECT_TRUE(s.config.window_scaling);
  EXPECT_EQ(s.mtu, 1240u);
  EXPECT_EQ(s.config.rmem_default, 131072u);
  EXPECT_EQ(s.config.rmem_max, 33554432u);
  EXPECT_TRUE(has_note(s, "net.ipv4.tcp_timestamps=0: the SYN-ACK lacks timestamps"));
  EXPECT_TRUE(has_note(s, "net.ipv4.tcp_rmem[2]=33554432: window scale 10"));
}

// What the peer did not offer, the SYN-ACK cannot show: the defaults stay
// and a note says so. The window says a smaller buffer.
TEST(ImportSettings, WhatThePeerDidNotOfferIsNotShown) {
  const netstack::header::TcpOptions bare{.mss = 1460};
  const HostSettings s = settings_of(bare, 64240, bare, 7300, StackRole::kServer);
  EXPECT_TRUE(s.config.timestamps);
  EXPECT_TRUE(s.config.sack);
  EXPECT_TRUE(s.config.window_scaling);
  EXPECT_TRUE(has_note(s, "net.ipv4.tcp_timestamps not shown (the peer did not offer timestamps)"));
  EXPECT_TRUE(has_note(s, "net.ipv4.tcp_window_scaling not shown"));
  // 7300 is five 1460-byte segments of half of 16384.
  EXPECT_EQ(s.config.rmem_default, 16384u);
}

// A client's SYN shows its settings whatever the server answers.
TEST(ImportSettings, ClientSynShowsItsOwnSettings) {
  netstack::header::TcpOptions client;
  client.mss = 1460;
  client.sack_permitted = true;
  const HostSettings s =
      settings_of(client, 64240, all_options(1460, 7), 65160, StackRole::kClient);
  EXPECT_FALSE(s.config.timestamps);
  EXPECT_TRUE(s.config.sack);
  EXPECT_FALSE(s.config.window_scaling);
  EXPECT_EQ(s.config.rmem_default, 131072u);
  EXPECT_EQ(s.mtu, 1500u);
}

// A window no receive buffer gives (not whole segments) is not inferred.
TEST(ImportSettings, AnOddWindowIsNotInferred) {
  const HostSettings s =
      settings_of(all_options(1460, 7), 64240, all_options(1460, 7), 65000, StackRole::kServer);
  EXPECT_EQ(s.config.rmem_default, netstack::tcp::Config{}.rmem_default);
  EXPECT_TRUE(has_note(s, "tcp_rmem[1] not inferred"));
}

// ---- The shipped captures of Linux's own TCP ----

std::vector<Flow> shipped_flows(const std::string& name) {
  std::vector<CapturedSegment> segments;
  const fs::path path = fs::path(TCPFUZZ_SOURCE_DIR) / "corpus" / "pcaps" / name;
  auto end = read_capture(path.string(), [&](const Frame& f) {
    auto s = decode_frame(f);
    ASSERT_TRUE(s.has_value()) << path << ":packet " << f.number << ": " << s.error();
    segments.push_back(std::move(*s));
  });
  EXPECT_TRUE(end.has_value() && !end->stopped) << path;
  return split_flows(std::move(segments));
}

struct ShippedCase {
  const char* capture;
  StackRole role;
  std::vector<State> reached;
};

void PrintTo(const ShippedCase& c, std::ostream* os) {
  *os << c.capture << " (stack as " << to_string(c.role) << ")";
}

class ShippedCaptures : public ::testing::TestWithParam<ShippedCase> {};

// The scenario seed reaches the conversation's states and the segment seed
// lands data on the harness's connection. (That the script passes on the
// stack and on Linux are the ctests import.replay.* and import.linux.*.)
TEST_P(ShippedCaptures, SeedsReachTheStates) {
  const std::vector<Flow> flows = shipped_flows(GetParam().capture);
  ASSERT_EQ(flows.size(), 1u);
  auto c = conversation_of(flows[0], GetParam().role);
  ASSERT_TRUE(c.has_value()) << c.error();
  const scenario::Scenario script = conversation_script(*c, infer_settings(*c));

  scenario::BinaryRunner runner;
  runner.run(scenario::script_to_binary(script));
  for (State s : GetParam().reached) {
    EXPECT_TRUE(runner.states_reached()[static_cast<size_t>(s)]) << to_string(s);
  }

  harness::StateCoverage coverage;
  harness::observe_segment_input(conversation_segments(*c), coverage);
  EXPECT_TRUE(coverage.triples().contains(
      {State::kEstablished, harness::SegmentKind::kData, netstack::tcp::Verdict::kAccepted}));
}

INSTANTIATE_TEST_SUITE_P(
    Import, ShippedCaptures,
    ::testing::Values(ShippedCase{"linux-v4-request-reply-close.pcap",
                                  StackRole::kServer,
                                  {State::kEstablished, State::kCloseWait, State::kLastAck}},
                      ShippedCase{"linux-v4-request-reply-close.pcap",
                                  StackRole::kClient,
                                  {State::kSynSent, State::kEstablished, State::kFinWait1,
                                   State::kTimeWait}},
                      ShippedCase{"linux-v4-abort.pcap", StackRole::kServer, {State::kEstablished}},
                      ShippedCase{"linux-v6-request-reply-close.pcapng",
                                  StackRole::kServer,
                                  {State::kEstablished, State::kCloseWait, State::kLastAck}}),
    [](const auto& p) {
      std::string name =
          fs::path(p.param.capture).stem().string() + "_" + std::string(to_string(p.param.role));
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

}  // namespace
}  // namespace tcpfuzz::import
