// The socket-like API, state transitions and teardown.
#include "stack/tcp/endpoint.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "stack/tcp/invariants.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

seqnum::Size Segment::logical_length() const {
  uint32_t n = static_cast<uint32_t>(payload.size());
  if (has(kSyn)) ++n;
  if (has(kFin)) ++n;
  return seqnum::Size(n);
}

Endpoint::Endpoint(Protocol& protocol, EndpointId id, IpAddress::Family family)
    : protocol_(protocol),
      id_(id),
      family_(family),
      keep_idle_(protocol.config().keepalive_time),
      keep_intvl_(protocol.config().keepalive_intvl),
      keep_cnt_(protocol.config().keepalive_probes),
      linger2_(protocol.config().fin_timeout),
      rcvbuf_(protocol.config().rmem_default),
      sndbuf_(protocol.config().wmem_default),
      max_sndbuf_(sndbuf_),
      max_rcvbuf_(rcvbuf_),
      recovery_(protocol.config(), protocol.stats(), sent_, protocol.stack().clock(),
                [this] { on_reorder_timer(); }),
      rtt_(protocol.config().rto),
      reassembly_(protocol.config().rmem_default),
      delayed_ack_(protocol.config(), rtt_, protocol.stack().clock(),
                   [this] { on_delayed_ack_timer(); }),
      retransmit_timer_(protocol.stack().clock(), [this] { on_retransmit_timer(); }),
      keepalive_timer_(protocol.stack().clock(), [this] { on_keepalive_timer(); }),
      time_wait_timer_(protocol.stack().clock(), [this] { on_time_wait_timer(); }),
      fin_wait2_timer_(protocol.stack().clock(), [this] { on_fin_wait2_timer(); }),
      persist_timer_(protocol.stack().clock(), [this] { on_persist_timer(); }) {
  rwin_.configure(rcvbuf_, /*locked=*/false);
}

Endpoint::~Endpoint() {
  cancel_all_timers();
  release_resources();
}

Instant Endpoint::now() const {
  return protocol_.stack().clock().now();
}

LossRecovery::Sender Endpoint::sender_view() const {
  return LossRecovery::Sender{.now = now(),
                              .snd_una = snd_una_,
                              .snd_nxt = snd_nxt_,
                              .snd_max = snd_max_,
                              .snd_mss = snd_mss_,
                              .srtt = rtt_.srtt(),
                              .sack = sack_enabled_,
                              .timestamps = ts_enabled_,
                              .new_data_ready = new_data_ready()};
}

ListenQueue* Endpoint::listener_queue() const {
  return listener_ == kNoEndpoint ? nullptr : protocol_.listen_queue(listener_);
}

bool Endpoint::reapable() const {
  return user_closed_ && state_ == State::kClosed && listener_ == kNoEndpoint;
}

size_t Endpoint::pending_timers() const {
  return static_cast<size_t>(retransmit_timer_.armed()) + delayed_ack_.pending() +
         keepalive_timer_.armed() + time_wait_timer_.armed() + fin_wait2_timer_.armed() +
         persist_timer_.armed() + recovery_.reorder_timer_armed();
}

// ---- API: each call is traced with its result, then the invariants run ----

namespace {

long result_code(Errno e) {
  return e == 0 ? 0 : -e;
}
template <class T>
long result_code(const Expected<T, Errno>& r) {
  return r ? static_cast<long>(*r) : -static_cast<long>(r.error());
}

}  // namespace

template <class R>
R Endpoint::finish_call(std::string_view call, R result, const CallArgs& args) {
  if (Tracer* t = protocol_.tracer()) {
    t->on_socket_call(now(), id_, state_, call, result_code(result), args);
  }
  after_event();
  return result;
}

void Endpoint::finish_call(std::string_view call) {
  if (Tracer* t = protocol_.tracer()) t->on_socket_call(now(), id_, state_, call, 0, {});
  after_event();
}

