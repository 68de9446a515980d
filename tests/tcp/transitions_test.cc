// The edge table: one recipe per legal transition of stack/tcp/state.cc,
// each driving an endpoint from its source state through one event and
// asserting, via the Tracer, that exactly that edge with that cause was
// taken. A second test proves the table and legal_transitions() agree, so a
// new edge without a recipe (or a recipe for an edge not in the list) fails.
#include <algorithm>
#include <functional>
#include <set>
#include <tuple>

#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

using enum State;

struct Recorder final : Tracer {
  std::vector<std::tuple<State, State, std::string>> seen;
  void on_transition(Instant, EndpointId, State from, State to, std::string_view cause) override {
    seen.emplace_back(from, to, std::string(cause));
  }
};

// Drives a PeerHarness into each state; every helper returns the endpoint.
struct Driver {
  PeerHarness h;
  uint32_t iss = 0;

  Endpoint& established() {
    Endpoint& ep = h.establish_passive(1000);
    iss = h.our_iss;
    return ep;
  }
  Endpoint& syn_sent() {
    Endpoint& ep = h.connect();
    iss = h.out().seq;
    return ep;
  }
  Endpoint& syn_rcvd_active() {
    Endpoint& ep = syn_sent();
    h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
    h.out();
    return ep;
  }
  // A listener and a passive child in SYN-RECEIVED; returns the child.
  Endpoint& syn_rcvd_passive() {
    h.listen();
    h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
    iss = h.out().seq;
    Endpoint* child = nullptr;
    h.tcp.for_each_endpoint([&](const Endpoint& e) {
      if (e.state() == kSynRcvd) child = h.tcp.find(e.id());
    });
    return *child;
  }
  // FIN-WAIT-1 by shutdown (the user keeps the socket) or by close.
  Endpoint& fin_wait1(bool by_close = false) {
    Endpoint& ep = established();
    if (by_close) {
      ep.close();
    } else {
      ep.shutdown(ShutdownHow::kWrite);
    }
    h.out();
    return ep;
  }
  Endpoint& fin_wait2(bool by_close = false) {
    Endpoint& ep = fin_wait1(by_close);
    h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 2});
    return ep;
  }
  Endpoint& close_wait() {
    Endpoint& ep = established();
    h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 1});
    h.out();
    return ep;
  }
  Endpoint& closing() {
    Endpoint& ep = fin_wait1();
    h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 1});
    h.out();
    return ep;
  }
  Endpoint& last_ack() {
    Endpoint& ep = close_wait();
    ep.shutdown(ShutdownHow::kWrite);
    h.out();
    return ep;
  }
  Endpoint& time_wait() {
    Endpoint& ep = fin_wait2();
    h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 2});
    h.out();
    return ep;
  }
  void rst_at(uint32_t seq) { h.in(Seg{.flags = kRst, .seq = seq}); }
  // Lets retransmissions run out (RTO backoff up to the give-up point).
  void exhaust_retransmissions() { h.advance(2000s); }
};

struct Edge {
  State from;
  State to;
  std::string_view cause;
  std::function<void(Driver&)> recipe;
};

