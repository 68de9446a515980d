// Endpoint: one TCP connection (or listener) with a socket-like API.
//
// The RFC 9293 state machine, event-driven: work happens inline in
// handle_segment(), in API calls and in timer callbacks, and returns. The
// behaviour follows gVisor's netstack (connect.go, snd.go, rcv.go,
// accept.go) and Linux wherever the RFCs leave a choice; each such choice is
// commented where it is made.
//
// Where each behaviour lives (files, and the parts that are classes of
// their own): stack/tcp/README.md.
//
// Lifetime: the Protocol owns every Endpoint. A user holds an EndpointId;
// after close() the connection lives on (FIN-WAIT, TIME-WAIT) until it
// reaches CLOSED, then the Protocol reaps it.
#pragma once

#include <cerrno>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stack/buffer/view.h"
#include "stack/header/tcp_options.h"
#include "stack/seqnum/seqnum.h"
#include "stack/tcp/byte_queue.h"
#include "stack/tcp/congestion_control.h"
#include "stack/tcp/delayed_ack.h"
#include "stack/tcp/error_queue.h"
#include "stack/tcp/listen_queue.h"
#include "stack/tcp/loss_recovery.h"
#include "stack/tcp/out_of_order_fins.h"
#include "stack/tcp/reassembly.h"
#include "stack/tcp/receive_autotune.h"
#include "stack/tcp/receive_window.h"
#include "stack/tcp/rtt_estimator.h"
#include "stack/tcp/sack_list.h"
#include "stack/tcp/send_skbs.h"
#include "stack/tcp/sent_segments.h"
#include "stack/tcp/socket_types.h"
#include "stack/tcp/trace.h"
#include "stack/tcp/tx_timestamps.h"
#include "stack/tcp/urgent_data.h"
#include "stack/tcp/zerocopy.h"
#include "stack/tcp_demuxer.h"
#include "stack/time/timer.h"
#include "stack/util/block_pool.h"
#include "stack/util/expected.h"

namespace netstack::tcp {

class Protocol;

// An inbound segment with its sequence-space view and parsed options.
// send()'s flags, as TCP sees them.
struct SendFlags {
  // MSG_MORE: more data follows, so hold a partial segment and do not mark
  // the end of this write with PSH.
  bool more = false;
  // MSG_EOR: no later data joins a segment with this write's end.
  bool eor = false;
  // MSG_ZEROCOPY: with SO_ZEROCOPY on, the write's completion is notified
  // on the error queue (Endpoint::read_error_queue()).
  bool zerocopy = false;
  // MSG_OOB: the write's last byte is urgent; the urgent pointer follows it
  // (Linux tcp_mark_urg()).
  bool oob = false;
};

struct Segment {
  const InboundSegment& wire;  // as it arrived: for tracing and RST replies
  // Handled by a child for the listener it arrived at, which traces it (the
  // ACK of a SYN cookie): the child does not.
  bool traced_by_listener = false;
  seqnum::Value seq{};
  seqnum::Value ack{};
  uint8_t flags = 0;
  uint16_t window = 0;  // as on the wire (unscaled)
  header::TcpOptions options{};
  View payload{};

  bool has(uint8_t f) const { return (flags & f) != 0; }
  // Sequence space the segment occupies: payload plus SYN and FIN.
  seqnum::Size logical_length() const;
};

class Endpoint final : public SegmentHandler {
 public:
  Endpoint(Protocol& protocol, EndpointId id, IpAddress::Family family);
  ~Endpoint() override;
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  EndpointId id() const { return id_; }
  State state() const { return state_; }
  const FourTuple& tuple() const { return tuple_; }
  IpAddress::Family family() const { return family_; }