Errno Endpoint::bind(const IpAddress& a, uint16_t port) {
  return finish_call("bind", bind_impl(a, port));
}
Errno Endpoint::listen(int backlog) {
  return finish_call("listen", listen_impl(backlog));
}
Errno Endpoint::connect(const IpAddress& a, uint16_t port) {
  return finish_call("connect", connect_impl(a, port));
}
Expected<EndpointId, Errno> Endpoint::accept() {
  return finish_call("accept", accept_impl());
}
Expected<size_t, Errno> Endpoint::read(std::span<uint8_t> out, bool peek) {
  auto result = read_impl(out, peek);
  const CallArgs args{.bytes = result ? out.first(*result) : std::span<const uint8_t>{}};
  return finish_call(peek ? "peek" : "read", std::move(result), args);
}
Expected<size_t, Errno> Endpoint::read_urgent(std::span<uint8_t> out, bool peek) {
  auto result = read_urgent_impl(out, peek);
  return finish_call(peek ? "peek-oob" : "read-oob", std::move(result));
}
Expected<size_t, Errno> Endpoint::splice_read(std::span<uint8_t> out, bool nonblocking) {
  auto result = splice_read_impl(out, nonblocking);
  const CallArgs args{.bytes = result ? out.first(*result) : std::span<const uint8_t>{}};
  return finish_call("splice", std::move(result), args);
}
Expected<size_t, Errno> Endpoint::write(std::span<const uint8_t> data, SendFlags flags) {
  auto result = write_impl(data, flags);
  const CallArgs args{.bytes = result ? data.first(*result) : std::span<const uint8_t>{}};
  return finish_call("write", std::move(result), args);
}
Errno Endpoint::shutdown(ShutdownHow how) {
  return finish_call("shutdown", shutdown_impl(how), {.value = static_cast<int>(how)});
}
void Endpoint::close() {
  close_impl();
  finish_call("close");
}
void Endpoint::abort() {
  abort_impl();
  finish_call("abort");
}
Errno Endpoint::set_option(SockOpt opt, int value) {
  return finish_call("setsockopt", set_option_impl(opt, value), {.option = opt, .value = value});
}
Expected<int, Errno> Endpoint::get_option(SockOpt opt) {
  return finish_call("getsockopt", get_option_impl(opt));
}

Errno Endpoint::bind_impl(const IpAddress& address, uint16_t port) {
  if (bound_ || state_ != State::kClosed) return EINVAL;
  if (address.family() != family_) return EAFNOSUPPORT;
  Stack& stack = protocol_.stack();
  if (!address.is_unspecified() && !stack.is_local_address(address)) return EADDRNOTAVAIL;
  if (port == 0) {
    const auto p = protocol_.ephemeral_port(address);
    if (!p) return EADDRINUSE;
    port = *p;
  } else if (stack.tcp_demuxer().port_in_use(address, port, reuse_addr_)) {
    return EADDRINUSE;
  }
  tuple_.local_address = address;
  tuple_.local_port = port;
  bound_ = true;
  return 0;
}

Errno Endpoint::listen_impl(int backlog) {
  if (state_ == State::kListen) {
    listen_queue_.set_backlog(backlog);  // Linux: re-listen updates the backlog
    return 0;
  }
  if (state_ != State::kClosed || registered_connection_) return EINVAL;
  if (!bound_) {
    // Linux autobinds a listening socket to an ephemeral port on "any".
    const Errno e = bind_impl(any_address(family_), 0);
    if (e != 0) return e;
  }
  if (!protocol_.stack().tcp_demuxer().add_listener(tuple_.local_address, tuple_.local_port,
                                                    this)) {
    return EADDRINUSE;
  }
  registered_listener_ = true;
  listen_queue_.set_backlog(backlog);
  // Linux inet_listen(): with TFO_SERVER_WO_SOCKOPT1 every listener does
  // Fast Open, its pending queue as long as the backlog.
  const uint32_t fastopen = protocol_.config().fastopen;
  if ((fastopen & Config::kFastOpenServerWithoutSockopt) != 0 &&
      (fastopen & Config::kFastOpenServer) != 0 && fastopen_max_qlen_ == 0) {
    fastopen_max_qlen_ = static_cast<uint32_t>(std::max(backlog, 0));
  }
  transition(State::kListen, "passive open");
  return 0;
}

