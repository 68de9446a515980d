#include "fuzz/import/conversation.h"

#include <algorithm>

#include "stack/header/tcp.h"

namespace tcpfuzz::import {

namespace flag = netstack::header::tcp_flag;

std::string_view to_string(StackRole role) {
  return role == StackRole::kServer ? "server" : "client";
}

namespace {

constexpr int64_t kFarPathNs = 1'000'000;  // a round trip shorter than this is left alone

// The round trip to correct by when `role` is the host away from the capture
// point (see conversation.h), else 0.
int64_t far_side_delay(const std::vector<CapturedSegment>& all, const CapturedSegment& syn,
                       const CapturedSegment& syn_ack, StackRole role) {
  const auto ack = std::ranges::find_if(all, [&](const CapturedSegment& s) {
    return s.src == syn.src && s.src_port == syn.src_port && (s.flags & flag::kSyn) == 0 &&
           (s.flags & flag::kAck) != 0 && s.ack == syn_ack.seq + 1;
  });
  if (ack == all.end()) return 0;
  const int64_t answer = syn_ack.time_ns - syn.time_ns;  // long when captured at the client
  const int64_t third = ack->time_ns - syn_ack.time_ns;  // long when captured at the server
  const bool captured_at_server = answer < third;
  const int64_t rtt = std::max(answer, third);
  if (std::min(answer, third) * 4 > rtt) return 0;  // no clear capture point
  const bool stack_far = captured_at_server == (role == StackRole::kClient);
  return stack_far && rtt >= kFarPathNs ? rtt : 0;
}

bool after(uint32_t a, uint32_t b) {
  return static_cast<int32_t>(a - b) > 0;
}

// Conversation::peer_seen_ns for a stack on the far side.
std::map<const CapturedSegment*, int64_t> peer_seen(const Conversation& c) {
  std::map<const CapturedSegment*, int64_t> seen;
  const CapturedSegment* next_peer = nullptr;
  for (auto p = c.segments.rbegin(); p != c.segments.rend(); ++p) {
    if (c.from_stack(**p)) continue;
    int64_t at = (*p)->time_ns + c.peer_delay_ns;
    const bool answerable =
        !(*p)->payload.empty() || ((*p)->flags & (flag::kSyn | flag::kFin)) != 0;
    for (auto q = p.base(); answerable && q != c.segments.end(); ++q) {  // the stack's answer
      if (c.from_stack(**q) && (*q)->time_ns >= (*p)->time_ns && ((*q)->flags & flag::kAck) != 0 &&
          after((*q)->ack, (*p)->seq)) {
        at = std::min(at, (*q)->time_ns);
        break;
      }
    }
    if (next_peer != nullptr) at = std::min(at, seen[next_peer]);
    seen[*p] = at;
    next_peer = *p;
  }
  return seen;
}

}  // namespace

netstack::Expected<Conversation, std::string> conversation_of(const Flow& flow, StackRole role) {
  const auto& all = flow.segments;
  const auto syn = std::find_if(all.begin(), all.end(), [](const CapturedSegment& s) {
    return (s.flags & (flag::kSyn | flag::kAck)) == flag::kSyn;
  });
  if (syn == all.end()) {
    return netstack::Unexpected{std::string("no SYN (captured mid-connection)")};
  }
  const auto syn_ack = std::find_if(syn, all.end(), [&](const CapturedSegment& s) {
    return (s.flags & (flag::kSyn | flag::kAck)) == (flag::kSyn | flag::kAck) &&
           s.src == syn->dst && s.src_port == syn->dst_port && s.ack == syn->seq + 1;
  });
  if (syn_ack == all.end()) {
    return netstack::Unexpected{std::string("no SYN-ACK answers the SYN (handshake not captured)")};
  }
  Conversation c;
  c.role = role;
  c.ipv6 = syn->src.is_v6();
  c.start_ns = syn->time_ns;
  const bool server = role == StackRole::kServer;
  c.stack_address = server ? syn->dst : syn->src;
  c.stack_port = server ? syn->dst_port : syn->src_port;
  c.stack_isn = server ? syn_ack->seq : syn->seq;
  c.peer_isn = server ? syn->seq : syn_ack->seq;
  c.peer_delay_ns = far_side_delay(all, *syn, *syn_ack, role);
  for (auto it = syn; it != all.end(); ++it) c.segments.push_back(&*it);
  if (c.peer_delay_ns != 0) {
    c.peer_seen_ns = peer_seen(c);
    c.start_ns = server ? c.peer_seen_ns.at(&*syn) : syn->time_ns;
    std::ranges::stable_sort(c.segments, {},
                             [&](const CapturedSegment* s) { return c.time_ns(*s); });
  }
  return c;
}

}  // namespace tcpfuzz::import