  // ---- The socket-like API ----
  Errno bind(const IpAddress& address, uint16_t port);
  Errno listen(int backlog);
  // Non-blocking: EINPROGRESS once the SYN is out; the outcome arrives as
  // writability or a pending error (SO_ERROR).
  Errno connect(const IpAddress& address, uint16_t port);
  // What a blocking connect() returns once the handshake is over (Linux
  // __inet_stream_connect() after inet_wait_for_connect()): 0, or the
  // connection's error; EALREADY while it is not over.
  Errno connect_result();
  // An established connection from the accept queue, now owned by the caller.
  Expected<EndpointId, Errno> accept();
  Expected<size_t, Errno> read(std::span<uint8_t> out, bool peek = false);
  // recv(MSG_OOB): the urgent byte (urgent_data.h); EINVAL when there is
  // none to read, EAGAIN while its segment has not arrived.
  Expected<size_t, Errno> read_urgent(std::span<uint8_t> out, bool peek = false);
  // splice() from the socket (Linux tcp_splice_read(), tcp_read_sock()):
  // as read(), except that it never passes the urgent mark, inline or not,
  // and a blocking call stopped there (`nonblocking` false) returns 0
  // instead of waiting.
  Expected<size_t, Errno> splice_read(std::span<uint8_t> out, bool nonblocking);
  // ioctl(SIOCATMARK): 1 when the next byte to read is the urgent one.
  Expected<int, Errno> at_urgent_mark() const;
  Expected<size_t, Errno> write(std::span<const uint8_t> data, SendFlags flags = {});
  // sendto(MSG_FASTOPEN) (RFC 7413; Linux tcp_sendmsg_fastopen()): connect
  // with as much of `data` in the SYN as a cached cookie allows. The bytes
  // the SYN carries, or EINPROGRESS when it carries none; the rest is for
  // write() once the connection is established. `zerocopy` as for write():
  // the SYN's data takes a notification id.
  Expected<size_t, Errno> send_fast_open(const IpAddress& address, uint16_t port,
                                         std::span<const uint8_t> data, bool zerocopy = false);
  Errno shutdown(ShutdownHow how);
  // Releases the user's hold: a graceful close (FIN) or, with unread data or
  // SO_LINGER 0, an abort (RST).
  void close();
  // Sends RST (where a connection exists) and goes to CLOSED.
  void abort();
  Errno set_option(SockOpt opt, int value);
  // TCP_FASTOPEN_CONNECT: the SYN waits for the first write.
  bool fast_open_deferred() const { return defer_connect_; }
  // A blocking write waits for the connection (Linux sk_write_pending).
  void set_write_pending(bool pending) { write_pending_ = pending; }
  // TCP_CONGESTION.
  Errno set_congestion_control(CongestionAlgorithm a);
  CongestionAlgorithm congestion_control() const { return recovery_.algorithm(); }
  Expected<int, Errno> get_option(SockOpt opt);
  uint32_t poll() const;
  TcpInfo info() const;
  // ioctl(SIOCINQ): bytes ready to read (EINVAL on a listener).
  Expected<size_t, Errno> unread_bytes() const;
  // TCP_INQ's cmsg after a read: the bytes left, or 1 when none are left and
  // the peer has closed (Linux tcp_inq_hint()).
  uint32_t inq_hint() const;
  // recvmsg(MSG_ERRQUEUE): the oldest MSG_ZEROCOPY notification or TX
  // timestamp (EAGAIN: none).
  Expected<ErrorQueueEntry, Errno> read_error_queue();
  const Wakeups& wakeups() const { return wakeups_; }

  // Begin SegmentHandler implementation.
  void handle_segment(InboundSegment& in) override;
  void handle_icmp_error(const header::IcmpError& error) override;
  bool allows_port_reuse() const override { return reuse_addr_ && state_ != State::kListen; }
  // End SegmentHandler implementation.

  bool user_closed() const { return user_closed_; }
  // True once the endpoint can be deleted: closed by its user (or never
  // handed to one) and in CLOSED.
  bool reapable() const;
  size_t pending_timers() const;

 private:
  friend class Protocol;
  friend class EndpointPeer;  // white-box access for tests
  friend std::optional<std::string> check_invariants(const Endpoint& ep);

  // ---- API implementations (endpoint.cc; options in socket_options.cc);
  // the public calls wrap them ----
  Errno bind_impl(const IpAddress& address, uint16_t port);
  Errno listen_impl(int backlog);
  Errno connect_impl(const IpAddress& address, uint16_t port);
  // Linux __inet_stream_connect() for a caller that does not wait; from
  // sendto(MSG_FASTOPEN) when `from_sendmsg`.
  Errno stream_connect(const IpAddress& address, uint16_t port, bool from_sendmsg);
  // Its end, once the handshake is over: SS_CONNECTED, or the error.
  Errno connect_finished();
  // Linux tcp_v4_connect(): the SYN goes (EINPROGRESS), or waits for the
  // first write of a TCP_FASTOPEN_CONNECT socket (0).
  Errno tcp_connect(const IpAddress& address, uint16_t port);
  Expected<EndpointId, Errno> accept_impl();
  Expected<size_t, Errno> read_impl(std::span<uint8_t> out, bool peek);
  Expected<size_t, Errno> write_impl(std::span<const uint8_t> data, SendFlags flags);
  Expected<size_t, Errno> read_urgent_impl(std::span<uint8_t> out, bool peek);
  Expected<size_t, Errno> splice_read_impl(std::span<uint8_t> out, bool nonblocking);
  // What read() returns with nothing to take from the receive queue.
  Expected<size_t, Errno> nothing_to_read(std::span<uint8_t> out);
  // The reader took `n` bytes from the head of the receive queue.
  void consume_received(size_t n);
  // Where the reader is in the peer's stream (Linux copied_seq).
  seqnum::Value copied_seq() const;
  // The sixth step of segment processing: the URG bit (Linux tcp_urg()).
  void check_urgent(const Segment& s);
  Errno shutdown_impl(ShutdownHow how);
  void close_impl();
  void abort_impl();
  Errno set_option_impl(SockOpt opt, int value);
  Expected<int, Errno> get_option_impl(SockOpt opt);
  template <class R>
  R finish_call(std::string_view call, R result, const CallArgs& args = {});
  void finish_call(std::string_view call);