Errno Endpoint::connect_impl(const IpAddress& address, uint16_t port) {
  return stream_connect(address, port, /*from_sendmsg=*/false);
}

Errno Endpoint::connect_result() {
  return finish_call("connect", connect_finished());
}

Errno Endpoint::stream_connect(const IpAddress& address, uint16_t port, bool from_sendmsg) {
  // Linux __inet_stream_connect(), without its wait: a blocking caller
  // waits for the handshake, then asks connect_result().
  Errno err = 0;
  switch (socket_state_) {
    case SocketState::kConnected:
      return EISCONN;
    case SocketState::kConnecting:
      // A deferred TCP_FASTOPEN_CONNECT is "connected" to connect(), and in
      // progress to the sendto() that sends its SYN.
      if (defer_connect_) {
        err = from_sendmsg ? EINPROGRESS : EISCONN;
      } else {
        err = EALREADY;
      }
      break;
    case SocketState::kUnconnected:
      if (state_ != State::kClosed) return EISCONN;
      err = tcp_connect(address, port);
      if (err != 0 && err != EINPROGRESS) return err;
      socket_state_ = SocketState::kConnecting;
      if (err == 0) return 0;  // the SYN waits for the first write
      break;
  }
  if (state_ == State::kSynSent || state_ == State::kSynRcvd) return err;
  return connect_finished();
}

Errno Endpoint::connect_finished() {
  if (state_ == State::kSynSent || state_ == State::kSynRcvd) return EALREADY;
  if (state_ == State::kClosed) {
    // Linux sock_error(), then tcp_disconnect(): the error once (or
    // ECONNABORTED when it was read already), and the socket can connect
    // anew; it never had a connection as far as reads go.
    const Errno e = pending_error_ != 0 ? pending_error_ : ECONNABORTED;
    pending_error_ = 0;
    socket_state_ = SocketState::kUnconnected;
    done_ = false;
    return e;
  }
  socket_state_ = SocketState::kConnected;
  return 0;
}

Errno Endpoint::tcp_connect(const IpAddress& address, uint16_t port) {
  if (address.family() != family_) return EAFNOSUPPORT;
  if (port == 0 || address.is_unspecified()) return ECONNREFUSED;
  Stack& stack = protocol_.stack();
  IpAddress local = tuple_.local_address;
  if (!bound_ || local.is_unspecified()) {
    // The source address: the first address of our family on any NIC.
    const std::optional<IpAddress> chosen = stack.first_address(family_);
    if (!chosen) return ENETUNREACH;
    local = *chosen;
  }
  const uint16_t local_port =
      bound_ ? tuple_.local_port : protocol_.ephemeral_port(local).value_or(0);
  if (local_port == 0) return EADDRNOTAVAIL;
  FourTuple t{local, local_port, address, port};
  if (!stack.tcp_demuxer().add_connection(t, this)) return EADDRINUSE;
  tuple_ = t;
  bound_ = true;
  registered_connection_ = true;
  nic_ = stack.nic_for(local).value_or(0);
  pending_error_ = 0;
  hard_error_ = 0;
  iss_ = protocol_.isn().isn(tuple_, now());
  snd_una_ = snd_nxt_ = snd_max_ = iss_;
  syn_retries_ = 0;
  ++protocol_.stats().active_opens;
  transition(State::kSynSent, "active open");
  if (fast_open_data_) {
    prepare_fast_open_syn(*fast_open_data_);
  } else if (fastopen_connect_) {
    // Linux tcp_fastopen_defer_connect(): with a usable cookie the SYN waits
    // for the first write and connect() succeeds at once; without one the
    // SYN asks for a cookie.
    uint16_t cached_mss = 0;
    if (fast_open_cookie_check(&syn_fast_open_, &cached_mss)) {
      defer_connect_ = true;
      return 0;
    }
    syn_fastopen_ = true;
  }
  send_syn();
  return EINPROGRESS;
}