std::vector<Edge> edges() {
  return {
      {kClosed, kListen, "passive open", [](Driver& d) { d.h.listen(); }},
      {kClosed, kSynSent, "active open", [](Driver& d) { d.syn_sent(); }},
      {kListen, kSynRcvd, "rcv SYN", [](Driver& d) { d.syn_rcvd_passive(); }},
      {kListen, kClosed, "close", [](Driver& d) { d.h.tcp.find(d.h.listen())->close(); }},
      {kSynSent, kSynRcvd, "rcv SYN", [](Driver& d) { d.syn_rcvd_active(); }},
      {kSynSent, kEstablished, "rcv SYN,ACK",
       [](Driver& d) {
         d.syn_sent();
         d.h.in(Seg{.flags = kSyn | kAck, .seq = 1000, .ack = d.iss + 1});
       }},
      {kSynSent, kClosed, "close", [](Driver& d) { d.syn_sent().close(); }},
      {kSynRcvd, kEstablished, "rcv ACK of SYN", [](Driver& d) { d.established(); }},
      {kSynRcvd, kFinWait1, "close", [](Driver& d) { d.syn_rcvd_active().close(); }},
      {kSynRcvd, kListen, "rcv RST",
       [](Driver& d) {
         d.syn_rcvd_passive();
         d.rst_at(1001);
       }},
      {kEstablished, kFinWait1, "close", [](Driver& d) { d.fin_wait1(true); }},
      {kEstablished, kCloseWait, "rcv FIN", [](Driver& d) { d.close_wait(); }},
      {kFinWait1, kFinWait2, "rcv ACK of FIN", [](Driver& d) { d.fin_wait2(); }},
      {kFinWait1, kClosing, "rcv FIN", [](Driver& d) { d.closing(); }},
      {kFinWait1, kTimeWait, "rcv FIN,ACK of FIN",
       [](Driver& d) {
         d.fin_wait1();
         d.h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = d.iss + 2});
       }},
      {kFinWait2, kTimeWait, "rcv FIN", [](Driver& d) { d.time_wait(); }},
      {kCloseWait, kLastAck, "close", [](Driver& d) { d.close_wait().close(); }},
      {kClosing, kTimeWait, "rcv ACK of FIN",
       [](Driver& d) {
         d.closing();
         d.h.in(Seg{.flags = kAck, .seq = 1002, .ack = d.iss + 2});
       }},
      {kLastAck, kClosed, "rcv ACK of FIN",
       [](Driver& d) {
         d.last_ack();
         d.h.in(Seg{.flags = kAck, .seq = 1002, .ack = d.iss + 2});
       }},
      {kTimeWait, kClosed, "timeout 2MSL",
       [](Driver& d) {
         d.time_wait();
         d.h.advance(60s);
       }},
      // Resets.
      {kSynSent, kClosed, "ext: rcv RST",
       [](Driver& d) {
         d.syn_sent();
         d.h.in(Seg{.flags = kRst | kAck, .ack = d.iss + 1});
       }},
      {kSynRcvd, kClosed, "ext: rcv RST",
       [](Driver& d) {
         d.syn_rcvd_active();
         d.rst_at(1001);
       }},
      {kEstablished, kClosed, "ext: rcv RST",
       [](Driver& d) {
         d.established();
         d.rst_at(1001);
       }},
      {kFinWait1, kClosed, "ext: rcv RST",
       [](Driver& d) {
         d.fin_wait1();
         d.rst_at(1001);
       }},
      {kFinWait2, kClosed, "ext: rcv RST",
       [](Driver& d) {
         d.fin_wait2();
         d.rst_at(1001);
       }},
      {kCloseWait, kClosed, "ext: rcv RST",
       [](Driver& d) {
         d.close_wait();
         d.rst_at(1002);
       }},
      {kClosing, kClosed, "ext: rcv RST",
       [](Driver& d) {
         d.closing();
         d.rst_at(1002);
       }},
      {kLastAck, kClosed, "ext: rcv RST",
       [](Driver& d) {
         d.last_ack();
         d.rst_at(1002);
       }},
      {kTimeWait, kClosed, "ext: rcv RST",
       [](Driver& d) {
         d.time_wait();
         d.rst_at(1002);
       }},
      // Aborts (the user still holds the socket: shutdown, not close).
      {kSynSent, kClosed, "ext: abort", [](Driver& d) { d.syn_sent().abort(); }},
      {kSynRcvd, kClosed, "ext: abort", [](Driver& d) { d.syn_rcvd_active().abort(); }},
      {kEstablished, kClosed, "ext: abort", [](Driver& d) { d.established().abort(); }},
      {kFinWait1, kClosed, "ext: abort", [](Driver& d) { d.fin_wait1().abort(); }},
      {kFinWait2, kClosed, "ext: abort", [](Driver& d) { d.fin_wait2().abort(); }},
      {kCloseWait, kClosed, "ext: abort", [](Driver& d) { d.close_wait().abort(); }},
      {kClosing, kClosed, "ext: abort", [](Driver& d) { d.closing().abort(); }},
      {kLastAck, kClosed, "ext: abort", [](Driver& d) { d.last_ack().abort(); }},
      // Timeouts.
      {kSynSent, kClosed, "ext: timeout",
       [](Driver& d) {
         d.syn_sent();
         d.exhaust_retransmissions();
       }},
      {kSynRcvd, kClosed, "ext: timeout",
       [](Driver& d) {
         d.syn_rcvd_passive();
         d.exhaust_retransmissions();
       }},
      {kEstablished, kClosed, "ext: timeout",
       [](Driver& d) {
         d.established().write(std::vector<uint8_t>{1});
         d.exhaust_retransmissions();
       }},
      {kFinWait1, kClosed, "ext: timeout",
       [](Driver& d) {
         d.fin_wait1();
         d.exhaust_retransmissions();
       }},
      {kFinWait2, kClosed, "ext: timeout",
       [](Driver& d) {
         Endpoint& ep = d.fin_wait2();
         ep.set_option(SockOpt::kKeepIdle, 1);
         ep.set_option(SockOpt::kKeepCnt, 1);
         ep.set_option(SockOpt::kKeepAlive, 1);
         d.h.advance(300s);
       }},
      {kCloseWait, kClosed, "ext: timeout",
       [](Driver& d) {
         d.close_wait().write(std::vector<uint8_t>{1});
         d.exhaust_retransmissions();
       }},
      {kClosing, kClosed, "ext: timeout",
       [](Driver& d) {
         d.closing();
         d.exhaust_retransmissions();
       }},
      {kLastAck, kClosed, "ext: timeout",
       [](Driver& d) {
         d.last_ack();
         d.exhaust_retransmissions();
       }},
      // Linux extensions.
      {kFinWait2, kClosed, "ext: linger2 timeout",
       [](Driver& d) {
         d.fin_wait2(true);
         d.h.advance(60s);
       }},
      {kFinWait1, kClosed, "ext: abort on linger",
       [](Driver& d) {
         Endpoint& ep = d.established();
         ASSERT_EQ(ep.set_option(SockOpt::kLinger2, -1), 0);
         ep.close();
         d.h.out();
         d.h.in(Seg{.flags = kAck, .seq = 1001, .ack = d.iss + 2});
       }},
      {kFinWait2, kClosed, "ext: abort on linger",
       [](Driver& d) {
         Endpoint& ep = d.fin_wait2();
         ASSERT_EQ(ep.set_option(SockOpt::kLinger2, -1), 0);
         ep.close();
       }},
      {kFinWait2, kClosed, "ext: rcv SYN after close",
       [](Driver& d) {
         d.fin_wait2(true);
         d.h.in(Seg{.flags = kSyn, .seq = 1001});
       }},
      {kTimeWait, kClosed, "ext: SYN reuses TIME-WAIT",
       [](Driver& d) {
         d.time_wait();
         d.h.in(Seg{.flags = kSyn, .seq = 900000, .options = {.mss = 1460}});
       }},
      {kListen, kClosed, "ext: child discarded",
       [](Driver& d) {
         d.syn_rcvd_passive();
         d.rst_at(1001);
       }},
      {kSynRcvd, kClosed, "ext: listener closed",
       [](Driver& d) {
         d.syn_rcvd_passive();
         d.h.tcp.find(1)->close();
       }},
      {kSynRcvd, kClosed, "ext: close with unread data",
       [](Driver& d) {
         // A Fast Open child (RFC 7413, no cookie needed) holds the SYN's data.
         d.h.tcp.config().fastopen = Config::kFastOpenServer | Config::kFastOpenServerNoCookie;
         Endpoint& listener = *d.h.tcp.find(d.h.listen());
         listener.set_option(SockOpt::kFastOpen, 4);
         d.h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}, .payload = {1}});
         d.h.out();
         auto child = listener.accept();
         d.h.tcp.find(*child)->close();
       }},
      {kEstablished, kClosed, "ext: close with unread data",
       [](Driver& d) {
         Endpoint& ep = d.established();
         d.h.in(Seg{.flags = kAck, .seq = 1001, .ack = d.iss + 1, .payload = {1}});
         ep.close();
       }},
      {kCloseWait, kClosed, "ext: close with unread data",
       [](Driver& d) {
         Endpoint& ep = d.established();
         d.h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = d.iss + 1, .payload = {1}});
         ep.close();
       }},
      {kFinWait1, kClosed, "ext: close with unread data",
       [](Driver& d) {
         Endpoint& ep = d.fin_wait1();
         d.h.in(Seg{.flags = kAck, .seq = 1001, .ack = d.iss + 1, .payload = {1}});
         ep.close();
       }},
      {kFinWait2, kClosed, "ext: close with unread data",
       [](Driver& d) {
         Endpoint& ep = d.fin_wait2();
         d.h.in(Seg{.flags = kAck, .seq = 1001, .ack = d.iss + 2, .payload = {1}});
         ep.close();
       }},
      {kClosing, kClosed, "ext: close with unread data",
       [](Driver& d) {
         Endpoint& ep = d.fin_wait1();
         d.h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = d.iss + 1, .payload = {1}});
         ep.close();
       }},
      {kLastAck, kClosed, "ext: close with unread data",
       [](Driver& d) {
         Endpoint& ep = d.established();
         d.h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = d.iss + 1, .payload = {1}});
         ep.shutdown(ShutdownHow::kWrite);
         ep.close();
       }},
      {kFinWait1, kClosed, "ext: data after close",
       [](Driver& d) {
         d.fin_wait1(true);
         d.h.in(Seg{.flags = kAck, .seq = 1001, .ack = d.iss + 1, .payload = {1}});
       }},
      {kFinWait2, kClosed, "ext: data after close",
       [](Driver& d) {
         d.fin_wait2(true);
         d.h.in(Seg{.flags = kAck, .seq = 1001, .ack = d.iss + 2, .payload = {1}});
       }},
      {kCloseWait, kClosed, "ext: data after FIN",
       [](Driver& d) {
         d.established();
         d.h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = d.iss + 1});
         d.h.in(Seg{.flags = kAck, .seq = 1001, .ack = d.iss + 1, .payload = {1, 2}});
       }},
      {kClosing, kClosed, "ext: data after FIN",
       [](Driver& d) {
         d.fin_wait1();
         d.h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = d.iss + 1});
         d.h.in(Seg{.flags = kAck, .seq = 1001, .ack = d.iss + 1, .payload = {1, 2}});
       }},
      {kLastAck, kClosed, "ext: data after FIN",
       [](Driver& d) {
         Endpoint& ep = d.established();
         d.h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = d.iss + 1});
         ep.shutdown(ShutdownHow::kWrite);
         d.h.in(Seg{.flags = kAck, .seq = 1001, .ack = d.iss + 1, .payload = {1, 2}});
       }},
      {kSynSent, kClosed, "ext: rcv ICMP error",
       [](Driver& d) {
         Endpoint& ep = d.h.connect();
         const Seg syn = d.h.out();
         d.h.icmp_error(3, 1, syn.seq, 0, ep.tuple().local_port);  // host unreachable
       }},
      {kSynRcvd, kClosed, "ext: rcv ICMP error",
       [](Driver& d) {
         Endpoint& ep = d.syn_rcvd_active();
         d.h.icmp_error(3, 1, d.iss, 0, ep.tuple().local_port);
       }},
  };
}

