#include "stack/tcp/invariants.h"

#include <sstream>

#include "stack/tcp/endpoint.h"

namespace netstack::tcp {

namespace {

std::string dump(const Endpoint& ep) {
  const TcpInfo i = ep.info();
  std::ostringstream o;
  o << "  endpoint " << ep.id() << " " << to_string(i.state) << " "
    << ep.tuple().local_address.to_string() << ":" << ep.tuple().local_port << " -> "
    << ep.tuple().remote_address.to_string() << ":" << ep.tuple().remote_port << "\n"
    << "  snd_una=" << i.snd_una << " snd_nxt=" << i.snd_nxt << " snd_max=" << i.snd_max
    << " snd_wnd=" << i.snd_wnd << " rcv_nxt=" << i.rcv_nxt << " rcv_wnd=" << i.rcv_wnd
    << " send_queue=" << i.send_queue_bytes << " readable=" << i.readable_bytes
    << " reassembly=" << i.reassembly_bytes << " timers=" << ep.pending_timers();
  return o.str();
}

}  // namespace

std::string describe_illegal_transition(const Endpoint& ep, State from, State to,
                                        std::string_view cause) {
  std::ostringstream o;
  o << "illegal transition " << to_string(from) << " -> " << to_string(to) << " (" << cause << ")\n"
    << dump(ep);
  return o.str();
}

namespace {

std::optional<std::string> scoreboard_mismatch(const SentSegments& sent, seqnum::Value una,
                                               seqnum::Value max) {
  seqnum::Value at = una;
  uint32_t sacked = 0;
  uint32_t lost = 0;
  uint32_t retrans = 0;
  for (const SentSegment& s : sent.entries()) {
    if (!(s.start == at) || !s.start.less_than(s.end)) return "scoreboard has a gap or overlap";
    at = s.end;
    sacked += s.sacked ? 1 : 0;
    lost += s.lost ? 1 : 0;
    retrans += s.retrans ? 1 : 0;
  }
  if (!(at == max)) return "scoreboard does not end at snd_max";
  if (sacked != sent.sacked_out() || lost != sent.lost_out() || retrans != sent.retrans_out()) {
    return "scoreboard counts differ from its marks";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_invariants(const Endpoint& ep) {
  auto fail = [&](std::string_view what) {
    return std::optional<std::string>(std::string(what) + "\n" + dump(ep));
  };
  const State st = ep.state_;
  const bool connection = st != State::kClosed && st != State::kListen;
  if (connection) {
    if (!ep.snd_una_.less_equal(ep.snd_nxt_)) return fail("snd_una > snd_nxt");
    if (!ep.snd_nxt_.less_equal(ep.snd_max_)) return fail("snd_nxt > snd_max");
  }
  if (is_synchronized(st)) {
    // Sent but unacknowledged data never exceeds the largest window offered
    // (+1 for a FIN; +1 for a zero-window probe's byte).
    const uint32_t flight = ep.snd_una_.size_to(ep.snd_max_).bytes();
    if (flight > std::max(ep.max_snd_wnd_, ep.snd_mss_) + 2)
      return fail("flight exceeds the peer's window");
    if (ep.checked_rcv_nxt_ && ep.rcv_nxt_.less_than(*ep.checked_rcv_nxt_)) {
      return fail("rcv_nxt moved backwards");
    }
    ep.checked_rcv_nxt_ = ep.rcv_nxt_;
    if (ep.snd_una_ != ep.snd_max_ && st != State::kTimeWait && !ep.retransmit_timer_.armed() &&
        !ep.persist_timer_.armed()) {
      return fail("data in flight without a retransmission timer");
    }
    // The scoreboard covers exactly SND.UNA..SND.MAX, in order, its counts
    // matching its marks: what recovery resends is what is in flight.
    // (A SYN still unacknowledged, after close() in SYN-RECEIVED, is not on it.)
    const seqnum::Value first_data = ep.iss_.add(seqnum::Size(1));
    const seqnum::Value from = ep.snd_una_.less_than(first_data) ? first_data : ep.snd_una_;
    if (st != State::kTimeWait) {
      if (auto broken = scoreboard_mismatch(ep.sent_, from, ep.snd_max_)) return fail(*broken);
    }
  } else {
    ep.checked_rcv_nxt_.reset();
  }
  // A write starts an skb only below SO_SNDBUF and fills an unsent skb to
  // at most the GSO limit. Sent bytes are not bounded by it: as Linux
  // tcp_sendmsg_locked() tops up a tail skb that was partly sent, the queue
  // may outgrow SO_SNDBUF by what is in flight.
  if (ep.notsent_bytes() > size_t{ep.max_sndbuf_} + SendSkbs::kMaxBytes) {
    return fail("send queue beyond SO_SNDBUF");
  }
  const seqnum::Value write_end =
      ep.snd_una_.add(seqnum::Size(static_cast<uint32_t>(ep.send_queue_.size())));
  if (ep.send_queue_.empty() != (ep.send_skbs_.count() == 0) ||
      (!ep.send_queue_.empty() && ep.send_skbs_.end() != write_end)) {
    return fail("send queue and its skbs disagree");
  }
  if (ep.snd_up_ && (!ep.snd_una_.less_than(*ep.snd_up_) || ep.snd_up_->greater_than(write_end))) {
    return fail("urgent pointer outside the unacknowledged data");
  }
  if (ep.receive_queue_.size() + ep.reassembly_.bytes() > ep.max_rcvbuf_) {
    return fail("receive buffers beyond SO_RCVBUF");
  }
  if (!ep.sack_list_.empty() && ep.reassembly_.empty() && ep.ooo_fins_.empty()) {
    return fail("SACK blocks with nothing out of order");
  }
  switch (st) {
    case State::kClosed:
    case State::kListen:
      if (ep.pending_timers() != 0) return fail("timer armed in CLOSED/LISTEN");
      break;
    case State::kSynSent:
    case State::kSynRcvd:
      // (a TCP_FASTOPEN_CONNECT SYN waiting for the first write has none,
      // nor a child whose SYN-ACK a SYN-ACK acknowledged)
      if (!ep.retransmit_timer_.armed() && !ep.defer_connect_ && !ep.full_socket_child_) {
        return fail("handshake without a retransmission timer");
      }
      break;
    case State::kTimeWait:
      if (!ep.time_wait_timer_.armed()) return fail("TIME-WAIT without its timer");
      if (ep.retransmit_timer_.armed()) return fail("retransmission timer in TIME-WAIT");
      break;
    default:
      if (ep.time_wait_timer_.armed()) return fail("TIME-WAIT timer outside TIME-WAIT");
      break;
  }
  if (st == State::kClosed && (ep.registered_connection_ || ep.registered_listener_)) {
    return fail("CLOSED endpoint still in the demux table");
  }
  return std::nullopt;
}

}  // namespace netstack::tcp
