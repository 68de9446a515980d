// A flow seen from the side the stack will play: which packets it sent,
// both initial sequence numbers, where time starts. Scripts and seeds are
// written from it.
//
// The stack plays the server (the side that received the first SYN) unless
// asked to play the client.
//
// The times are the capture point's. When the capture was taken at the
// other host, across a path whose round trip is 1 ms or more, the host the
// stack plays saw each of the peer's packets half an RTT later and sent its
// own half an RTT earlier than captured: the peer's packets are moved an RTT
// later (and the segments put in that order), so the stack's reactions come
// as soon after them as the captured host's did. The capture point is the
// side whose handshake answer followed at once: a server-side capture has
// the SYN-ACK right after the SYN and the ACK an RTT later, a client-side
// one the reverse. A flow without a SYN (captured mid-connection)
// or without the SYN-ACK that answers it has no numbering to start from and
// is refused with the reason.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/import/flows.h"
#include "stack/util/expected.h"

namespace tcpfuzz::import {

enum class StackRole : uint8_t { kServer, kClient };
std::string_view to_string(StackRole role);

struct Conversation {
  StackRole role = StackRole::kServer;
  bool ipv6 = false;
  // The flow from the first SYN on.
  std::vector<const CapturedSegment*> segments;
  netstack::IpAddress stack_address;
  uint16_t stack_port = 0;
  uint32_t stack_isn = 0;
  uint32_t peer_isn = 0;
  int64_t start_ns = 0;  // the first SYN's timestamp, as the stack saw it
  // How much later than captured the stack saw the peer's packets.
  int64_t peer_delay_ns = 0;
  // When the stack saw each of them, on the capture's clock: an RTT after
  // its capture, but before the stack's answer to it (the path's delay
  // varies) and not after the peer's next packet.
  std::map<const CapturedSegment*, int64_t> peer_seen_ns;

  bool from_stack(const CapturedSegment& s) const {
    return s.src == stack_address && s.src_port == stack_port;
  }
  // Nanoseconds since the first SYN, as the stack saw them.
  int64_t time_ns(const CapturedSegment& s) const {
    const auto seen = peer_seen_ns.find(&s);
    return (seen != peer_seen_ns.end() ? seen->second : s.time_ns) - start_ns;
  }
  int64_t time_us(const CapturedSegment& s) const { return time_ns(s) / 1000; }
  // Sequence number relative to the sender's ISN, ack to the receiver's
  // (packetdrill's numbering: the SYN is 0, the first data byte 1).
  uint32_t relative_seq(const CapturedSegment& s) const {
    return s.seq - (from_stack(s) ? stack_isn : peer_isn);
  }
  uint32_t relative_ack(uint32_t ack, bool from_stack_side) const {
    return ack - (from_stack_side ? peer_isn : stack_isn);
  }
};

netstack::Expected<Conversation, std::string> conversation_of(const Flow& flow, StackRole role);

}  // namespace tcpfuzz::import