  // ---- Handshake and listener (handshake.cc, listener.cc) ----
  void send_syn();
  void handle_syn_sent(Segment& s);
  bool echoes_a_synack(const Segment& s) const;
  // SYN-RECEIVED of a passive open (Linux tcp_check_req()), and of a full
  // socket: a simultaneous open or a child made by a SYN-ACK; both end in
  // accept_handshake_ack().
  void handle_syn_rcvd(Segment& s);
  void handle_full_socket_syn_rcvd(Segment& s);
  void become_full_socket_child(Segment& s);
  // The checks both start with: a retransmitted SYN, an ACK of nothing
  // sent. True when the segment was answered.
  bool answered_in_syn_rcvd(const Segment& s, bool retransmitted_syn);
  bool in_request_window(const Segment& s) const;
  void accept_handshake_ack(Segment& s);
  void handle_listen(Segment& s);
  // A connection in SYN-RECEIVED for `syn` (which arrived here), on the
  // SYN queue.
  Endpoint* new_child(const Segment& syn, seqnum::Value iss);
  // A SYN that reopens a TIME-WAIT 4-tuple, queued as if it had come to
  // this listener, with the ISN the TIME-WAIT chose; false when this
  // endpoint does not listen.
  bool take_reopening_syn(const Segment& syn, seqnum::Value iss);
  void negotiate_syn_options(const header::TcpOptions& peer);
  void send_syn_ack();
  void transmit_syn_ack();  // send_syn_ack() without arming the timer
  uint16_t mss_to_advertise() const;
  uint8_t window_scale_to_offer() const;
  uint32_t ts_value() const;
  void complete_handshake(const Segment& s, std::string_view cause);
  bool accept_cookie(Segment& s);
  // The queue of the listener this connection came from, if any.
  ListenQueue* listener_queue() const;

  // ---- TCP Fast Open, client (fast_open_client.cc) ----
  Expected<size_t, Errno> send_fast_open_impl(const IpAddress& address, uint16_t port,
                                              std::span<const uint8_t> data, bool zerocopy);
  // Linux tcp_send_syn_data(): the Fast Open option and data of the first
  // SYN, from the cookie cache; the data is what fits.
  void prepare_fast_open_syn(std::span<const uint8_t> data);
  // Linux tcp_fastopen_cookie_check(): whether a SYN may carry data (a
  // cookie is cached, or none is needed), and the option it carries.
  bool fast_open_cookie_check(std::optional<header::FastOpenCookie>* option, uint16_t* mss) const;
  // Linux tcp_rcv_fastopen_synack(): what the SYN-ACK says about Fast Open
  // (the cache learns), the SYN data it did not acknowledge goes again, and
  // data on it is taken. True when SYN data goes again.
  bool on_fast_open_synack(const Segment& s);
  // Once SND.UNA is `ack` after a handshake: the SYN data it covers is
  // delivered, the rest goes again, marked lost (`mark_lost`, Linux
  // tcp_rcv_fastopen_synack()) or left to the retransmission timer (a
  // simultaneous open, where Linux keeps it in the queue). True when some
  // goes again.
  bool settle_syn_data(seqnum::Value ack, bool mark_lost);

  // ---- TCP Fast Open, server (fast_open_server.cc) ----
  // Linux tcp_try_fastopen(): whether the listener takes this SYN's data
  // now, and the cookie its SYN-ACK carries otherwise.
  struct FastOpenVerdict {
    bool accept = false;
    std::optional<header::FastOpenCookie> reply;
  };
  FastOpenVerdict fast_open_verdict(const Segment& syn);
  // Linux tcp_fastopen_create_child(): the child takes the SYN's data and
  // waits in the accept queue while still in SYN-RECEIVED.
  void start_fast_open_child(Endpoint& child, const Segment& syn);
  // The Fast Open child left SYN-RECEIVED (or died): its listener's pending
  // count drops (Linux reqsk_fastopen_remove()).
  void end_passive_fast_open();

