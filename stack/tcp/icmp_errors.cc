// ICMP errors about a connection's segments, as Linux's tcp_v4_err() and
// tcp_v6_err() handle them (RFC 1122 4.2.3.9, RFC 5927, RFC 6069 aside):
// "fragmentation needed" / "packet too big" drive path MTU discovery
// (path_mtu.cc); the others end a connection that is still opening and are
// remembered as a soft error by one that is open.
#include <cerrno>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

namespace {

// What an ICMP error means for a socket: its errno, whether it is hard
// (Linux icmp_err_convert[].fatal / icmpv6_err_convert()'s answer), and
// whether TCP ignores it (redirects, source quench, unknown codes).
struct IcmpMeaning {
  Errno error = 0;
  bool fatal = false;
  bool ignored = false;
};

IcmpMeaning meaning_v4(uint8_t type, uint8_t code) {
  namespace v4 = header::icmpv4;
  if (type == v4::kParameterProblem) return {EPROTO, true, false};
  if (type == v4::kTimeExceeded) return {EHOSTUNREACH, false, false};
  if (type != v4::kDestUnreachable || code > v4::kLastUnreachableCode) return {0, false, true};
  // Linux icmp_err_convert[], indexed by the destination unreachable code.
  static constexpr IcmpMeaning kUnreachable[] = {
      {ENETUNREACH, false, false},  {EHOSTUNREACH, false, false}, {ENOPROTOOPT, true, false},
      {ECONNREFUSED, true, false},  {EMSGSIZE, false, false},     {EOPNOTSUPP, false, false},
      {ENETUNREACH, true, false},   {EHOSTDOWN, true, false},     {ENONET, true, false},
      {ENETUNREACH, true, false},   {EHOSTUNREACH, true, false},  {ENETUNREACH, false, false},
      {EHOSTUNREACH, false, false}, {EHOSTUNREACH, true, false},  {EHOSTUNREACH, true, false},
      {EHOSTUNREACH, true, false}};
  return kUnreachable[code];
}

IcmpMeaning meaning_v6(uint8_t type, uint8_t code) {
  namespace v6 = header::icmpv6;
  if (type == v6::kParameterProblem) return {EPROTO, true, false};
  if (type == v6::kTimeExceeded) return {EHOSTUNREACH, false, false};
  if (type == v6::kPacketTooBig) return {EMSGSIZE, false, false};
  // Linux icmpv6_err_convert()'s tab_unreach[]; unknown codes are fatal EPROTO.
  static constexpr IcmpMeaning kUnreachable[] = {
      {ENETUNREACH, false, false},  {EACCES, true, false},       {EHOSTUNREACH, false, false},
      {EHOSTUNREACH, false, false}, {ECONNREFUSED, true, false}, {EACCES, true, false},
      {EACCES, true, false}};
  if (code < std::size(kUnreachable)) return kUnreachable[code];
  return {EPROTO, true, false};
}

}  // namespace

void Endpoint::handle_icmp_error(const header::IcmpError& e) {
  const seqnum::Value quoted(e.seq);
  if (state_ == State::kClosed || state_ == State::kListen || state_ == State::kTimeWait) {
    ++protocol_.stats().icmp_unused;
    return;
  }
  if (state_ == State::kSynRcvd && listener_ != kNoEndpoint && !passive_fastopen_ &&
      !full_socket_child_) {
    handle_icmp_for_request(e);
    return;
  }
  // Linux tcp_v4_err(): only a quote of what is in flight is believed (a
  // Fast Open child counts from its ISN); anything else may be forged.
  const seqnum::Value oldest = passive_fastopen_ ? iss_ : snd_una_;
  if (!quoted.greater_equal(oldest) || !quoted.less_equal(snd_max_)) {
    ++protocol_.stats().icmp_out_of_window;
    return;
  }
  if (e.is_packet_too_big()) {
    handle_packet_too_big(e.mtu);
    return;
  }
  const IcmpMeaning m = e.v6 ? meaning_v6(e.type, e.code) : meaning_v4(e.type, e.code);
  if (m.ignored) {
    ++protocol_.stats().icmp_unused;
    return;
  }
  // Linux: an opening connection dies of any error (a Fast Open child that
  // was accepted already counts as open).
  const bool accepted_fast_open = passive_fastopen_ && listener_ == kNoEndpoint;
  if ((state_ == State::kSynSent || state_ == State::kSynRcvd) && !accepted_fast_open) {
    fail(m.error, "ext: rcv ICMP error", /*send_rst=*/false);
    after_event();
    return;
  }
  // An open connection keeps trying; the error is reported only if it
  // times out (Linux sk_err_soft; IP_RECVERR is not modelled).
  soft_error_ = m.error;
  ++protocol_.stats().icmp_soft_errors;
}

void Endpoint::handle_icmp_for_request(const header::IcmpError& e) {
  // Linux tcp_req_err(): a request must be quoted by its SYN-ACK's ISN, and
  // is dropped silently for errors that say the peer cannot be reached.
  if (seqnum::Value(e.seq) != iss_) {
    ++protocol_.stats().icmp_out_of_window;
    return;
  }
  namespace v4 = header::icmpv4;
  const bool drop = e.v6 ? meaning_v6(e.type, e.code).fatal
                         : e.type == v4::kParameterProblem || e.type == v4::kTimeExceeded ||
                               (e.type == v4::kDestUnreachable &&
                                (e.code == v4::kNetUnreachable || e.code == v4::kHostUnreachable));
  if (!drop) return;
  ++protocol_.stats().icmp_request_drops;
  release_resources();
  transition(State::kClosed, "ext: rcv ICMP error");
  after_event();
}

}  // namespace netstack::tcp
