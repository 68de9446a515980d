// White-box access to an Endpoint for tests (QUICHE's *_peer.h pattern):
// static functions only, befriended by Endpoint, so the public API stays
// the socket API.
#pragma once

#include "stack/tcp/endpoint.h"

namespace netstack::tcp {

class EndpointPeer {
 public:
  static void set_snd_nxt(Endpoint& ep, seqnum::Value v) { ep.snd_nxt_ = v; }
  static void set_rcv_nxt(Endpoint& ep, seqnum::Value v) { ep.rcv_nxt_ = v; }
  static void cancel_retransmit_timer(Endpoint& ep) { ep.retransmit_timer_.cancel(); }
  static void add_sack_block(Endpoint& ep, seqnum::Value seq, seqnum::Value end) {
    ep.sack_list_.add(seq, end);
  }
  static void arm_time_wait_timer(Endpoint& ep) {
    ep.time_wait_timer_.arm_after(std::chrono::seconds(1));
  }
};

}  // namespace netstack::tcp
