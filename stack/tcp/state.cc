#include "stack/tcp/state.h"

#include <array>

namespace netstack::tcp {

std::string_view to_string(State s) {
  switch (s) {
    case State::kClosed:
      return "CLOSED";
    case State::kListen:
      return "LISTEN";
    case State::kSynSent:
      return "SYN-SENT";
    case State::kSynRcvd:
      return "SYN-RECEIVED";
    case State::kEstablished:
      return "ESTABLISHED";
    case State::kFinWait1:
      return "FIN-WAIT-1";
    case State::kFinWait2:
      return "FIN-WAIT-2";
    case State::kCloseWait:
      return "CLOSE-WAIT";
    case State::kClosing:
      return "CLOSING";
    case State::kLastAck:
      return "LAST-ACK";
    case State::kTimeWait:
      return "TIME-WAIT";
  }
  return "?";
}

bool is_synchronized(State s) {
  return s != State::kClosed && s != State::kListen && s != State::kSynSent && s != State::kSynRcvd;
}

namespace {

using enum State;

// RFC 9293 figure 5, edge by edge, then the extensions (marked "ext").
// Left out: LISTEN -> SYN-SENT on SEND, which Linux does not offer (a
// listening socket cannot send) and neither does this stack.
constexpr std::array kTransitions{
    Transition{kClosed, kListen, "passive open"},
    Transition{kClosed, kSynSent, "active open"},
    Transition{kListen, kSynRcvd, "rcv SYN"},
    Transition{kListen, kClosed, "close"},
    Transition{kSynSent, kSynRcvd, "rcv SYN"},
    Transition{kSynSent, kEstablished, "rcv SYN,ACK"},
    Transition{kSynSent, kClosed, "close"},
    Transition{kSynRcvd, kEstablished, "rcv ACK of SYN"},
    Transition{kSynRcvd, kFinWait1, "close"},
    Transition{kSynRcvd, kListen, "rcv RST"},
    Transition{kEstablished, kFinWait1, "close"},
    Transition{kEstablished, kCloseWait, "rcv FIN"},
    Transition{kFinWait1, kFinWait2, "rcv ACK of FIN"},
    Transition{kFinWait1, kClosing, "rcv FIN"},
    Transition{kFinWait1, kTimeWait, "rcv FIN,ACK of FIN"},
    Transition{kFinWait2, kTimeWait, "rcv FIN"},
    Transition{kCloseWait, kLastAck, "close"},
    Transition{kClosing, kTimeWait, "rcv ACK of FIN"},
    Transition{kLastAck, kClosed, "rcv ACK of FIN"},
    Transition{kTimeWait, kClosed, "timeout 2MSL"},
    // ext: a reset or abort ends any connection (RFC 9293 3.10.7.4 / ABORT call).
    Transition{kSynSent, kClosed, "ext: rcv RST"},
    Transition{kSynRcvd, kClosed, "ext: rcv RST"},
    Transition{kEstablished, kClosed, "ext: rcv RST"},
    Transition{kFinWait1, kClosed, "ext: rcv RST"},
    Transition{kFinWait2, kClosed, "ext: rcv RST"},
    Transition{kCloseWait, kClosed, "ext: rcv RST"},
    Transition{kClosing, kClosed, "ext: rcv RST"},
    Transition{kLastAck, kClosed, "ext: rcv RST"},
    Transition{kTimeWait, kClosed, "ext: rcv RST"},
    Transition{kSynSent, kClosed, "ext: abort"},
    Transition{kSynRcvd, kClosed, "ext: abort"},
    Transition{kEstablished, kClosed, "ext: abort"},
    Transition{kFinWait1, kClosed, "ext: abort"},
    Transition{kFinWait2, kClosed, "ext: abort"},
    Transition{kCloseWait, kClosed, "ext: abort"},
    Transition{kClosing, kClosed, "ext: abort"},
    Transition{kLastAck, kClosed, "ext: abort"},
    // ext: retransmission, keepalive or user timeout gave up (ETIMEDOUT).
    Transition{kSynSent, kClosed, "ext: timeout"},
    Transition{kSynRcvd, kClosed, "ext: timeout"},
    Transition{kEstablished, kClosed, "ext: timeout"},
    Transition{kFinWait1, kClosed, "ext: timeout"},
    Transition{kFinWait2, kClosed, "ext: timeout"},
    Transition{kCloseWait, kClosed, "ext: timeout"},
    Transition{kClosing, kClosed, "ext: timeout"},
    Transition{kLastAck, kClosed, "ext: timeout"},
    // ext: Linux's tcp_fin_timeout / TCP_LINGER2 ends an orphaned FIN-WAIT-2.
    Transition{kFinWait2, kClosed, "ext: linger2 timeout"},
    // ext: TCP_LINGER2 < 0: an orphan is reset rather than wait for the FIN.
    Transition{kFinWait1, kClosed, "ext: abort on linger"},
    Transition{kFinWait2, kClosed, "ext: abort on linger"},
    // ext: a SYN to an orphaned FIN-WAIT-2 draws a RST (Linux timewait sock).
    Transition{kFinWait2, kClosed, "ext: rcv SYN after close"},
    // ext: a new SYN reuses a TIME-WAIT connection (RFC 6191, Linux tw_recycle-free reuse).
    Transition{kTimeWait, kClosed, "ext: SYN reuses TIME-WAIT"},
    // ext: a listener's copy that went back to LISTEN is discarded.
    Transition{kListen, kClosed, "ext: child discarded"},
    // ext: a SYN-RCVD connection of a listener that closes is reset.
    Transition{kSynRcvd, kClosed, "ext: listener closed"},
    // ext: close() with unread data or SO_LINGER 0 aborts with RST (RFC 9293 3.10.4, Linux).
    Transition{kEstablished, kClosed, "ext: close with unread data"},
    // (a Fast Open child holds data before its handshake ends, RFC 7413)
    Transition{kSynRcvd, kClosed, "ext: close with unread data"},
    Transition{kCloseWait, kClosed, "ext: close with unread data"},
    // (after shutdown(SHUT_WR) the user still holds the socket)
    Transition{kFinWait1, kClosed, "ext: close with unread data"},
    Transition{kFinWait2, kClosed, "ext: close with unread data"},
    Transition{kClosing, kClosed, "ext: close with unread data"},
    Transition{kLastAck, kClosed, "ext: close with unread data"},
    // ext: data arriving after close() aborts the connection (Linux TCPAbortOnData).
    Transition{kFinWait1, kClosed, "ext: data after close"},
    Transition{kFinWait2, kClosed, "ext: data after close"},
    // ext: data past the peer's FIN resets the connection (Linux RCV_SHUTDOWN).
    Transition{kCloseWait, kClosed, "ext: data after FIN"},
    Transition{kClosing, kClosed, "ext: data after FIN"},
    Transition{kLastAck, kClosed, "ext: data after FIN"},
    // ext: an ICMP error ends a connection still opening (Linux tcp_v4_err()).
    Transition{kSynSent, kClosed, "ext: rcv ICMP error"},
    Transition{kSynRcvd, kClosed, "ext: rcv ICMP error"},
};

}  // namespace

std::span<const Transition> legal_transitions() {
  return kTransitions;
}

bool is_legal_transition(State from, State to) {
  for (const Transition& t : kTransitions) {
    if (t.from == from && t.to == to) return true;
  }
  return false;
}

int transition_index(State from, State to, std::string_view cause) {
  for (size_t i = 0; i < kTransitions.size(); ++i) {
    const Transition& t = kTransitions[i];
    if (t.from == from && t.to == to && t.cause == cause) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace netstack::tcp
