// Observers: one interface sees every kind of event (segments in and out
// with their host and time, socket calls and results, timer firings, state
// transitions, packets on the wire, the clock), several may watch at once,
// and one attached to a host sees that host only.
#include <gtest/gtest.h>

#include <algorithm>

#include "stack/link/packet_recorder.h"
#include "testbed/testbed.h"
#include "tests/testbed/event_log.h"
#include "tests/testbed/two_hosts.h"

namespace tcpfuzz::testbed {
namespace {

using namespace netstack;

class CountingRecorder final : public PacketRecorder {
 public:
  void record(Instant, std::span<const uint8_t>) override { ++packets; }
  size_t packets = 0;
};

class CallCounter final : public tcp::Tracer {
 public:
  void on_socket_call(Instant, tcp::EndpointId, tcp::State, std::string_view, long,
                      const tcp::CallArgs&) override {
    ++calls;
  }
  size_t calls = 0;
};

TEST(TestbedObservers, OneObserverSeesEveryKindOfEvent) {
  TwoHosts w;
  EventLog log;
  w.bed.attach(log);
  ASSERT_EQ(w.converse(10'000), 10'000u);
  for (const char* kind : {"in", "out", "call", "timer", "transition", "packet", "clock"}) {
    EXPECT_GT(log.count(kind), 0u) << kind;
  }
  // Both hosts' packets, both ways.
  for (const char* what :
       {"packet host 0 in", "packet host 0 out", "packet host 1 in", "packet host 1 out"}) {
    EXPECT_TRUE(std::ranges::any_of(log.lines, [&](const std::string& l) {
      return l.find(what) != std::string::npos;
    })) << what;
  }
  // A clean wire: every packet one host sends, the other receives, and
  // every packet sent is a segment the TCP layer reported.
  EXPECT_EQ(log.count("packet host 0 out") + log.count("packet host 1 out"), log.count("out"));
  EXPECT_EQ(log.count("packet host 0 in") + log.count("packet host 1 in"), log.count("out"));
  EXPECT_TRUE(std::ranges::any_of(log.lines, [](const std::string& l) {
    return l.find("TIME-WAIT") != std::string::npos && l.find(" timer ") != std::string::npos;
  })) << "the TIME-WAIT timer firing";
}

TEST(TestbedObservers, SeveralObserversSeeTheSameEventsInAttachOrder) {
  TwoHosts w;
  EventLog first;
  EventLog second;
  CallCounter calls;
  w.bed.attach(first);
  w.bed.attach(calls);
  w.bed.attach(second);
  w.converse(5'000);
  EXPECT_EQ(first.lines, second.lines);
  EXPECT_EQ(calls.calls, first.count("call"));
}

TEST(TestbedObservers, AnObserverOnOneHostSeesOnlyThatHost) {
  TwoHosts w;
  EventLog everything;
  EventLog server;
  w.bed.attach(everything);
  w.bed.attach(server, w.server);
  w.converse(5'000);
  EXPECT_LT(server.count("out"), everything.count("out"));
  EXPECT_GT(server.count("out"), 0u);
  for (const std::string& l : server.lines) {
    EXPECT_EQ(l.find("packet host 0"), std::string::npos) << l;
  }
}

TEST(TestbedObservers, ADetachedObserverSeesNothingMore) {
  TwoHosts w;
  EventLog log;
  w.bed.attach(log);
  w.bed.detach(log);
  w.converse(1'000);
  EXPECT_TRUE(log.lines.empty());
  EXPECT_EQ(w.bed.host(w.client).tcp().tracer(), nullptr);
}

TEST(TestbedObservers, ALoneTracerIsCalledDirectlyWithoutTheFanOut) {
  TwoHosts w;
  CallCounter calls;
  w.bed.attach(calls, w.client);
  EXPECT_EQ(w.bed.host(w.client).tcp().tracer(), &calls);
  EXPECT_EQ(w.bed.host(w.server).tcp().tracer(), nullptr);
}

TEST(TestbedObservers, ATapRecordsEveryPacketAtItsHost) {
  TwoHosts w;
  CountingRecorder tap;
  EventLog log;
  w.bed.add_tap(w.client, tap);
  w.bed.attach(log, w.client);
  w.converse(5'000);
  EXPECT_GT(tap.packets, 0u);
  EXPECT_EQ(tap.packets, log.count("packet"));
}

}  // namespace
}  // namespace tcpfuzz::testbed
