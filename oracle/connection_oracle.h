// ConnectionOracle: one connection of the stack under test, rebuilt from
// the wire alone — the segments the stack sent, the segments that reached
// it, and what its socket calls returned — and the rules it must follow
// (rules.h). It never reads the stack's own fields: what the stack has
// received, acknowledged and advertised is what its segments say.
//
// Where the wire leaves the stack's state uncertain (RCV.NXT moves without
// an ACK until a delayed ACK leaves; a RST at RCV.NXT may have ended the
// connection), the oracle keeps bounds and judges only what holds for every
// value inside them: it may miss a bug, it must never accuse a correct stack.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "oracle/peer_stream.h"
#include "oracle/reply_model.h"
#include "oracle/rules.h"
#include "oracle/sequence_coverage.h"
#include "oracle/wire_segment.h"
#include "stack/tcp/trace.h"
#include "stack/time/clock.h"

namespace tcpfuzz::oracle {

struct Violation {
  Rule rule;
  std::string detail;
};

// Where the connection is, as far as the wire tells.
enum class Phase : uint8_t {
  kNone,          // no SYN from the stack yet
  kSynSent,       // the stack sent a SYN, has acknowledged none
  kSynReceived,   // the stack sent a SYN-ACK
  kUnknown,       // the handshake may have completed; the stack has not confirmed it
  kSynchronized,  // the stack acknowledged the peer's SYN and confirmed it since
  kMaybeClosed,   // a RST that may have ended it; the next non-RST segment revives it
  kClosed,        // the stack reset or closed it
};

// A peer's segment at its arrival, with what the oracle knew then.
struct Arrival {
  WireSegment segment;
  netstack::Instant at;
  Phase phase = Phase::kNone;
  bool judged_states = false;  // synchronized, alive, and neither side of the close begun by us
  bool user_closed = false;    // close, shutdown or abort was called
  uint32_t rcv_wup = 0;        // the stack's last ACK: Linux's RCV.WUP
  uint32_t right_edge = 0;     // the stack's last advertised right window edge
  uint32_t rcv_nxt_max = 0;    // the most RCV.NXT can be: what the peer offered in order
  bool peer_fin_seen = false;
  // The right edge of the highest SACK block in the stack's last ACK, and
  // whether it may hold a block that ACK left out.
  std::optional<uint32_t> sack_edge;
  bool sack_edge_unknown = false;
  bool paws_old = false;          // RFC 7323 5.3: older than the stack's TS.Recent
  bool paws_maybe_old = false;    // older than a TS.Recent the stack may hold
  bool rate_limit_free = true;    // no ACK of ours in the last tcp_invalid_ratelimit
  bool replies_may_fail = false;  // the host's allocations may fail (fault injection)
  // A socket call came at the same instant before the next event: what it
  // sent (close()'s RST, say) is among the replies.
  bool replies_include_a_call = false;
  // In SYN-SENT: the TSecr is not surely one of the stack's TSvals since
  // its first SYN (Linux PAWSACTIVEREJECTED draws a RST).
  bool tsecr_maybe_unsent = false;
  // The connection is surely in TIME-WAIT: RCV.NXT is `peer_fin_end`.
  bool time_wait = false;
  uint32_t peer_fin_end = 0;
  // The connection is surely gone: LAST-ACK took the ACK of the stack's
  // FIN, or TIME-WAIT has surely ended.
  bool gone = false;
};

class ConnectionOracle {
 public:
  ConnectionOracle(const netstack::IpAddress& local, uint16_t local_port,
                   const netstack::IpAddress& remote, uint16_t remote_port)
      : local_(local), remote_(remote), local_port_(local_port), remote_port_(remote_port) {}

  bool matches(const WireSegment& s, bool outbound) const;
  // Bumped by each new SYN or SYN-ACK of the stack's with a new ISS: a
  // socket belongs to the incarnation it last exchanged segments in.
  uint32_t incarnation() const { return incarnation_; }
  uint16_t local_port() const { return local_port_; }
  uint16_t remote_port() const { return remote_port_; }