Expected<EndpointId, Errno> Endpoint::accept_impl() {
  if (state_ != State::kListen) return Unexpected{EINVAL};
  const std::optional<EndpointId> child_id = listen_queue_.pop_established();
  if (!child_id) return Unexpected{EAGAIN};
  Endpoint* child = protocol_.find(*child_id);
  assert(child != nullptr);
  child->listener_ = kNoEndpoint;
  child->user_closed_ = false;
  child->socket_state_ = SocketState::kConnected;  // Linux inet_accept()
  return *child_id;
}

Expected<size_t, Errno> Endpoint::read_impl(std::span<uint8_t> out, bool peek) {
  if (state_ == State::kListen) return Unexpected{ENOTCONN};
  // Linux tcp_recvmsg_locked(): a read stops at the urgent mark, and one
  // that starts there steps over the urgent byte (unless SO_OOBINLINE),
  // consuming it even if nothing follows.
  const UrgentReceiver::ReadPlan plan = urgent_.plan_read(copied_seq(), oob_inline_);
  const size_t skip = plan.skip_urgent_byte && !receive_queue_.empty() ? 1 : 0;
  if (receive_queue_.size() <= skip) {
    if (skip != 0 && !peek) consume_received(skip);
    return nothing_to_read(out);
  }
  const size_t n = receive_queue_.copy_out(skip, out.first(std::min(out.size(), plan.limit)));
  if (!peek) consume_received(skip + n);
  return n;
}

Expected<size_t, Errno> Endpoint::splice_read_impl(std::span<uint8_t> out, bool nonblocking) {
  if (state_ == State::kListen) return Unexpected{ENOTCONN};
  // Linux tcp_read_sock(): the urgent mark stops it, the byte is not skipped.
  size_t limit = receive_queue_.size();
  if (urgent_.mark_ahead(copied_seq())) {
    limit = std::min<size_t>(limit, urgent_.distance_from(copied_seq()));
  }
  const size_t n = receive_queue_.copy_out(0, out.first(std::min(out.size(), limit)));
  if (n > 0) {
    consume_received(n);
    return n;
  }
  // Linux tcp_splice_read() with nothing spliced answers as tcp_recvmsg()
  // does, except that a blocking call with data waiting behind the mark
  // returns 0 rather than wait for nothing.
  auto none = nothing_to_read(out);
  const bool waits = !none && none.error() == EAGAIN && !nonblocking;
  if (waits && !receive_queue_.empty()) return size_t{0};
  return none;
}

Expected<size_t, Errno> Endpoint::nothing_to_read(std::span<uint8_t> out) {
  // Linux tcp_recvmsg(): the peer's end of stream (SOCK_DONE) comes before
  // a pending error; reads go on returning 0, and the error is left for
  // write() or SO_ERROR.
  if (fin_received_) return size_t{0};
  if (pending_error_ != 0) {
    const Errno e = pending_error_;
    pending_error_ = 0;
    return Unexpected{e};
  }
  if (read_shutdown_ || out.empty()) return size_t{0};
  // Linux tcp_recvmsg(): a connection that ended reads as end of stream; a
  // socket that never had one is ENOTCONN.
  if (state_ == State::kClosed) {
    return done_ ? Expected<size_t, Errno>(size_t{0}) : Unexpected{ENOTCONN};
  }
  return Unexpected{EAGAIN};
}

