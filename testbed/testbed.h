// Testbed: a simulated network on one fake clock, the world every test,
// fuzz harness, property and benchmark runs in (after QUICHE's
// test_tools/simulator). It holds:
//   - hosts: a Stack and its TCP layer each, with their own seed and Config;
//   - links between two hosts, or between a host and a ScriptedPeer (the
//     caller, injecting and taking packets), each direction with an
//     optional fault plan;
//   - taps (PacketRecorder, e.g. a pcap file) and Observers.
// Nothing moves by itself: pump() delivers what is on the wires, and
// run_for / run_to / run_until move the clock from one timer deadline to the
// next, pumping between, so every packet is delivered at the instant it was
// sent (fixed steps only when a caller asks for them).
//
// reset() puts the world back as it was built (same trace for the same
// input, whatever ran before), keeping every Host, Stack, Protocol and
// ScriptedPeer at its address, and every observer, tap and host setting.
//
//   Testbed bed;
//   HostId server = bed.add_host({.seed = 22});
//   ScriptedPeer& peer = bed.add_peer({server, *IpAddress::parse("192.0.2.1")});
//   bed.attach(trace_log);
//   peer.send(syn); bed.pump();
//   bed.run_until([&] { return peer.pending() > 0; }, 1s);
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "stack/header/address.h"
#include "stack/link/faulty_link.h"
#include "stack/link/packet_recorder.h"
#include "stack/time/fake_clock.h"
#include "testbed/host.h"
#include "testbed/host_port.h"
#include "testbed/network_link.h"
#include "testbed/observer.h"
#include "testbed/scripted_peer.h"

namespace tcpfuzz::testbed {

struct TestbedOptions {
  // Where the clock starts (not zero: the stack's bookkeeping reads time
  // zero as "never").
  netstack::Instant start = netstack::Instant::from_nanos(1000);
};

// One end of a link at a host: which host, and the address of its NIC there.
struct HostEnd {
  HostId host = 0;
  netstack::IpAddress address;
};

// What run_to / run_for do with packets already on the wire when called.
enum class QueuedPackets : uint8_t {
  // They leave now, at the current instant, before the clock moves.
  kDeliverFirst,
  // They leave with the pump after the first clock move: how the fuzz
  // harnesses have always stepped (their inputs replay the same only so).
  kDeliverAfterFirstMove,
};

// run_to's default per-step hook: nothing.
struct NoStep {
  void operator()() const {}
};

// How run_until moves time.
struct Stepping {
  // Zero (the default): from one timer deadline to the next. Otherwise fixed
  // steps of this length, each firing at once every timer due in it before
  // the wire is pumped (how the older harnesses stepped, 1 ms at a time).
  netstack::Duration fixed_step{0};
  static Stepping every(netstack::Duration step) { return Stepping{step}; }
};

class Testbed {
 public:
  explicit Testbed(TestbedOptions options = {});
  ~Testbed();
  Testbed(const Testbed&) = delete;
  Testbed& operator=(const Testbed&) = delete;

  // ---- Building the world ----
  HostId add_host(HostOptions options = {});
  // A link between two hosts (a NIC on each).
  LinkId add_link(HostEnd a, HostEnd b, LinkOptions options = {});
  // A link whose end A is `host`'s NIC and end B the returned peer.
  ScriptedPeer& add_peer(HostEnd host, LinkOptions options = {});
  // Records every packet crossing `host`'s NICs, both ways.
  void add_tap(HostId host, netstack::PacketRecorder& recorder);

  Host& host(HostId id) { return *hosts_.at(id); }
  const Host& host(HostId id) const { return *hosts_.at(id); }
  size_t host_count() const { return hosts_.size(); }
  NetworkLink& link(LinkId id) { return *links_.at(id); }
  const NetworkLink& link(LinkId id) const { return *links_.at(id); }
  // The FaultyLink on what `from` sends over `link` (nullptr: clean).
  netstack::FaultyLink* faults(LinkId link, End from) { return links_.at(link)->faults(from); }
  const netstack::FaultyLink* faults(LinkId link, End from) const {
    return links_.at(link)->faults(from);
  }

  // ---- Observing ----
  // An observer sees the TCP events, packets and clock moves of every host
  // (present and future) or of one; a plain Tracer sees only TCP events.
  // Observers are called in the order they were attached.
  void attach(Observer& o);
  void attach(Observer& o, HostId host);
  void attach(netstack::tcp::Tracer& t);
  void attach(netstack::tcp::Tracer& t, HostId host);
  void detach(const netstack::tcp::Tracer& t);

