#include "fuzz/import/conversation.h"

#include <algorithm>

#include "stack/header/tcp.h"

namespace tcpfuzz::import {

namespace flag = netstack::header::tcp_flag;

std::string_view to_string(StackRole role) {
  return role == StackRole::kServer ? "server" : "client";
}

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
  for (auto it = syn; it != all.end(); ++it) c.segments.push_back(&*it);
  return c;
}

}  // namespace tcpfuzz::import
