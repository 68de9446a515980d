// A flow seen from the side the stack will play: which packets it sent,
// both initial sequence numbers, where time starts. Scripts and seeds are
// written from it.
//
// The stack plays the server (the side that received the first SYN) unless
// asked to play the client. A flow without a SYN (captured mid-connection)
// or without the SYN-ACK that answers it has no numbering to start from and
// is refused with the reason.
#pragma once

#include <cstdint>
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
  int64_t start_ns = 0;  // the first SYN's timestamp

  bool from_stack(const CapturedSegment& s) const {
    return s.src == stack_address && s.src_port == stack_port;
  }
  // Microseconds since the first SYN.
  int64_t time_us(const CapturedSegment& s) const { return (s.time_ns - start_ns) / 1000; }
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