  // The stack sent `s`.
  std::optional<Violation> on_sent(const WireSegment& s, netstack::Instant at);
  // `s` from the peer reaches the stack; what to judge its replies by.
  // `data` is its payload, when the wire still holds it.
  Arrival on_arrival(const WireSegment& s, netstack::Instant at,
                     std::span<const uint8_t> data = {});
  // What the stack sent in reply to `a`, at the same instant. `processed`,
  // when known, counts the replies sent before the stack finished with the
  // segment: only those show that it answered what it must not.
  std::optional<Violation> judge(const Arrival& a, std::span<const WireSegment> replies,
                                 std::optional<size_t> processed) const;
  // A socket call on this connection returned `result` (-errno on failure).
  std::optional<Violation> on_call(std::string_view call, long result,
                                   const netstack::tcp::CallArgs& args, netstack::Instant at);
  // What the stack had to send by `now` and did not: the ACK of the peer's
  // data (RFC 1122 4.2.3.2), the retransmission of what the peer has not
  // acknowledged (RFC 6298 5). Checked at every event, as the clock moves.
  // Also: sending unsent data once nothing is in flight (RFC 9293 3.8.6.1)
  // and the keepalive probe of an idle connection (RFC 1122 4.2.3.6).
  std::optional<Violation> check_deadlines(netstack::Instant now) const;
  // The peer's segment at `at` reached the stack while its allocations
  // could fail: an ACK it owed may have armed the rate limit and been lost.
  void on_reply_may_have_failed(netstack::Instant at) { limiter_armed_at_ = at; }
  // The record of the peer's bytes, emptied: its memory serves another
  // connection (an oracle reused across runs allocates it once).
  PeerStream release_stream() {
    stream_.clear();
    return std::move(stream_);
  }
  void adopt_stream(PeerStream stream) { stream_ = std::move(stream); }
  // The stack reported the connection closed (suspends judging only).
  void on_closed();
  // An ICMP error reached the host: it may end a connection, which the
  // oracle (TCP segments only) cannot judge.
  void on_icmp();

 private:
  struct PeerSyn {
    uint32_t seq = 0;
    uint32_t data = 0;  // Fast Open data on the SYN
    bool fin = false;   // and a FIN, which Fast Open takes with it
    std::optional<uint8_t> window_scale;
    bool timestamps = false;
  };
  void start_incarnation(uint32_t iss, bool passive, const WireSegment& syn, netstack::Instant at);
  std::optional<Violation> judge_sent(const WireSegment& s, netstack::Instant at);
  // Deadline bookkeeping for a segment the stack sent; `resent` when it
  // carries sequence space sent before in this incarnation, `idle` when
  // the peer had surely acknowledged everything sent before it.
  std::optional<Violation> note_sent(const WireSegment& s, netstack::Instant at, bool resent,
                                     bool idle);
  // The retransmission timer's epoch, as the peer's segment `s` leaves it.
  void note_arrival_for_rto(const WireSegment& s, const Arrival& a);
  // SND.UNA as far as the stack surely took the peer's ACKs (synchronized).
  uint32_t sure_una() const;
  // The longest the stack's retransmission timer may run from the last
  // event it saw (RFC 6298 2, 5.5; Linux tcp_set_rto(), TCP_RTO_MAX).
  // `probes` more doublings: the probe timer backs off with it.
  netstack::Duration retransmission_bound(uint32_t probes = 0) const;
  // Whether a RST arriving as `a` may be at a place that resets.
  static bool rst_may_be_exact(const Arrival& a);
  void note_possible_reset();
  // The phase, were a RST that may have ended the connection not to have.
  Phase phase_if_alive() const;
  // The peer's SYN that `ack` acknowledges, among its last few.
  const PeerSyn* acked_syn(uint32_t ack) const;
  // The peer's FIN at sequence number `seq` may have been taken; `ahead`
  // when its place was not taken yet.
  void note_peer_fin(uint32_t seq, bool ahead, netstack::Instant at);
  // How likely the peer's FIN at `fin` is the end of the stream the stack
  // reads: higher is likelier (note_peer_fin() keeps the likeliest).
  uint64_t fin_likelihood(uint32_t fin) const;
  void learn_irs(const PeerSyn& syn, const WireSegment& ours);
  std::optional<Violation> check_ack(const WireSegment& s);
  std::optional<Violation> check_data(const WireSegment& s);
  // RFC 7323 PAWS: `ts_val` is older than whatever TS.Recent the stack may
  // hold, or than one it may hold.
  bool older_than_every_ts_recent(uint32_t ts_val) const;
  bool older_than_some_ts_recent(uint32_t ts_val) const;
  // judge() in a synchronized state, neither side's close begun.
  std::optional<Violation> judge_synchronized(const Arrival& a, bool acked, const WireSegment* rst,
                                              std::optional<size_t> processed,
                                              std::span<const WireSegment> replies) const;
  // The close, as the stack's FIN and the peer's take it (connection_close.cc).
  void note_close_sent(const WireSegment& s, netstack::Instant at);
  void note_close_call();  // close(), or shutdown() of the sending side
  void note_close_arrival(const WireSegment& s, const Arrival& a);
  bool surely_in_time_wait(netstack::Instant at) const;
  bool surely_gone(netstack::Instant at) const;
  std::optional<Violation> judge_after_close(const Arrival& a, bool acked, const WireSegment* rst,
                                             bool owed, bool owed_unless_limited) const;
  // Deadlines of what the stack sends on its own (connection_deadlines.cc).
  std::optional<Violation> check_unsent_data(netstack::Instant now) const;
  std::optional<Violation> check_keepalive(netstack::Instant now) const;
  std::optional<Violation> on_read(std::string_view call, long result,
                                   std::span<const uint8_t> bytes);
  void on_option(netstack::tcp::SockOpt option, int value, netstack::Instant at);
  uint64_t unsent_data() const;    // bytes written and not yet sent once
  uint32_t received_data() const;  // in-order bytes the peer offered (a FIN may count)
  bool eof_allowed() const;        // a FIN in order, and every byte before it read

