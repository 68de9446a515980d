// The socket under test, as packetdrill tracks it: which 4-tuple the script's
// packets belong to, and how script sequence numbers map to live ones.
// The script runner and the binary runner share it, so every binary fuzz
// input can be written out as a script that maps exactly the same way.
//
// packetdrill's rules (run_packet.c, socket.h): the remote side's numbers
// are the script's own, except that non-SYN numbers count from the remote
// ISN, which the first packet to a listener (or the SYN-ACK to a connect)
// defines. The local side's numbers count from the stack's live ISN, learnt
// from the first SYN it sends.
// For a connect: SYN out (local ISN), then SYN-ACK in (remote ISN).
#pragma once

#include <cstdint>

namespace tcpfuzz::scenario {

// packetdrill's defaults: the addresses of the stack ("local") and of the
// scripted peer ("remote"), the peer's port for passive connections and the
// ports the stack listens on and connects to.
inline constexpr const char* kLocalIpv4 = "192.168.0.1";
inline constexpr const char* kRemoteIpv4 = "192.0.2.1";
inline constexpr const char* kLocalIpv6 = "fd3d:a0b:17d6::1";
inline constexpr const char* kRemoteIpv6 = "fd3d:fa7b:d17d::1";
inline constexpr uint16_t kRemoteEphemeralPort = 48000;
inline constexpr uint16_t kDefaultBindPort = 8080;
inline constexpr uint16_t kDefaultConnectPort = 8080;
// Script time 0 on the fake clock: packetdrill's clock starts at 1 µs.
inline constexpr int64_t kScriptStartNanos = 1000;

struct SocketUnderTest {
  enum class Phase : uint8_t {
    kNone,
    kNew,
    kListening,
    kPassiveReceived,  // a packet reached the listener
    kConnecting,       // connect() called
    kSynSent,          // the stack's SYN seen; the SYN-ACK will fix the remote ISN
    kSynced,
  };
  Phase phase = Phase::kNone;
  uint32_t script_local_isn = 0;
  uint32_t live_local_isn = 0;
  uint32_t remote_isn = 0;
  uint16_t local_port = 0;
  uint16_t remote_port = kRemoteEphemeralPort;
  // The peer's port for the next passive connection: packetdrill takes a
  // fresh ephemeral port for each (next_ephemeral_port()), so a later one
  // never lands on an earlier connection.
  uint16_t next_passive_port = kRemoteEphemeralPort;

  // socket(): a fresh socket becomes the one under test.
  void on_socket() {
    *this = SocketUnderTest{.phase = Phase::kNew, .next_passive_port = next_passive_port};
  }
  void on_listen(uint16_t port) {
    phase = Phase::kListening;
    local_port = port;
  }
  void on_connect(uint16_t peer_port) {
    *this = SocketUnderTest{.phase = Phase::kConnecting,
                            .remote_port = peer_port,
                            .next_passive_port = next_passive_port};
  }
  // An inbound script packet with sequence number `script_seq`. Like
  // packetdrill's handle_listen_for_script_packet(), the first packet to a
  // listener, or before any socket exists, starts a passive connection.
  void on_inbound(uint32_t script_seq, bool syn, bool ack, uint16_t bind_port) {
    if (phase == Phase::kListening || phase == Phase::kNone) {
      phase = Phase::kPassiveReceived;
      remote_isn = script_seq;
      local_port = bind_port;
      remote_port = next_passive_port++;
    } else if (phase == Phase::kSynSent && syn && ack) {
      remote_isn = script_seq;
      phase = Phase::kSynced;
    }
  }
  // The first SYN the stack sends on a passive or connecting socket fixes
  // the local mapping.
  void on_outbound_syn(uint32_t script_isn, uint32_t live_isn, uint16_t live_src_port) {
    if (phase != Phase::kPassiveReceived && phase != Phase::kConnecting) return;
    script_local_isn = script_isn;
    live_local_isn = live_isn;
    if (phase == Phase::kConnecting) {
      local_port = live_src_port;
      phase = Phase::kSynSent;
    } else {
      phase = Phase::kSynced;
    }
  }
  // Whether packetdrill sees a packet the stack sends to `dst_port`:
  // only the socket under test's.
  bool sees(uint16_t dst_port) const { return dst_port == remote_port; }
  // packetdrill (run_packet.c, find_socket_for_live_packet() and
  // find_connect_for_live_packet()): of what it sees, only the socket under
  // test's packets are compared, and while that socket connects (until the
  // SYN-ACK), any SYN to the peer, which it takes for its own; an older
  // socket's packets are not.
  bool compares(bool pure_syn, uint16_t src_port, uint16_t dst_port) const {
    if (pure_syn && (phase == Phase::kConnecting || phase == Phase::kSynSent)) {
      return dst_port == remote_port;
    }
    if (phase == Phase::kNew || phase == Phase::kConnecting) return false;
    return local_port == 0 || (src_port == local_port && dst_port == remote_port);
  }

  // live = script + offset (mod 2^32).
  uint32_t local_offset(bool syn) const {
    return syn ? live_local_isn - script_local_isn : live_local_isn;
  }
  uint32_t remote_offset(bool syn) const { return syn ? 0 : remote_isn; }
};

}  // namespace tcpfuzz::scenario