std::string name(const Transition& t) {
  return std::string(to_string(t.from)) + " -> " + std::string(to_string(t.to)) + " (" +
         std::string(t.cause) + ")";
}

TEST(Transitions, EveryEdgeIsTakenByItsRecipe) {
  for (const Edge& e : edges()) {
    SCOPED_TRACE(name(Transition{e.from, e.to, e.cause}));
    Driver d;
    Recorder rec;
    d.h.tcp.set_tracer(&rec);
    e.recipe(d);
    const bool taken =
        std::ranges::find(rec.seen, std::make_tuple(e.from, e.to, std::string(e.cause))) !=
        rec.seen.end();
    EXPECT_TRUE(taken) << "recipe did not take the edge";
  }
}

TEST(Transitions, TableCoversExactlyTheLegalTransitions) {
  std::set<std::string> table;
  for (const Edge& e : edges()) table.insert(name(Transition{e.from, e.to, e.cause}));
  std::set<std::string> legal;
  for (const Transition& t : legal_transitions()) legal.insert(name(t));
  for (const auto& n : legal) EXPECT_TRUE(table.contains(n)) << "no recipe for " << n;
  for (const auto& n : table) EXPECT_TRUE(legal.contains(n)) << "not a legal edge: " << n;
}

}  // namespace
}  // namespace netstack::tcp::testing