  // ---- ICMP errors (icmp_errors.cc) and path MTU (path_mtu.cc) ----
  // An ICMP error for a passive open still on the SYN queue (Linux tcp_req_err()).
  void handle_icmp_for_request(const header::IcmpError& error);
  // "Fragmentation needed" / "packet too big" with the next hop's MTU.
  void handle_packet_too_big(uint32_t mtu);
  // The MTU towards the peer: the link's, or less once ICMP said so.
  uint32_t route_mtu() const;
  uint32_t mss_for_mtu(uint32_t mtu) const;
  void sync_mss_to_route();
  // The MSS the route and the peer allow; snd_mss_ follows it within half
  // the largest window the peer offered (bound_mss_to_window()).
  void set_path_mss(uint32_t mss);
  void bound_mss_to_window();
  // Linux tcp_write_err(): a timeout reports the last soft error, if any.
  Errno timeout_error() const { return soft_error_ != 0 ? soft_error_ : ETIMEDOUT; }

  // ---- ECN (ecn.cc), RFC 3168 ----
  // The flags our SYN adds (ECE and CWR when net.ipv4.tcp_ecn asks for it).
  uint8_t ecn_syn_flags();
  void ecn_on_synack(const Segment& s);
  void ecn_on_simultaneous_syn(const Segment& s);
  void ecn_on_passive_syn(const Segment& syn);
  // A data segment arrived: CE marks to echo, CWR ending the echo.
  void ecn_on_data(const Segment& s);
  // The ACK echoes a congestion mark (ECE).
  bool ecn_echoed(const Segment& s) const;
  // Before a segment goes: ECE/CWR added to `flags`; returns the IP ECN
  // field (ECT(0) for new data of an ECN connection).
  uint8_t ecn_on_send(uint8_t* flags, bool new_data);

  // ---- Synchronized states (input.cc), RFC 9293 3.10.7.4 ----
  void handle_synchronized(Segment& s);
  // Steps one to four (PAWS, sequence, RST, SYN); false when they dropped or
  // answered the segment. `handshake_syn_ack` lets a simultaneous open's
  // SYN-ACK through the SYN check.
  bool passes_synchronized_checks(const Segment& s, bool handshake_syn_ack);
  bool check_timestamp(const Segment& s);
  bool sequence_acceptable(const Segment& s) const;
  uint32_t receive_window() const;
  void handle_rst(const Segment& s);
  bool rst_matches_after_fin(const Segment& s) const;
  bool handle_ack(const Segment& s);
  void handle_data(Segment& s);
  void handle_fin(const Segment& s);
  // The FIN's sequence number and state change, without the ACK it draws.
  void take_fin();
  // The segment acknowledged our FIN in FIN-WAIT-1 (time_wait.cc).
  void enter_fin_wait2(const Segment& s);
  // Data, or a FIN, that runs past RCV.NXT (Linux's test for an abort on data).
  bool runs_past_rcv_nxt(const Segment& s) const;
  void update_ts_recent(const Segment& s);
  void send_challenge_ack();
  // An RTT sample for the estimator and recovery (RACK's minimum); one from
  // the segment's TSecr, if it has one to give.
  void add_rtt_sample(Duration rtt);
  // Whether the segment's TSecr gave a sample.
  bool sample_rtt_from_echo(const Segment& s);
  // The D-SACK block the next ACK carries: [seq, end) up to RCV.NXT.
  void set_dsack(seqnum::Value seq, seqnum::Value end);
  // In-order data moved RCV.NXT over out-of-order data or a FIN queued
  // before: what it passed is reported and a passed FIN dropped.
  void report_out_of_order_passed();
  // `report_duplicate`: a full socket's tcp_send_dupack() (D-SACK, quickack);
  // request and TIME-WAIT socks only ACK.
  void send_dup_ack_rate_limited(const Segment& s, bool report_duplicate = false);

  // ---- Loss recovery glue (endpoint.cc, timers.cc; the rules are in
  // LossRecovery) ----
  // The sender's state as LossRecovery reads it.
  LossRecovery::Sender sender_view() const;
  void on_reorder_timer();

  // ---- Output (output.cc) ----
  void send_data();
  // send_data()'s work: lost segments, then new data; true when the
  // congestion window stopped it.
  bool transmit();
  bool send_one_segment(seqnum::Value seq, size_t len, bool retransmit);
  // Retransmits what is marked lost as the windows allow; false when
  // nothing more can go.
  bool retransmit_lost();
  // New data as the windows allow; true when the congestion window stopped it.
  // `nagle_off`: Nagle's rule holds nothing back (cork still does), as
  // Linux's TCP_NAGLE_OFF push.
  bool send_new_data(bool nagle_off = false);
  // Linux tcp_process_loss()'s test for F-RTO: unsent data, and the peer's
  // window ends beyond SND.NXT.
  bool new_data_ready() const;
  // Linux tcp_sendmsg(): data is queued in MSS-sized buffers; a buffer that
  // fills once more than half the peer's largest window has been written
  // since the last push, and the last buffer of a write (without MSG_MORE),
  // are marked for PSH (forced_push(), tcp_mark_push()). Without
  // `forced_pushes` only the end can be: an MSG_OOB write's buffers are
  // not checked as they fill (tcp_sendmsg_locked() skips them).
  void queue_write(std::span<const uint8_t> data, bool more, bool eor, bool forced_pushes = true);