void Endpoint::consume_received(size_t n) {
  const uint32_t window_before = receive_window();
  receive_queue_.pop_front(n);
  rwin_.consumed(static_cast<uint32_t>(n));
  adjust_receive_space(n);
  urgent_.on_read(copied_seq());
  // Linux tcp_cleanup_rbuf(): after reading, ACK at once if a delayed ACK
  // already covers more than a segment, or if the window we can offer has
  // at least doubled (which the clamp may not allow).
  if (is_synchronized(state_) && !fin_received_ && !read_shutdown_) {
    const bool ack_due = delayed_ack_.pending() && rcv_wup_.size_to(rcv_nxt_).bytes() > snd_mss_;
    const bool can_double = uint64_t{2} * window_before <= rwin_.window_clamp();
    const uint32_t window_now = can_double ? window_candidate() : 0;
    if (ack_due || (window_now != 0 && window_now >= 2 * window_before)) send_ack();
  }
}

seqnum::Value Endpoint::copied_seq() const {
  const size_t unread = receive_queue_.size() + (fin_received_ ? 1 : 0);
  return rcv_nxt_.sub(seqnum::Size(static_cast<uint32_t>(unread)));
}

Expected<size_t, Errno> Endpoint::read_urgent_impl(std::span<uint8_t> out, bool peek) {
  // Linux tcp_recv_urg(); EINVAL when there is nothing to read "is right",
  // as its comment says (BSD's answer). (Its ENOTCONN for a socket that was
  // never connected cannot meet urgent data here.)
  if (state_ == State::kListen) return Unexpected{ENOTCONN};
  if (oob_inline_) return Unexpected{EINVAL};
  uint8_t byte = 0;
  switch (urgent_.read_oob(peek, &byte)) {
    case UrgentReceiver::OobRead::kNone:
      return Unexpected{EINVAL};
    case UrgentReceiver::OobRead::kByte:
      if (out.empty()) return size_t{0};  // Linux: MSG_TRUNC
      out[0] = byte;
      return size_t{1};
    case UrgentReceiver::OobRead::kNotYet:
      break;
  }
  // Linux: a recv(MSG_OOB) never blocks.
  if (state_ == State::kClosed || read_shutdown_ || fin_received_) return size_t{0};
  return Unexpected{EAGAIN};
}

Expected<int, Errno> Endpoint::at_urgent_mark() const {
  // Linux tcp_ioctl(SIOCATMARK).
  if (state_ == State::kListen) return Unexpected{EINVAL};
  return urgent_.at_mark(copied_seq()) ? 1 : 0;
}

void Endpoint::adjust_receive_space(size_t copied) {
  const uint32_t mss = advertised_mss_ != 0 ? advertised_mss_ : rcv_mss_;
  const ReceiveAutotune::ReadContext c{
      .initial_space = std::min(rwin_.rcv_wnd(), protocol_.config().initial_cwnd * mss),
      .advertised_mss = advertised_mss_,
      .rmem_max = protocol_.config().rmem_max,
      .may_grow = !rcvbuf_locked_};
  const std::optional<uint32_t> rcvbuf = autotune_.on_read(copied, now(), c);
  if (rcvbuf && *rcvbuf > rcvbuf_) {
    rcvbuf_ = *rcvbuf;
    max_rcvbuf_ = std::max(max_rcvbuf_, rcvbuf_);
    rwin_.grow_buffer(rcvbuf_);
    reassembly_.set_max_bytes(rcvbuf_);
  }
}

