// The oracle tests' fixture: hand-built traces fed to a reference oracle
// that records its first report instead of aborting. The peer is
// 192.0.2.1:5000, the stack 192.168.0.1:80; the peer's ISN is 1000, the
// stack's 5000; both sides scale windows by 2^7.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "oracle/oracle.h"

namespace tcpfuzz::oracle::test_support {

namespace flag = netstack::header::tcp_flag;
using netstack::Instant;
using netstack::tcp::EndpointId;

const netstack::IpAddress kStack = *netstack::IpAddress::parse("192.168.0.1");
const netstack::IpAddress kPeer = *netstack::IpAddress::parse("192.0.2.1");
constexpr EndpointId kEndpoint = 7;

struct Seg {
  uint8_t flags = flag::kAck;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint16_t window = 502;
  uint32_t len = 0;
  std::optional<uint8_t> wscale{};
  std::optional<uint32_t> ts_val{};
  std::optional<uint32_t> ts_ecr{};
  bool sack = false;
  std::optional<uint32_t> sack_edge{};  // SACK blocks up to here (no D-SACK)
  bool sack_full = false;
};

class OracleTest : public ::testing::Test {
 protected:
  OracleTest()
      : oracle_([this](const std::string& report) {
          if (!failure_) failure_ = report;
        }) {}

  Instant at(int64_t ms) const { return Instant::from_nanos(1000 + ms * 1'000'000); }

  static WireSegment make(const Seg& s, bool from_stack) {
    WireSegment w;
    w.src = from_stack ? kStack : kPeer;
    w.dst = from_stack ? kPeer : kStack;
    w.src_port = from_stack ? 80 : 5000;
    w.dst_port = from_stack ? 5000 : 80;
    w.seq = s.seq;
    w.ack = s.ack;
    w.flags = s.flags;
    w.window = s.window;
    w.payload = s.len;
    w.window_scale = s.wscale;
    w.ts_val = s.ts_val;
    w.ts_ecr = s.ts_ecr;
    w.sack = s.sack || s.sack_edge.has_value();
    w.sack_edge = s.sack_edge;
    w.sack_full = s.sack_full;
    return w;
  }
  // The peer's segment with its payload bytes, as the wire carries them.
  void peer_data(int64_t ms, const Seg& s, std::string_view bytes) {
    last_ms_ = ms;
    WireSegment w = make(s, false);
    w.payload = static_cast<uint32_t>(bytes.size());
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    oracle_.on_segment(at(ms), w, false, std::span<const uint8_t>(data, bytes.size()));
  }
  void peer(int64_t ms, const Seg& s) {
    last_ms_ = ms;
    oracle_.on_segment(at(ms), make(s, false), false);
  }
  void stack(int64_t ms, const Seg& s) {
    last_ms_ = ms;
    oracle_.on_segment(at(ms), make(s, true), true);
  }
  // The clock moves to `ms` with nothing on the wire.
  void clock(int64_t ms) {
    last_ms_ = ms;
    oracle_.on_clock(at(ms));
  }
  void call(int64_t ms, std::string_view name, long result,
            const netstack::tcp::CallArgs& args = {}) {
    last_ms_ = ms;
    netstack::header::TcpHeader h;
    h.src_port = 5000;
    h.dst_port = 80;
    oracle_.on_segment_in(at(ms), kEndpoint, netstack::tcp::State::kEstablished, h, 0,
                          netstack::tcp::Verdict::kAccepted);
    oracle_.on_socket_call(at(ms), kEndpoint, netstack::tcp::State::kEstablished, name, result,
                           args);
  }

  // Passive open; the stack then sends 100 bytes, confirming the handshake.
  // RCV.NXT 1001, right edge 1001 + window * 128 (65257 by default); SND.NXT 5101.
  void establish(uint16_t window = 502) {
    peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7});
    stack(0, {.flags = flag::kSyn | flag::kAck,
              .seq = 5000,
              .ack = 1001,
              .window = static_cast<uint16_t>(window * 128),
              .wscale = 7});
    peer(10, {.seq = 1001, .ack = 5001});
    stack(20, {.seq = 5001, .ack = 1001, .window = window, .len = 100});
    peer(30, {.seq = 1001, .ack = 5101});
  }

  // The stack traced the peer's segment: what it sent until now answered it.
  void traced(int64_t ms) {
    netstack::header::TcpHeader h;
    h.src_port = 5000;
    h.dst_port = 80;
    oracle_.on_segment_in(at(ms), kEndpoint, netstack::tcp::State::kEstablished, h, 0,
                          netstack::tcp::Verdict::kOutOfWindow);
  }

  // The same with timestamps: the peer's TSval 200, echoed by the stack's
  // 10 bytes (TSval 10); SND.NXT 5011.
  // `syn_ts` and `ack_ts` are the TSvals of the peer's SYN and ACK.
  void establish_with_timestamps(uint32_t syn_ts = 100, uint32_t ack_ts = 200) {
    peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7, .ts_val = syn_ts});
    stack(0, {.flags = flag::kSyn | flag::kAck,
              .seq = 5000,
              .ack = 1001,
              .window = 64256,
              .wscale = 7,
              .ts_val = 9,
              .ts_ecr = syn_ts});
    peer(10, {.seq = 1001, .ack = 5001, .ts_val = ack_ts, .ts_ecr = 9});
    stack(20, {.seq = 5001, .ack = 1001, .len = 10, .ts_val = 10, .ts_ecr = ack_ts});
  }

  std::string rule() {
    oracle_.finish(at(last_ms_));
    if (!failure_) return "none";
    return failure_->substr(0, failure_->find('\n'));
  }

  Oracle oracle_;
  std::optional<std::string> failure_;
  int64_t last_ms_ = 0;  // the latest event: where rule() finishes the run
};

}  // namespace tcpfuzz::oracle::test_support