  // ---- The send buffer (send_buffer.cc) ----
  // TCP_NOTSENT_LOWAT in force: the option, else net.ipv4.tcp_notsent_lowat.
  uint32_t notsent_lowat() const;
  // Written but never sent (Linux write_seq - snd_nxt).
  size_t notsent_bytes() const;
  // Linux tcp_stream_memory_free(): unsent bytes (doubled for a wake-up)
  // below TCP_NOTSENT_LOWAT.
  bool stream_memory_free(bool wake) const;
  // Linux sk_wmem_queued: the queue's bytes and its skbs' overhead.
  size_t wmem_queued() const;
  // Linux __sk_stream_memory_free(): below SO_SNDBUF and TCP_NOTSENT_LOWAT.
  bool send_memory_free(bool wake) const;
  // Linux __sk_stream_is_writeable(sk, 1): what poll() reports as EPOLLOUT.
  bool send_buffer_writeable() const;
  // Linux tcp_sndbuf_expand().
  void expand_sndbuf();
  // An ACK freed queued data: a waiting writer may grow the buffer and wake.
  void on_send_space_freed();
  // Linux tcp_xmit_size_goal(): the bytes one send-queue skb takes.
  uint32_t size_goal() const;
  // Linux tcp_sendmsg_locked(): the data goes into skbs of size_goal(),
  // each new skb only while send_memory_free(); the bytes queued.
  // MSG_OOB writes skbs of one segment and pushes only at the end
  // (tcp_xmit_size_goal() without large_allowed).
  size_t queue_write_by_skbs(std::span<const uint8_t> data, SendFlags flags);
  void mark_push(seqnum::Value at);
  // A PSH mark at `at` without moving pushed_seq_, and its removal (true
  // when there was one).
  void add_push_mark(seqnum::Value at);
  bool clear_push_mark(seqnum::Value at);
  // The send head's skb, ending at `end`, grown for sending; its new end.
  seqnum::Value grow_send_head(seqnum::Value end, uint32_t mss);
  void send_control(uint8_t flags, seqnum::Value seq, seqnum::Value ack);
  // Answering as Linux's request or timewait sock rather than a full socket.
  bool is_minisock() const;
  // The sequence number of a segment without data (Linux tcp_acceptable_seq()).
  seqnum::Value acceptable_seq() const;
  void send_ack();
  void send_rst_for_abort();
  // `new_data`: payload sent for the first time (ECN marks only that).
  // Returns the IP packet's length, 0 when no buffer could be had for it.
  size_t emit(uint8_t flags, seqnum::Value seq, seqnum::Value ack, std::span<const uint8_t> payload,
              bool syn_options, bool new_data = false);
  // The window to offer now (Linux __tcp_select_window(), which also ends
  // quickack mode when the buffer is more than half full).
  uint32_t window_candidate();
  // Linux tcp_current_mss(): the payload that fits beside the options the
  // next segment carries (snd_mss_ less any SACK blocks).
  uint32_t current_mss() const;
  uint16_t window_to_advertise();
  // Linux tcp_event_data_recv(): delayed-ACK bookkeeping for new data.
  void on_data_received(uint32_t len);
  // Receive-buffer auto-tuning (ReceiveAutotune; endpoint.cc): the buffer
  // grown to what the application read in the last RTT.
  void adjust_receive_space(size_t copied);
  // Linux __tcp_ack_snd_check(): ACK now or arm the delayed-ACK timer.
  void ack_check();
  // Linux inet_csk_schedule_ack(): the segment being processed calls for
  // an ACK (at once, with schedule_immediate_ack()); flush_ack_check()
  // runs ack_check() after our own data had the chance to carry it
  // (tcp_data_snd_check() comes before tcp_ack_snd_check()).
  void schedule_ack_check() { ack_check_due_ = true; }
  void schedule_immediate_ack();
  void flush_ack_check();
  void enter_quickack_mode();
  void on_delayed_ack_timer();
  bool fin_queued() const { return fin_queued_; }
  seqnum::Value fin_seq() const;
  bool fin_acked() const;