Expected<size_t, Errno> Endpoint::write_impl(std::span<const uint8_t> data, SendFlags flags) {
  if (pending_error_ != 0) {
    const Errno e = pending_error_;
    pending_error_ = 0;
    return Unexpected{e};
  }
  if (state_ == State::kSynSent && defer_connect_) {
    // Linux tcp_sendmsg_locked(): the first write of a deferred
    // TCP_FASTOPEN_CONNECT sends the SYN with the data.
    return send_fast_open_impl(tuple_.remote_address, tuple_.remote_port, data, flags.zerocopy);
  }
  switch (state_) {
    case State::kEstablished:
    case State::kCloseWait:
      break;
    case State::kSynRcvd:
      // Linux tcp_sendmsg(): a passive Fast Open socket may send already.
      if (passive_fastopen_) break;
      return Unexpected{EAGAIN};
    case State::kSynSent:
      return Unexpected{EAGAIN};  // non-blocking write before the handshake completes
    case State::kClosed:
    case State::kListen:
      // Linux sk_stream_wait_connect(): EPIPE, connected before or not.
      return Unexpected{EPIPE};
    default:
      return Unexpected{EPIPE};  // FIN already queued
  }
  if (fin_queued_) return Unexpected{EPIPE};
  // Linux tcp_sendmsg_locked(): no memory for an skb waits for memory, which
  // a non-blocking socket reports as EAGAIN.
  if (protocol_.allocation_fails(AllocationSite::kSendBuffer)) return Unexpected{EAGAIN};
  const size_t n = queue_write_by_skbs(data, flags);
  if (n < data.size()) write_space_wanted_ = true;  // Linux SOCK_NOSPACE
  if (n == 0 && !data.empty()) return Unexpected{EAGAIN};
  // Linux tcp_sendmsg_locked(): MSG_ZEROCOPY counts only with SO_ZEROCOPY
  // on and data to send; a write that fails above takes no id.
  const seqnum::Value write_seq =
      snd_una_.add(seqnum::Size(static_cast<uint32_t>(send_queue_.size())));
  if (flags.zerocopy && zerocopy_ && n > 0) zerocopy_notes_.on_send(write_seq);
  // Linux tcp_tx_timestamp(): the last byte a write queued is marked.
  if (n > 0) tx_stamps_.on_write(write_seq);
  // Linux: MSG_MORE corks only the push at the end of this call; pushes
  // driven by later ACKs follow the socket's own Nagle/cork settings.
  hold_for_more_ = flags.more;
  send_data();
  hold_for_more_ = false;
  return n;
}

Errno Endpoint::shutdown_impl(ShutdownHow how) {
  switch (state_) {
    case State::kSynSent:
      // Linux inet_shutdown(): any shutdown in SYN-SENT disconnects
      // (tcp_disconnect()): CLOSED without FIN or RST, ECONNRESET left to
      // report. The socket never connected, so later reads are ENOTCONN,
      // not end-of-file (the connection is not "done").
      release_resources();
      transition(State::kClosed, "close");
      done_ = false;
      pending_error_ = ECONNRESET;
      socket_state_ = SocketState::kUnconnected;
      return 0;
    case State::kClosed:
    case State::kListen:
      return ENOTCONN;
    case State::kTimeWait:
      // Linux: a connection in TIME-WAIT lives on in a timewait sock; the
      // user's socket is CLOSED, and inet_shutdown() says ENOTCONN.
      if (how != ShutdownHow::kWrite) read_shutdown_ = true;
      return ENOTCONN;
    default:
      break;
  }
  if (how != ShutdownHow::kWrite) read_shutdown_ = true;
  if (how != ShutdownHow::kRead && !fin_queued_) {
    fin_queued_ = true;
    if (state_ == State::kEstablished || state_ == State::kSynRcvd) {
      transition(State::kFinWait1, "close");
    } else if (state_ == State::kCloseWait) {
      transition(State::kLastAck, "close");
    }
    send_data();
  }
  return 0;
}

