// Connection states (RFC 9293 section 3.3.2) and the one table of legal
// transitions: the RFC 9293 diagram plus the extensions this stack makes,
// each named by its cause. The invariant checker rejects any other edge and
// coverage tools report against this list.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace netstack::tcp {

enum class State : uint8_t {
  kClosed,
  kListen,
  kSynSent,
  kSynRcvd,
  kEstablished,
  kFinWait1,
  kFinWait2,
  kCloseWait,
  kClosing,
  kLastAck,
  kTimeWait,
};
inline constexpr size_t kStateCount = 11;

std::string_view to_string(State s);
// States after the handshake, where RFC 5961 and the main input path apply.
bool is_synchronized(State s);

struct Transition {
  State from;
  State to;
  std::string_view cause;
};

std::span<const Transition> legal_transitions();
bool is_legal_transition(State from, State to);
// Index of (from, to, cause) in legal_transitions(), or -1.
int transition_index(State from, State to, std::string_view cause);

}  // namespace netstack::tcp