  // ---- Timers (timers.cc) ----
  void on_retransmit_timer();
  void on_keepalive_timer();
  void on_fin_wait2_timer();
  void arm_retransmit();
  // Linux tcp_set_xmit_timer(): a tail loss probe if one is due, else the RTO.
  void set_xmit_timer();
  bool schedule_loss_probe();
  void on_loss_probe();
  void reset_keepalive();
  bool retransmits_exhausted() const;
  // SYN-ACK retransmissions a passive open makes: its listener's
  // TCP_SYNCNT, else net.ipv4.tcp_synack_retries (Linux reqsk_timer_handler()).
  uint32_t synack_retry_limit() const;
  // Whether an active open (or a simultaneous one) gives up now.
  bool syn_retries_exhausted() const;
  void cancel_all_timers();

  // ---- Zero-window probes (persist.cc), RFC 9293 3.8.6.1 ----
  // Arms the probe timer unless it is armed.
  void arm_persist_timer();
  // An acceptable ACK found nothing in flight (Linux tcp_ack_probe()): a
  // window that takes the unsent head ends the probing; one that does not
  // puts the next probe a backed-off timeout away.
  void on_ack_with_nothing_in_flight();
  // When the next zero-window probe is due (backoff, TCP_USER_TIMEOUT).
  Duration next_probe_in() const;
  void on_persist_timer();

  // ---- Linux's timewait sock: TIME-WAIT, orphaned FIN-WAIT-2 (time_wait.cc) ----
  void enter_time_wait(std::string_view cause);
  void handle_time_wait(Segment& s);
  void on_time_wait_timer();
  bool timewait_paws_reject(const Segment& s) const;
  // The segment's TSval becomes TS.Recent (if it has one).
  void take_ts_recent(const Segment& s);
  void end_timewait_sock_on_rst(const Segment& s);
  // The segment draws a RST and the timewait sock ends.
  void reset_timewait_sock(const Segment& s, std::string_view cause);
  // How long an orphaned FIN-WAIT-2 waits for the peer's FIN (tcp_fin_time()).
  Duration fin_wait2_lifetime() const;
  void linger_in_fin_wait2(bool fin_arriving);
  void become_timewait_fin_wait2(Duration lifetime);
  void handle_timewait_fin_wait2(Segment& s);

  // ---- State changes and teardown (endpoint.cc) ----
  void transition(State to, std::string_view cause);
  // Ends the connection with a hard error (ECONNRESET, ETIMEDOUT, ...).
  void fail(Errno error, std::string_view cause, bool send_rst);
  void release_resources();
  void trace_in(const Segment& s, Verdict v);
  void after_event();
  Instant now() const;

  Protocol& protocol_;
  const EndpointId id_;
  const IpAddress::Family family_;
  State state_ = State::kClosed;
  FourTuple tuple_;
  NicId nic_ = 0;
  bool bound_ = false;
  bool registered_connection_ = false;
  bool registered_listener_ = false;
  bool user_closed_ = false;
  bool read_shutdown_ = false;
  // An orphaned FIN-WAIT-2 that Linux holds as a timewait sock (substate
  // FIN_WAIT2): no timers but its lifetime, its own segment rules.
  bool timewait_fin_wait2_ = false;
  bool done_ = false;  // a connection existed and ended (Linux SOCK_DONE)
  // Linux sock->state: the socket layer's view of connect(), apart from the
  // TCP state (SS_UNCONNECTED, SS_CONNECTING, SS_CONNECTED).
  enum class SocketState : uint8_t { kUnconnected, kConnecting, kConnected };
  SocketState socket_state_ = SocketState::kUnconnected;
  Errno pending_error_ = 0;  // reported once via SO_ERROR / the next call
  Errno hard_error_ = 0;     // the reason a connection ended
  Errno soft_error_ = 0;     // the last ICMP error of an open connection (Linux sk_err_soft)