  // ---- Running ----
  netstack::FakeClock& clock() { return *clock_; }
  netstack::Instant now() const { return clock_->now(); }
  // Delivers what is on the wires, including what that provokes, until they
  // are quiet; returns how many packets were delivered.
  size_t pump() {
    // One link, the common case: its pump already runs until it is quiet.
    return sole_wire_ != nullptr ? sole_wire_->pump() : pump_links();
  }
  // Packets waiting on the wires for the next pump.
  size_t queued() const;
  // Moves the clock by `d` in one jump (every timer due fires, in deadline
  // order) without pumping: the primitive of fixed stepping.
  void advance_clock(netstack::Duration d) {
    clock_->advance(d);
    clock_moved();
  }
  // Moves the clock to `t` timer by timer: jump to the next deadline, fire
  // what is due there, pump, call on_step() (a harness's per-step checks),
  // ... and finally move to t, pump and call on_step(). `queued` says
  // whether what is already on the wire leaves before the first move (and
  // on_step() runs once more right after) or with the pump that follows it.
  // There is no default: the two orders give different traces.
  template <class OnStep = NoStep>
  void run_to(netstack::Instant t, QueuedPackets queued, OnStep&& on_step = {});
  template <class OnStep = NoStep>
  void run_for(netstack::Duration d, QueuedPackets queued, OnStep&& on_step = {}) {
    run_to(now() + d, queued, on_step);
  }
  // Runs until `done()` holds (checked after every pump) or `deadline`
  // passes; returns whether it held. What done() sends is delivered at the
  // same instant, before the clock moves on (so done() may drive the
  // applications, e.g. write and read as the wire allows).
  template <class Pred>
  bool run_until(Pred&& done, netstack::Instant deadline, Stepping stepping = {});
  template <class Pred>
  bool run_until(Pred&& done, netstack::Duration timeout, Stepping stepping = {}) {
    return run_until(done, now() + timeout, stepping);
  }

  // Back to the world as built: clock at the start, stacks new (same seeds,
  // same Config), wires empty, faults from their plans, peers' queues empty.
  void reset();

 private:
  struct Attachment {
    netstack::tcp::Tracer* tracer;
    Observer* observer;  // nullptr for a plain Tracer
    std::optional<HostId> host;
  };
  struct Nic {
    HostId host;
    LinkId link;
    End end;
    netstack::IpAddress address;
    std::unique_ptr<HostPort> port;
  };

  void wire_nic(Nic& nic);
  void wire_peer(ScriptedPeer& peer);
  void refresh_observers(Host& host);
  // Several links: round after round until no wire carries anything.
  size_t pump_links();
  // The clock moved (or may have): tells the observers.
  void clock_moved() {
    for (Observer* o : clock_observers_) o->on_clock(clock_->now());
  }
  void move_clock_to(netstack::Instant t) {
    clock_->advance_to(t);
    clock_moved();
  }

  TestbedOptions options_;
  // Declared first: everything below holds timers on it.
  std::optional<netstack::FakeClock> clock_;
  std::vector<std::unique_ptr<NetworkLink>> links_;
  std::vector<std::unique_ptr<ScriptedPeer>> peers_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::vector<Nic> nics_;  // in the order they were added
  std::vector<Attachment> attachments_;
  std::vector<Observer*> clock_observers_;
  // The wire of the only link, while there is exactly one (the fast path of
  // pump(), which fixed-step loops call thousands of times per run).
  netstack::LoopbackLink* sole_wire_ = nullptr;
};

template <class OnStep>
void Testbed::run_to(netstack::Instant t, QueuedPackets queued, OnStep&& on_step) {
  if (queued == QueuedPackets::kDeliverFirst) {
    pump();
    on_step();
  }
  for (auto next = clock_->next_deadline(); next && *next <= t; next = clock_->next_deadline()) {
    move_clock_to(*next);
    pump();
    on_step();
  }
  move_clock_to(t);
  pump();
  on_step();
}

template <class Pred>
bool Testbed::run_until(Pred&& done, netstack::Instant deadline, Stepping stepping) {
  while (true) {
    pump();
    if (done()) return true;
    if (now() >= deadline) return false;
    if (stepping.fixed_step > netstack::Duration::zero()) {
      advance_clock(stepping.fixed_step);
      continue;
    }
    if (queued() > 0) continue;  // what done() sent leaves now, before time moves on
    const auto next = clock_->next_deadline();
    move_clock_to(next && *next < deadline ? *next : deadline);
  }
}

}  // namespace tcpfuzz::testbed
