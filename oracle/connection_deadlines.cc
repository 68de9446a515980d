// What the stack must send on its own, by when: the ACK it owes, the
// retransmission of what the peer has not acknowledged, the data written
// once nothing is in flight, and the keepalive probe of an idle connection.
#include <algorithm>
#include <chrono>

#include "oracle/connection_internal.h"

namespace tcpfuzz::oracle {

using namespace internal;
using netstack::Duration;
using netstack::Instant;

namespace {

std::string ms(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

}  // namespace

Duration ConnectionOracle::retransmission_bound(uint32_t probes) const {
  if (wild_echo_) return 2 * kRtoMax;
  // No RTT sample can exceed the incarnation's age at the peer's last
  // segment. From samples up to M, RFC 6298's SRTT and RTTVAR stay within
  // M, so the RTO (Linux: SRTT + max(4 RTTVAR, TCP_RTO_MIN)) within
  // 5M + 200 ms; without a sample it is 1 s, or 3 s after a lost SYN.
  const Duration longest_rtt =
      last_arrival_at_ > started_at_ ? last_arrival_at_ - started_at_ : Duration::zero();
  Duration bound = std::max(kRtoWithoutSample, 5 * longest_rtt + kRtoMin);
  // Each timeout doubles it (RFC 6298 5.5), up to TCP_RTO_MAX, and an ACK
  // without an RTT sample keeps the doubling (Linux tcp_ack_update_rtt()).
  const uint64_t doublings = uint64_t{retransmissions_} + probes;
  for (uint64_t i = 0; i < doublings && bound < kRtoMax; ++i) bound *= 2;
  // A tail loss probe that finds nothing to send re-arms the RTO from its
  // own expiry, at most one RTO later (Linux tcp_send_loss_probe()).
  return 2 * std::min(bound, kRtoMax);
}

uint64_t ConnectionOracle::unsent_data() const {
  const uint32_t space = snd_max_ - (iss_ + 1);
  const uint32_t fin = stack_fin_ && snd_max_ == *stack_fin_ + 1 ? 1 : 0;
  const uint64_t sent = space - fin;
  return written_ > sent ? written_ - sent : 0;
}

std::optional<Violation> ConnectionOracle::check_deadlines(Instant now) const {
  const bool alive = phase_ == Phase::kSynchronized || (phase_ == Phase::kSynSent && !user_closed_);
  if (!alive || icmp_seen_ || errored_) return std::nullopt;
  if (ack_owed_since_ && !user_closed_ && now - *ack_owed_since_ > kAckDelayMax) {
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - *ack_owed_since_);
    return violation(Rule::kAckDelayedTooLong, "the peer's data or FIN arrived " +
                                                   std::to_string(waited.count()) +
                                                   " ms ago and the stack has sent no ACK since");
  }
  const Instant since = std::max(last_space_sent_at_, last_arrival_at_);
  // Every bound is at least 2 * 3 s: most events need no more than this.
  if (before(peer_acked_, snd_max_) && now - since > 2 * kRtoWithoutSample) {
    const Duration bound = retransmission_bound();
    if (now - since > bound) {
      return violation(Rule::kRetransmissionMissing,
                       "sequence numbers " + std::to_string(peer_acked_) + ".." +
                           std::to_string(snd_max_) + " unacknowledged; nothing sent for " +
                           ms(now - since) + " ms (any RTO is at most " + ms(bound) + " ms after " +
                           std::to_string(retransmissions_) + " retransmissions)");
    }
  }
  if (phase_ != Phase::kSynchronized || before(peer_acked_, snd_max_)) return std::nullopt;
  if (auto v = check_unsent_data(now)) return v;
  return check_keepalive(now);
}

std::optional<Violation> ConnectionOracle::check_unsent_data(Instant now) const {
  // RFC 9293 3.8.6.1, Linux tcp_check_probe_timer(): with nothing in flight
  // and data waiting (a closed window, cork, MSG_MORE), the probe timer
  // sends a probe or the data within an RTO, backed off per probe
  // (tcp_probe0_when(), up to TCP_RTO_MAX).
  const Instant since = std::max({last_sent_at_, last_arrival_at_, last_write_at_});
  if (now - since <= 2 * kRtoWithoutSample || unsent_data() == 0) return std::nullopt;
  const Duration bound = retransmission_bound(probes_);
  if (now - since <= bound) return std::nullopt;
  return violation(Rule::kUnsentDataStalled,
                   std::to_string(unsent_data()) +
                       " bytes written and never sent, nothing in flight; nothing sent for " +
                       ms(now - since) + " ms (any probe timer is at most " + ms(bound) + " ms)");
}

std::optional<Violation> ConnectionOracle::check_keepalive(Instant now) const {
  // RFC 1122 4.2.3.6, Linux tcp_keepalive_timer(): an established
  // connection idle for TCP_KEEPIDLE sends a probe, then one every
  // TCP_KEEPINTVL while unanswered. Judged only where this socket set them
  // (the sysctls' values are not on the wire) and neither side has closed.
  // Linux keeps no keepalive while data is in flight: judged only once the
  // stack surely took the ACK of everything it sent (a SYN acknowledging
  // it, say, is only challenged).
  if (!keepalive_.on || !keepalive_.idle || user_closed_ || stack_fin_ || peer_fin_seen_ ||
      unsent_data() > 0 || before(sure_una(), snd_max_)) {
    return std::nullopt;
  }
  const Instant idle_since = std::max(keepalive_.on_at, last_arrival_at_);
  Instant due = std::max(idle_since + with_timer_slack(*keepalive_.idle),
                         keepalive_.idle_at + std::chrono::seconds(1));
  if (keepalive_.last_probe_at && *keepalive_.last_probe_at > idle_since) {
    if (!keepalive_.interval) return std::nullopt;
    due = std::max(due, *keepalive_.last_probe_at + with_timer_slack(*keepalive_.interval));
  }
  if (now <= due) return std::nullopt;
  return violation(Rule::kKeepaliveMissing,
                   "keepalive on, idle " + ms(*keepalive_.idle) +
                       " ms; nothing from the peer for " + ms(now - last_arrival_at_) +
                       " ms and no probe since " + ms(now - idle_since) + " ms ago");
}

void ConnectionOracle::on_option(netstack::tcp::SockOpt option, int value, Instant at) {
  using netstack::tcp::SockOpt;
  const Duration seconds = std::chrono::seconds(value);
  switch (option) {
    case SockOpt::kKeepAlive:
      if ((value != 0) != keepalive_.on) keepalive_.on_at = at;
      keepalive_.on = value != 0;
      break;
    case SockOpt::kKeepIdle:
      keepalive_.idle = seconds;
      keepalive_.idle_at = at;
      break;
    case SockOpt::kKeepIntvl:
      keepalive_.interval = seconds;
      break;
    default:
      break;
  }
}

}  // namespace tcpfuzz::oracle