  // Options.
  bool nodelay_ = false;
  bool cork_ = false;
  RecycledDeque<seqnum::Value> push_marks_;  // ends of buffers marked PSH, unacked
  RecycledDeque<seqnum::Value> eor_marks_;   // MSG_EOR record ends no segment crosses
  seqnum::Value pushed_seq_;                 // write_seq at the last push mark
  uint32_t tail_buffer_ = 0;                 // bytes in the unsent last buffer
  bool hold_for_more_ = false;               // inside that write's own push
  bool ack_check_due_ = false;               // schedule_ack_check() not yet flushed
  bool push_pending_ = false;  // send held data once despite cork (Linux TCP_NAGLE_PUSH)
  bool probe_push_ = false;    // the probe timer is sending: PSH, as tcp_write_wakeup() sets it
  bool keepalive_ = false;
  Duration keep_idle_;
  Duration keep_intvl_;
  uint32_t keep_cnt_;
  Duration user_timeout_{0};
  Duration defer_accept_{0};
  uint16_t user_mss_ = 0;
  Duration linger2_;
  std::optional<int> linger_;  // SO_LINGER seconds when on
  uint32_t rcvbuf_;
  uint32_t sndbuf_;
  uint32_t max_sndbuf_;         // largest SO_SNDBUF ever set: the queue may exceed a shrunk one
  bool sndbuf_locked_ = false;  // SO_SNDBUF was set (Linux SOCK_SNDBUF_LOCK)
  uint32_t max_rcvbuf_;         // likewise for SO_RCVBUF
  bool reuse_addr_ = false;
  uint32_t syn_count_ = 0;   // TCP_SYNCNT (Linux icsk_syn_retries); 0: the sysctls'
  bool inq_ = false;         // TCP_INQ
  bool zerocopy_ = false;    // SO_ZEROCOPY
  bool oob_inline_ = false;  // SO_OOBINLINE
  bool free_bind_ = false;   // IP_FREEBIND (kept: every address is the stack's to bind)
  UrgentReceiver urgent_;
  int mark_ = 0;                // SO_MARK
  uint32_t notsent_lowat_ = 0;  // TCP_NOTSENT_LOWAT (0: the sysctl's)
  ZerocopyNotifier zerocopy_notes_;
  TxTimestamps tx_stamps_;  // SO_TIMESTAMPING
  ErrorQueue error_queue_;
  Wakeups wakeups_;
  bool write_space_wanted_ = false;  // a write found the buffer full (Linux SOCK_NOSPACE)
  Instant last_data_received_at_;    // Linux icsk_ack.lrcvtime

  // Negotiated on the handshake.
  bool ecn_requested_ = false;   // our SYN asked for ECN
  bool ecn_ok_ = false;          // Linux TCP_ECN_OK
  bool ecn_demand_cwr_ = false;  // a CE mark is echoed until the peer's CWR (TCP_ECN_DEMAND_CWR)
  bool ecn_seen_ = false;        // an ECT or CE segment arrived (TCP_ECN_SEEN)
  bool ts_enabled_ = false;
  bool sack_enabled_ = false;
  uint8_t snd_wscale_ = 0;  // shift applied to the peer's window
  uint8_t rcv_wscale_ = 0;  // shift the peer applies to ours
  uint8_t syn_wscale_ = 0;  // the shift our SYN offered
  bool wscale_ok_ = false;
  uint16_t peer_mss_ = 536;  // RFC 9293 3.7.1 default when the SYN had none
  uint16_t advertised_mss_ = 0;
  uint32_t snd_mss_ = 536;   // payload bytes per segment we send (Linux mss_cache)
  uint32_t path_mss_ = 536;  // snd_mss_ before the bound to half the peer's window
  uint32_t path_mtu_ = 0;    // lowered by ICMP "packet too big"; 0: the link's
  uint32_t mss_mtu_ = 0;     // the route MTU snd_mss_ was sized for (Linux icsk_pmtu_cookie)
  bool syn_resent_ = false;  // path MTU discovery resent our SYN without its Fast Open data
  uint32_t ts_recent_ = 0;
  Instant ts_recent_stamp_;
  seqnum::Value last_ack_sent_;

  // Send sequence space (RFC 9293 3.3.1).
  seqnum::Value iss_;
  seqnum::Value snd_una_;
  seqnum::Value snd_nxt_;
  seqnum::Value snd_max_;  // highest sequence number sent + 1
  uint32_t snd_wnd_ = 0;
  uint32_t max_snd_wnd_ = 0;
  // Sequence space the peer has acknowledged since the open: Linux's
  // tcpi_bytes_acked (an active open counts its SYN, a passive one not).
  uint64_t bytes_acked_ = 0;
  seqnum::Value snd_wl1_;
  seqnum::Value snd_wl2_;
  // Urgent mode (Linux tcp_urg_mode()): the urgent pointer, just past the
  // last byte of the last MSG_OOB write, until the peer acknowledges it.
  std::optional<seqnum::Value> snd_up_;
  ByteQueue send_queue_;  // from the first unacknowledged data byte
  SendSkbs send_skbs_;    // send_queue_ as Linux's skbs would hold it
  bool fin_queued_ = false;
  bool fin_sent_ = false;
  seqnum::Value snd_sml_;  // end of the last small segment sent (Nagle, Minshall)
  seqnum::Value fin_sent_seq_;
  std::optional<Instant> retrans_stamp_;       // first (re)send of the oldest unacked data
  uint32_t probes_out_ = 0;                    // zero-window probes since the window closed
  std::optional<Instant> probes_started_;      // the first of them (Linux icsk_probes_tstamp)
  bool loss_probe_armed_ = false;              // the xmit timer is a TLP, not the RTO
  Instant rto_deadline_;                       // when the RTO for the oldest data is due
  std::optional<seqnum::Value> tlp_high_seq_;  // SND.NXT when the last probe went
  bool syn_acked_ = false;