  netstack::IpAddress local_;
  netstack::IpAddress remote_;
  uint16_t local_port_;
  uint16_t remote_port_;

  uint32_t incarnation_ = 0;
  Phase phase_ = Phase::kNone;
  // Where a RST that may have ended the connection found it: a segment the
  // stack sends afterwards proves it alive in that phase, no further.
  Phase phase_before_rst_ = Phase::kNone;
  bool passive_ = false;
  uint32_t iss_ = 0;
  uint32_t snd_max_ = 0;  // the stack's highest sequence number sent, + 1
  std::optional<uint32_t> stack_fin_;
  std::optional<uint8_t> stack_window_scale_;  // in its SYN or SYN-ACK
  bool stack_timestamps_ = false;
  // The TSval of the stack's first SYN of this incarnation, and when it went.
  std::optional<uint32_t> syn_tsval_;
  netstack::Instant syn_sent_at_;
  std::array<PeerSyn, 4> peer_syns_{};
  size_t peer_syn_count_ = 0;

  bool irs_known_ = false;
  uint32_t irs_ = 0;
  uint8_t rcv_wscale_ = 0;  // what scales the stack's advertised windows
  uint8_t snd_wscale_ = 0;  // what scales the peer's
  bool ts_ok_ = false;
  SequenceCoverage accepted_;  // segments the stack could accept
  SequenceCoverage offered_;   // every segment the peer sent
  // Where the peer's FINs sat (a fuzzed peer sends several): each a
  // possible end of its stream, each place once.
  std::array<uint32_t, 8> peer_fins_{};
  std::array<netstack::Instant, 8> peer_fins_at_{};  // when each first arrived
  // The lowest FIN whose place was not yet taken when it came: the likeliest
  // end of the stream, kept however many FINs a fuzzed peer sends after it.
  std::optional<uint32_t> earliest_fin_;
  size_t peer_fin_count_ = 0;
  bool peer_fin_seen_ = false;
  bool acked_ = false;  // the stack has sent an ACK in this incarnation
  uint32_t last_ack_ = 0;
  std::optional<uint32_t> sack_edge_;  // as Arrival::sack_edge
  bool sack_edge_unknown_ = false;
  uint32_t right_edge_ = 0;            // the last advertised (Linux's RCV.WUP + RCV.WND)
  uint32_t max_right_edge_ = 0;        // the widest ever advertised
  bool edge_from_syn_ = false;         // right_edge_ came from an unscaled SYN-ACK
  std::optional<uint32_t> peer_edge_;  // the peer's widest right window edge
  std::optional<uint32_t> ts_recent_;  // the stack's last echoed TSval
  netstack::Instant ts_recent_at_;
  // The peer's TSvals since that echo: where TS.Recent may be now.
  std::array<uint32_t, 8> peer_tsvals_{};
  size_t tsvals_since_echo_ = 0;
  // When the stack's out-of-window limiter may last have been armed: a pure
  // ACK it sent, or a segment that reached it while its replies could fail
  // (Linux tcp_oow_rate_limited() arms it before the ACK is allocated).
  std::optional<netstack::Instant> limiter_armed_at_;

  bool reset_explained_ = false;    // a RST that may legitimately have reset it
  bool refusal_explained_ = false;  // a RST (or ICMP) that may have refused the open
  bool user_closed_ = false;        // close, shutdown or abort was called
  bool errored_ = false;            // a call failed with something other than EAGAIN
  uint64_t bytes_read_ = 0;
  PeerStream stream_;  // the peer's bytes, to judge what reads return
  // URG segments seen: each may take an urgent byte out of the stream.
  uint32_t urgent_segments_ = 0;

