// RFC 5961 for every sequence number: a RST resets only at RCV.NXT (and, as
// Linux has it, at RCV.NXT-1 once the peer's FIN is in), draws a challenge
// ACK anywhere else in the window, and is ignored outside it; a SYN in a
// synchronized state draws a challenge ACK wherever it falls.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "props/gen/tcp_gen.h"
#include "props/support/conversation.h"

namespace tcpfuzz::props {
namespace {

using netstack::tcp::State;
using netstack::tcp::Verdict;
using scenario::InjectSegment;
namespace flag = netstack::header::tcp_flag;

// Offsets from RCV.NXT: the edges and their neighbours often, anything else
// the rest of the time.
rc::Gen<uint32_t> offset(uint32_t window) {
  return gen::whole_range(rc::gen::weightedOneOf<uint32_t>({
      {1, rc::gen::element<uint32_t>(0, 1, window - 1, window, window + 1, 0xffffffffu, 0x80000000u,
                                     0x7fffffffu)},
      {2, rc::gen::inRange<uint32_t>(1, window)},
      {3, rc::gen::arbitrary<uint32_t>()},
  }));
}

struct Connection {
  ConnectionUnderTest c;
  netstack::tcp::TcpInfo info;
  explicit Connection(bool after_fin) {
    if (after_fin) {
      establish_then_peer_fin(c);
    } else {
      establish_passive(c);
    }
    c.advance(std::chrono::seconds(1));  // any delayed ACK goes out first
    info = c.connection()->info();
  }
};

RC_GTEST_PROP(Rfc5961, ARstResetsOnlyOnAnExactMatch, ()) {
  const bool after_fin = *rc::gen::arbitrary<bool>();
  Connection k(after_fin);
  const uint32_t d = *offset(k.info.rcv_wnd);
  const State before = k.c.state();
  const StepObserved o =
      k.c.inject_at(InjectSegment{.flags = flag::kRst}, k.info.rcv_nxt + d, k.info.snd_max);
  const bool exact = d == 0 || (after_fin && d == 0xffffffffu);
  // Linux tcp_sequence(): acceptable up to and including the right edge.
  const bool in_window = d != 0 && d <= k.info.rcv_wnd;
  std::string want = exact ? "reset" : in_window ? "challenge ACK" : "ignored";
  const bool ok = exact ? o.verdict == Verdict::kResetAccepted && k.c.state() == State::kClosed
                  : in_window ? o.verdict == Verdict::kChallengeAck && o.sent_ack_only() &&
                                    k.c.state() == before
                              : o.sent.empty() && k.c.state() == before;
  if (!ok) {
    RC_FAIL("RST at RCV.NXT+" + std::to_string(d) + " (window " + std::to_string(k.info.rcv_wnd) +
            ") in " + std::string(netstack::tcp::to_string(before)) + ": want " + want + "\n" +
            k.c.report("RFC 5961 RST acceptance"));
  }
}

RC_GTEST_PROP(Rfc5961, ASynInASynchronizedStateDrawsAChallengeAck, ()) {
  Connection k(*rc::gen::arbitrary<bool>());
  const uint32_t d = *offset(k.info.rcv_wnd);
  const State before = k.c.state();
  const StepObserved o = k.c.inject_at(
      InjectSegment{.flags = flag::kSyn, .window = 65535, .options = 1}, k.info.rcv_nxt + d, 0);
  if (!(o.verdict == Verdict::kChallengeAck && o.sent_ack_only() && k.c.state() == before)) {
    RC_FAIL("SYN at RCV.NXT+" + std::to_string(d) + " in " +
            std::string(netstack::tcp::to_string(before)) + ": want a challenge ACK\n" +
            k.c.report("RFC 5961 SYN handling"));
  }
}

}  // namespace
}  // namespace tcpfuzz::props
