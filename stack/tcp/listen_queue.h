// ListenQueue: a listener's two queues (Linux icsk_accept_queue and its
// request socks; gVisor accept.go): embryonic connections in SYN-RECEIVED,
// and established ones waiting for accept(), bounded by the backlog.
//
// It is the only part of a listener its children touch: a child reaches it
// through Protocol::listen_queue() to say it was established or is gone,
// and to ask whether there is room for it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "stack/tcp/trace.h"
#include "stack/util/block_pool.h"

namespace netstack::tcp {

class ListenQueue {
 public:
  // listen(2)'s backlog, clamped as net.core.somaxconn does.
  void set_backlog(int backlog);
  int backlog() const { return backlog_; }

  // Linux sk_acceptq_is_full(): more established connections waiting than
  // the backlog.
  bool accept_queue_full() const { return accept_.size() > static_cast<size_t>(backlog_); }
  // Linux inet_csk_reqsk_queue_is_full(): more embryonic connections than
  // the backlog, or than net.ipv4.tcp_max_syn_backlog.
  bool syn_queue_full(uint32_t max_syn_backlog) const {
    return syn_.size() > static_cast<size_t>(backlog_) || syn_.size() >= max_syn_backlog;
  }

  // A new child in SYN-RECEIVED.
  void add_embryonic(EndpointId child) { syn_.push_back(child); }
  // The child completed its handshake: it waits for accept().
  void established(EndpointId child);
  // The child is gone before accept() took it.
  void remove(EndpointId child);
  bool awaiting_accept(EndpointId child) const;

  bool has_established() const { return !accept_.empty(); }
  // accept(): the oldest established child.
  std::optional<EndpointId> pop_established();

  const RecycledDeque<EndpointId>& embryonic() const { return syn_; }
  const RecycledDeque<EndpointId>& established_queue() const { return accept_; }
  void clear();

 private:
  int backlog_ = 0;
  RecycledDeque<EndpointId> syn_;
  RecycledDeque<EndpointId> accept_;
};

}  // namespace netstack::tcp