  // RFC 9293 3.10.7.4 (CLOSING, LAST-ACK, TIME-WAIT) / Linux tcp_time_wait(),
  // tcp_done(): where the close leaves the connection, as the wire tells.
  struct Closing {
    bool stack_fin_sent = false;
    // The first close() or shutdown(SHUT_WR): made before any FIN of the
    // peer's arrived (FIN-WAIT-1 follows), or after the stack acknowledged
    // one (CLOSE-WAIT had been reached). Between the two, it may be either.
    bool closed_before_peer_fin = false;
    bool closed_after_peer_fin_acked = false;
    bool close_called = false;
    bool orphaned = false;  // by close(): Linux's timewait sock may stand in for FIN-WAIT-2
    // FIN-WAIT-1, CLOSING or FIN-WAIT-2, then TIME-WAIT.
    bool active() const { return stack_fin_sent && closed_before_peer_fin; }
    // CLOSE-WAIT, then LAST-ACK.
    bool passive() const { return stack_fin_sent && closed_after_peer_fin_acked; }
    // FIN-WAIT-1 or -2 as after active(), also when a FIN of the peer's had
    // come out of order: the stack's FIN left before it acknowledged one.
    bool fin_wait() const { return active() || (stack_fin_sent && !peer_fin); }
    // The peer's FIN the stack acknowledged (RCV.NXT is one past it since),
    // when it first arrived and when the stack acknowledged it.
    std::optional<uint32_t> peer_fin;
    netstack::Instant peer_fin_first_at;
    netstack::Instant peer_fin_acked_at;
    // The first peer segment acknowledging the stack's FIN, and the first
    // the stack surely took.
    std::optional<netstack::Instant> fin_ack_first_at;
    std::optional<netstack::Instant> fin_ack_taken_at;
    // A RST, a SYN, an ICMP error or the stack's RST may have ended the close otherwise.
    bool ended = false;
  };
  Closing closing_;

  // Sending on its own: data written and not yet sent, keepalive probes.
  uint64_t written_ = 0;
  netstack::Instant last_write_at_;
  netstack::Instant last_sent_at_;  // any segment
  uint32_t probes_ = 0;             // segments sent while written data waited
  struct Keepalive {
    bool on = false;  // SO_KEEPALIVE
    netstack::Instant on_at;
    std::optional<netstack::Duration> idle;  // TCP_KEEPIDLE, when set on this socket
    netstack::Instant idle_at;
    std::optional<netstack::Duration> interval;  // TCP_KEEPINTVL, likewise
    std::optional<netstack::Instant> last_probe_at;
  };
  Keepalive keepalive_;

  // Deadlines.
  netstack::Instant started_at_;          // the stack's first SYN or SYN-ACK of the incarnation
  netstack::Instant last_space_sent_at_;  // the stack last sent a SYN, data or a FIN
  netstack::Instant last_arrival_at_;     // the peer's last segment
  uint32_t peer_acked_ = 0;               // the peer's highest ACK of what the stack sent
  uint32_t retransmissions_ = 0;          // segments with sequence space sent again
  // Since when the peer's data waits for an ACK the stack owes.
  std::optional<netstack::Instant> ack_owed_since_;
  // The stack's TSvals in this incarnation: what an echo can be. An echo
  // outside them makes any RTT sample, and so any RTO, possible.
  std::optional<uint32_t> first_tsval_;
  uint32_t last_tsval_ = 0;
  bool wild_echo_ = false;
  bool icmp_seen_ = false;  // an ICMP error may have changed the path or ended the connection

  // RFC 6298 5.3 / Linux tcp_rto_delta_us(): a timeout retransmits the first
  // unacknowledged segment no sooner than TCP_RTO_MIN after it last left.
  // Judged in an epoch (from a segment sent with nothing outstanding) while
  // the peer has sent only ACKs of new data the stack surely took, without
  // SACK blocks — nothing else makes a segment lost before its timeout —
  // and until the first retransmission.
  struct SentSpan {
    uint32_t start = 0;
    uint32_t end = 0;
    netstack::Instant at;
  };
  std::array<SentSpan, 16> epoch_sent_{};
  size_t epoch_sent_count_ = 0;
  bool epoch_clean_ = false;
  uint32_t sure_acked_ = 0;  // the highest ACK the stack surely took
};

}  // namespace tcpfuzz::oracle