  // The scoreboard, and loss recovery with the congestion window.
  SentSegments sent_;
  LossRecovery recovery_;
  RttEstimator rtt_;
  std::optional<std::pair<seqnum::Value, Instant>> rtt_probe_;  // Karn: one timed segment
  uint32_t consecutive_timeouts_ = 0;
  uint64_t total_retransmits_ = 0;
  Instant first_retransmit_at_;
  Instant last_ack_received_at_;
  Instant last_send_at_;
  uint32_t keepalive_unacked_ = 0;

  // Receive sequence space.
  seqnum::Value irs_;
  seqnum::Value rcv_nxt_;
  seqnum::Value rcv_adv_;  // right edge of the window last advertised
  seqnum::Value rcv_wup_;  // rcv_nxt when that window was advertised (Linux rcv_wup)
  ReceiveWindow rwin_;
  bool rcvbuf_locked_ = false;  // SO_RCVBUF was set
  ReceiveAutotune autotune_;
  uint32_t rcv_mss_ = 536;                  // the peer's segment size as we see it (Linux rcv_mss)
  OutOfOrderFins ooo_fins_;                 // FINs that arrived ahead of a gap
  std::optional<header::SackBlock> dsack_;  // RFC 2883: a duplicate to report once
  ByteQueue receive_queue_;
  Reassembly reassembly_;
  SackList sack_list_;  // what the ACKs report of reassembly_ (and ooo_fins_)
  bool fin_received_ = false;
  DelayedAck delayed_ack_;
  Instant last_oow_ack_at_;  // rate limit for out-of-window and challenge ACKs
  mutable std::optional<seqnum::Value> checked_rcv_nxt_;  // the invariant checker's memory

  // Handshake.
  uint32_t syn_retries_ = 0;
  Instant handshake_started_;
  bool deferred_ack_seen_ = false;
  // TSvals of our first and latest SYN-ACK: the final ACK must echo one in between.
  std::optional<std::pair<uint32_t, uint32_t>> synack_tsvals_;
  // TSval of our first SYN (Linux retrans_stamp): a SYN-ACK must echo one
  // between it and now.
  std::optional<uint32_t> syn_tsval_;

  // Listener (and the link from a child to it).
  ListenQueue listen_queue_;
  EndpointId listener_ = kNoEndpoint;
  // A passive child made a full socket while still in SYN-RECEIVED (a
  // SYN-ACK at the peer's ISN completed its request): in the accept queue,
  // its segments meet a full socket's checks, as a simultaneous open's do.
  bool full_socket_child_ = false;
  // Our SYN crossed the peer's: SYN-RECEIVED reached from SYN-SENT.
  bool simultaneous_open_ = false;

  // TCP Fast Open.
  uint32_t fastopen_max_qlen_ = 0;  // listener: TCP_FASTOPEN, 0 = off
  uint32_t fastopen_qlen_ = 0;      // listener: children still in SYN-RECEIVED
  // A child made from a SYN with data, still in SYN-RECEIVED, and the
  // listener whose pending count it holds.
  bool passive_fastopen_ = false;
  EndpointId fastopen_listener_ = kNoEndpoint;
  bool syn_data_acked_ = false;  // TCPI_OPT_SYN_DATA
  // The Fast Open option our SYN or SYN-ACK carries.
  std::optional<header::FastOpenCookie> syn_fast_open_;
  uint32_t delivered_ = 0;         // tcpi_delivered
  bool write_pending_ = false;     // Linux sk_write_pending
  bool fastopen_connect_ = false;  // TCP_FASTOPEN_CONNECT
  bool defer_connect_ = false;     // TCP_FASTOPEN_CONNECT: the SYN waits for the first write
  bool syn_fastopen_ = false;      // our first SYN carried a Fast Open option (Linux syn_fastopen)
  bool syn_fastopen_exp_ = false;  // ... in the experimental form
  std::vector<uint8_t> syn_data_;  // the data our first SYN carried
  // During send_fast_open(): the data connect_impl() puts in the SYN.
  std::optional<std::span<const uint8_t>> fast_open_data_;
  bool fastopen_no_cookie_ = false;  // TCP_FASTOPEN_NO_COOKIE

  Timer retransmit_timer_;
  Timer keepalive_timer_;
  Timer time_wait_timer_;
  Timer fin_wait2_timer_;
  Timer persist_timer_;
};

}  // namespace netstack::tcp