void Endpoint::close_impl() {
  if (user_closed_) return;
  user_closed_ = true;
  read_shutdown_ = true;
  switch (state_) {
    case State::kClosed:
      release_resources();
      break;
    case State::kListen: {
      // Linux inet_csk_listen_stop(): established children waiting in the
      // accept queue are reset; embryonic (SYN-RECEIVED) ones are dropped.
      for (EndpointId id : listen_queue_.established_queue()) {
        if (Endpoint* c = protocol_.find(id)) {
          c->listener_ = kNoEndpoint;
          c->fail(ECONNRESET, "ext: abort", /*send_rst=*/true);
        }
      }
      for (EndpointId id : listen_queue_.embryonic()) {
        if (Endpoint* c = protocol_.find(id)) {
          c->listener_ = kNoEndpoint;
          c->release_resources();
          c->transition(State::kClosed, "ext: listener closed");
        }
      }
      listen_queue_.clear();
      release_resources();
      transition(State::kClosed, "close");
      break;
    }
    case State::kSynSent:
      release_resources();
      transition(State::kClosed, "close");
      break;
    case State::kTimeWait:
      break;  // the timewait socket lives on (see abort_impl())
    default: {
      const bool unread = !receive_queue_.empty();
      if (unread) {
        // RFC 9293 3.10.4 allows it and Linux does it: closing with unread
        // data aborts with RST so the peer learns the data was lost.
        fail(0, "ext: close with unread data", /*send_rst=*/true);
      } else if (linger_ && *linger_ == 0) {
        // SO_LINGER with a zero timeout: abortive close (Linux tcp_disconnect()).
        fail(0, "ext: abort", /*send_rst=*/true);
      } else if (state_ == State::kFinWait2) {
        linger_in_fin_wait2(/*fin_arriving=*/false);
      } else {
        shutdown_impl(ShutdownHow::kBoth);
      }
      break;
    }
  }
}

void Endpoint::abort_impl() {
  if (state_ == State::kListen) {
    close_impl();
    return;
  }
  // Linux hands TIME-WAIT to a separate timewait socket: the user's socket
  // is already closed, and nothing the user does ends TIME-WAIT early.
  if (state_ != State::kClosed && state_ != State::kTimeWait) {
    fail(ECONNABORTED, "ext: abort", /*send_rst=*/state_ != State::kSynSent);
  }
}

uint32_t Endpoint::poll() const {
  using namespace poll_event;
  uint32_t ev = 0;
  if (state_ == State::kListen) return listen_queue_.has_established() ? kIn | kRdNorm : 0;
  // Linux tcp_poll(). A connection that ended went through tcp_done(),
  // which shuts both directions (sk_shutdown = SHUTDOWN_MASK); a FIN
  // received or shutdown(SHUT_RD) shuts the read side, a FIN queued the
  // write side.
  const bool ended = state_ == State::kClosed && done_;
  const bool read_closed = read_shutdown_ || fin_received_ || ended;
  const bool write_closed = fin_queued_ || ended;
  if (state_ == State::kClosed || (read_closed && write_closed)) ev |= kHup;
  if (read_closed) ev |= kIn | kRdNorm | kRdHup;
  // Readable and writable only once connected (or a passive Fast Open
  // socket); a deferred TCP_FASTOPEN_CONNECT is writable so that the
  // application's write sends the SYN.
  const bool connected =
      state_ != State::kSynSent && (state_ != State::kSynRcvd || passive_fastopen_);
  if (connected) {
    // Linux tcp_poll(): the urgent byte at the head of the stream, to be
    // skipped, is not data to read; a byte for recv(MSG_OOB) is EPOLLPRI.
    const bool skips_urgent = !oob_inline_ && urgent_.at_mark(copied_seq());
    if (receive_queue_.size() > (skips_urgent ? 1U : 0U)) ev |= kIn | kRdNorm;
    if (urgent_.byte_waiting()) ev |= kPri;
    // Writable while __sk_stream_is_writeable(sk, 1) (TCP_NOTSENT_LOWAT included).
    if (write_closed || send_buffer_writeable()) {
      ev |= kOut | kWrNorm;
    }
  } else if (state_ == State::kSynSent && defer_connect_) {
    ev |= kOut | kWrNorm;
  }
  if (pending_error_ != 0 || !error_queue_.empty()) ev |= kErr;
  return ev;
}

