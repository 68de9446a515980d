// The data path's speed: bulk transfer between two in-process stacks over
// the loopback link (fake clock, so timers cost nothing but their work), the
// same under loss and reordering, connection churn, and memory per idle
// connection and under an out-of-order flood. Everything runs on one
// thread: the figures are one core's.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>

#include "bench/stack_pair.h"
#include "stack/header/tcp_packet.h"

namespace {

using tcpfuzz::bench::Connection;
using tcpfuzz::bench::StackPair;
using namespace std::chrono_literals;

constexpr size_t kBulkBytes = 64 << 20;

size_t heap_in_use() {
  return mallinfo2().uordblks;
}

void report_throughput(benchmark::State& state, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["Gbit/s"] =
      benchmark::Counter(static_cast<double>(bytes) * 8 / 1e9, benchmark::Counter::kIsRate);
  // Seconds x cycles per second / bytes, as a rate counter inverted.
  const double hz = benchmark::CPUInfo::Get().cycles_per_second;
  state.counters["cycles/byte"] = benchmark::Counter(
      static_cast<double>(bytes) / hz, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Bulk transfer, client to server, MTU from the argument.
void BM_BulkTransfer(benchmark::State& state) {
  const auto mtu = static_cast<uint32_t>(state.range(0));
  StackPair pair(mtu);
  const Connection c = pair.connect();
  size_t bytes = 0;
  for (auto _ : state) {
    if (!pair.transfer(c, kBulkBytes)) state.SkipWithError("transfer stalled");
    bytes += kBulkBytes;
  }
  report_throughput(state, bytes);
}
BENCHMARK(BM_BulkTransfer)->Arg(1500)->Arg(65535)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with 1% of packets dropped and 1% reordered in each direction.
void BM_BulkTransferLossy(benchmark::State& state) {
  const auto mtu = static_cast<uint32_t>(state.range(0));
  netstack::FaultPlan faults;
  faults.drop_ppm = 10000;
  faults.reorder_ppm = 10000;
  faults.reorder_hold = 1ms;
  StackPair pair(mtu, faults);
  const Connection c = pair.connect();
  size_t bytes = 0;
  for (auto _ : state) {
    if (!pair.transfer(c, kBulkBytes / 4)) state.SkipWithError("transfer stalled");
    bytes += kBulkBytes / 4;
  }
  report_throughput(state, bytes);
  const auto& stats = pair.client.stats();
  state.counters["fast_recoveries"] = static_cast<double>(stats.fast_recoveries);
  state.counters["retransmits"] = static_cast<double>(c.client->info().total_retransmits);
}
BENCHMARK(BM_BulkTransferLossy)
    ->Arg(1500)
    ->Arg(65535)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Connection churn: handshake, 1 KiB, close from both sides, TIME-WAIT gone.
void BM_ConnectionChurn(benchmark::State& state) {
  StackPair pair(1500);
  for (auto _ : state) {
    const Connection c = pair.connect();
    if (!pair.transfer(c, 1024)) state.SkipWithError("transfer stalled");
    pair.close(c);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ConnectionChurn)->UseRealTime();

// Heap bytes per idle established connection (both ends, divided by two).
void BM_IdleConnectionMemory(benchmark::State& state) {
  constexpr int kConnections = 1000;
  double per_endpoint = 0;
  for (auto _ : state) {
    StackPair pair(1500);
    (void)pair.connect();  // the listener and first allocations out of the way
    const size_t before = heap_in_use();
    for (int i = 0; i < kConnections; ++i) (void)pair.connect();
    per_endpoint = static_cast<double>(heap_in_use() - before) / (2.0 * kConnections);
  }
  state.counters["bytes/endpoint"] = per_endpoint;
}
BENCHMARK(BM_IdleConnectionMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

// 100 000 out-of-order segments (a hole at the front, never filled) into one
// connection, 100 bytes each at 320 places inside the window: the heap's
// peak growth stays bounded by the receive buffer, the rest is dropped.
void BM_OutOfOrderFlood(benchmark::State& state) {
  constexpr int kSegments = 100000;
  size_t peak = 0;
  uint64_t dropped = 0;
  for (auto _ : state) {
    StackPair pair(1500);
    const Connection c = pair.connect();
    // Stop the client from answering: the server's segments go nowhere.
    tcpfuzz::testbed::NetworkLink& link = pair.bed.link(pair.link);
    link.attach(tcpfuzz::testbed::End::kA, nullptr);
    const netstack::tcp::TcpInfo server = c.server->info();
    const size_t before = heap_in_use();
    netstack::header::TcpPacketSpec spec;
    spec.src = *netstack::IpAddress::parse("198.18.0.1");
    spec.dst = *netstack::IpAddress::parse("198.18.0.2");
    spec.tcp.src_port = c.client->tuple().local_port;
    spec.tcp.dst_port = 80;
    spec.tcp.flags = netstack::header::tcp_flag::kAck;
    spec.tcp.ack = server.snd_nxt;
    spec.tcp.window = 65535;
    std::vector<uint8_t> payload(100, 0x33);
    spec.payload = payload;
    for (int i = 0; i < kSegments; ++i) {
      // Sequence numbers cycle through the window after the hole, with gaps
      // so no two segments merge.
      spec.tcp.seq = server.rcv_nxt + 200 * (1 + static_cast<uint32_t>(i % 320));
      link.sender(tcpfuzz::testbed::End::kA).send(netstack::header::build_tcp_packet(spec));
      pair.bed.pump();
      peak = std::max(peak, heap_in_use() - std::min(heap_in_use(), before));
    }
    dropped = pair.server.stats().reassembly_dropped;
  }
  state.counters["peak_heap_bytes"] = static_cast<double>(peak);
  state.counters["ooo_dropped"] = static_cast<double>(dropped);
}
BENCHMARK(BM_OutOfOrderFlood)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