Expected<size_t, Errno> Endpoint::unread_bytes() const {
  // Linux tcp_ioctl(SIOCINQ): EINVAL on a listener, nothing before the
  // handshake ends; the FIN is not a byte to read.
  if (state_ == State::kListen) return Unexpected{EINVAL};
  if (state_ == State::kSynSent || state_ == State::kSynRcvd) return size_t{0};
  return receive_queue_.size();
}

uint32_t Endpoint::inq_hint() const {
  const auto left = static_cast<uint32_t>(receive_queue_.size());
  return left == 0 && fin_received_ ? 1 : left;
}

Expected<ErrorQueueEntry, Errno> Endpoint::read_error_queue() {
  auto entry = error_queue_.pop();
  if (!entry) return Unexpected{EAGAIN};
  return *entry;
}

// ---- State changes and teardown ----

void Endpoint::transition(State to, std::string_view cause) {
  const State from = state_;
  if (from == to) return;
  if (to == State::kClosed) done_ = true;
#if TCPFUZZ_INVARIANTS
  if (transition_index(from, to, cause) < 0) {
    protocol_.report_invariant_failure(describe_illegal_transition(*this, from, to, cause));
  }
#endif
  state_ = to;
  ++wakeups_.state;  // Linux sk_state_change()
  if (to == State::kEstablished) last_data_received_at_ = now();
  if (Tracer* t = protocol_.tracer()) t->on_transition(now(), id_, from, to, cause);
}

void Endpoint::fail(Errno error, std::string_view cause, bool send_rst) {
  if (send_rst) send_rst_for_abort();
  hard_error_ = error;
  // A connection still waiting to be accepted keeps its error for its user.
  if ((!user_closed_ || listener_ != kNoEndpoint) && error != 0) pending_error_ = error;
  release_resources();
  transition(State::kClosed, cause);
}

void Endpoint::release_resources() {
  cancel_all_timers();
  Stack& stack = protocol_.stack();
  if (registered_connection_) stack.tcp_demuxer().remove_connection(tuple_);
  if (registered_listener_) {
    stack.tcp_demuxer().remove_listener(tuple_.local_address, tuple_.local_port);
  }
  registered_connection_ = registered_listener_ = false;
  end_passive_fast_open();
  bool awaiting_accept = false;
  if (listener_ != kNoEndpoint) {
    // Linux keeps a connection that died while waiting in the accept queue
    // there: accept() still returns it, and reading it reports the error
    // after the data that arrived before it.
    ListenQueue* q = listener_queue();
    awaiting_accept = q != nullptr && q->awaiting_accept(id_);
    if (!awaiting_accept) {
      if (q != nullptr) q->remove(id_);
      listener_ = kNoEndpoint;
    }
  }
  send_queue_.clear();
  send_skbs_.clear();
  snd_up_.reset();
  sent_.clear();
  reassembly_.clear();
  sack_list_.clear();
  if (user_closed_ && !awaiting_accept) receive_queue_.clear();
}

void Endpoint::cancel_all_timers() {
  retransmit_timer_.cancel();
  delayed_ack_.cancel();
  keepalive_timer_.cancel();
  time_wait_timer_.cancel();
  fin_wait2_timer_.cancel();
  persist_timer_.cancel();
  recovery_.cancel_reorder_timer();
}

void Endpoint::trace_in(const Segment& s, Verdict v) {
  Tracer* t = protocol_.tracer();
  if (t == nullptr || s.traced_by_listener) return;
  t->on_segment_in(now(), id_, state_, s.wire.tcp, s.wire.payload.size(), v);
}

void Endpoint::after_event() {
#if TCPFUZZ_INVARIANTS
  if (auto report = check_invariants(*this)) protocol_.report_invariant_failure(*report);
#endif
}

}  // namespace netstack::tcp
