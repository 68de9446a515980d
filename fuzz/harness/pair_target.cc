#include "fuzz/harness/pair_target.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/harness/state_feedback.h"

namespace tcpfuzz::harness {

using namespace netstack;

namespace {

const IpAddress kClientAddress = *IpAddress::parse("198.18.0.1");
const IpAddress kServerAddress = *IpAddress::parse("198.18.0.2");

constexpr size_t kPlanBytes = 6;
constexpr uint32_t kPpmPerUnit = 1000;  // a plan byte counts thousandths

// Byte i of a side's stream: position-dependent, so a byte read twice, out
// of order or from the wrong place does not match.
uint8_t stream_byte(uint64_t i, uint8_t side) {
  return static_cast<uint8_t>(i * 131 + (i >> 8) * 7 + uint64_t{side} * 85);
}

// The largest write (argument 255) and read (finish()'s) a run makes.
constexpr size_t kMaxWrite = 255 * 64 + 1;
constexpr size_t kMaxRead = 65536;
// stream_byte() repeats every 64 KiB (131 * 65536 and 7 * 256 are multiples
// of 256), so one table per side of a period plus the longest span serves
// every write and read as a slice: no bytes are generated per call.
constexpr uint64_t kStreamPeriod = 65536;
constexpr size_t kMaxSpan = std::max(kMaxWrite, kMaxRead);

// Bytes [from, from + n) of `side`'s stream, n <= kMaxSpan.
std::span<const uint8_t> stream_bytes(uint64_t from, size_t n, uint8_t side) {
  using Table = std::vector<uint8_t>;
  static const std::array<Table, 2> tables = [] {
    std::array<Table, 2> t;
    for (uint8_t s = 0; s < 2; ++s) {
      t[s].resize(kStreamPeriod + kMaxSpan);
      for (uint64_t i = 0; i < t[s].size(); ++i) t[s][i] = stream_byte(i, s);
    }
    return t;
  }();
  return std::span<const uint8_t>(tables[side]).subspan(from % kStreamPeriod, n);
}

}  // namespace

PairInput decode_pair(std::span<const uint8_t> input) {
  PairInput out;
  if (input.size() >= kPlanBytes) {
    FaultPlan& p = out.plan;
    p.drop_ppm = input[0] * kPpmPerUnit;
    p.duplicate_ppm = input[1] * kPpmPerUnit;
    p.reorder_ppm = input[2] * kPpmPerUnit;
    p.corrupt_ppm = input[3] * kPpmPerUnit;
    p.delay_ppm = input[4] * kPpmPerUnit;
    p.seed = input[5];
    input = input.subspan(kPlanBytes);
  } else {
    input = {};
  }
  for (size_t i = 0; i + 1 < input.size(); i += 2) {
    out.ops.push_back(PairOp{static_cast<PairOp::Kind>(input[i] % kPairOpKinds), input[i + 1]});
  }
  return out;
}

PairRun::PairRun(const FaultPlan& plan, tcp::Tracer* tracer, FailureHandler on_failure)
    : oracles_{oracle::Oracle(on_failure), oracle::Oracle(on_failure)},
      client_host_(bed_.add_host({.seed = 11})),
      server_host_(bed_.add_host({.seed = 22})),
      link_(bed_.add_link({client_host_, kClientAddress}, {server_host_, kServerAddress},
                          testbed::LinkOptions::faulty(plan))),
      client_(bed_.host(client_host_).tcp()),
      server_(bed_.host(server_host_).tcp()),
      memory_{RandomAllocationFaults(plan.seed + 2), RandomAllocationFaults(plan.seed + 3)},
      read_buffer_(kMaxRead),
      on_failure_(std::move(on_failure)) {
  bed_.host(client_host_).set_allocation_faults(&memory_[0]);
  bed_.host(server_host_).set_allocation_faults(&memory_[1]);
  if (on_failure_) {
    // Property tests: an invariant violation fails like an oracle, so it
    // shrinks and reports instead of aborting the test binary.
    for (const testbed::HostId h : {client_host_, server_host_}) {
      bed_.host(h).set_invariant_failure_handler([this](const std::string& report) {
        if (!invariant_failure_) invariant_failure_ = report;
      });
    }
  }
  // Property tests (they bring a failure handler) always judge with it.
  if (on_failure_ || oracle::oracle_enabled()) {
    bed_.attach(oracles_[0], client_host_);
    bed_.attach(oracles_[1], server_host_);
  }
  if (tracer != nullptr) bed_.attach(*tracer);
  open_connection();
}

void PairRun::restart(const FaultPlan& plan) {
  bed_.reset();
  // A FaultyLink given a plan on a reset (empty) link is one built with it.
  const testbed::LinkOptions links = testbed::LinkOptions::faulty(plan);
  bed_.faults(link_, testbed::End::kA)->set_plan(*links.faults_from_a);
  bed_.faults(link_, testbed::End::kB)->set_plan(*links.faults_from_b);
  memory_ = {RandomAllocationFaults(plan.seed + 2), RandomAllocationFaults(plan.seed + 3)};
  for (oracle::Oracle& o : oracles_) o.reset();
  sides_ = {};
  invariant_failure_.reset();
  open_connection();
}

void PairRun::open_connection() {
  listener_ = server_.open(IpAddress::Family::kV4);
  (void)server_.find(listener_)->bind(kServerAddress, 80);
  (void)server_.find(listener_)->listen(4);
  sides_[0].endpoint = client_.open(IpAddress::Family::kV4);
  (void)client_.find(sides_[0].endpoint)->connect(kServerAddress, 80);
  step();
}

tcp::Endpoint* PairRun::endpoint(int side) {
  if (sides_[side].endpoint == tcp::kNoEndpoint) return nullptr;
  return (side == 0 ? client_ : server_).find(sides_[side].endpoint);
}

std::string PairRun::summary() const {
  std::string s;
  for (int side = 0; side < 2; ++side) {
    const Side& x = sides_[side];
    s += std::string(side == 0 ? "client" : "; server") + " wrote " + std::to_string(x.written) +
         " read " + std::to_string(x.read) + " eof " + std::to_string(x.eof) + " error " +
         std::to_string(x.error);
  }
  const FaultStats& c = bed_.faults(link_, testbed::End::kA)->stats();
  const FaultStats& v = bed_.faults(link_, testbed::End::kB)->stats();
  s += "; links sent " + std::to_string(c.sent + v.sent) + " dropped " +
       std::to_string(c.dropped + v.dropped) + " duplicated " +
       std::to_string(c.duplicated + v.duplicated) + " reordered " +
       std::to_string(c.reordered + v.reordered) + " corrupted " +
       std::to_string(c.corrupted + v.corrupted) + " delayed " +
       std::to_string(c.delayed + v.delayed);
  s += "; allocation failures " + std::to_string(client_.stats().allocation_failures) + " + " +
       std::to_string(server_.stats().allocation_failures);
  return s + "; at " + std::to_string(static_cast<double>(bed_.now().nanos()) / 1e9) + " s";
}

void PairRun::fail(const std::string& what) {
  const std::string report = "pair_fuzzer: " + what + "\n  " + summary();
  if (on_failure_) on_failure_(report);
  std::fprintf(stderr, "%s\n", report.c_str());
  std::abort();
}

void PairRun::step() {
  bed_.pump();
  checks();
}

void PairRun::checks() {
  if (sides_[1].endpoint == tcp::kNoEndpoint) {
    if (auto id = server_.find(listener_)->accept()) sides_[1].endpoint = *id;
  }
  if (invariant_failure_) fail("invariant violated: " + *invariant_failure_);
}

void PairRun::write(int side, size_t length) {
  tcp::Endpoint* ep = endpoint(side);
  Side& s = sides_[side];
  if (ep == nullptr || s.shut) return;
  auto r = ep->write(stream_bytes(s.written, length, static_cast<uint8_t>(side)));
  if (r) {
    s.written += *r;
  } else if (r.error() != EAGAIN) {
    s.error = r.error();
  }
  step();
}

void PairRun::read(int side, size_t length) {
  tcp::Endpoint* ep = endpoint(side);
  Side& s = sides_[side];
  if (ep == nullptr || s.eof) return;
  const std::span<uint8_t> buffer = std::span(read_buffer_).first(length);
  auto r = ep->read(buffer);
  if (!r) {
    if (r.error() != EAGAIN) s.error = r.error();
  } else if (*r == 0) {
    s.eof = true;
  } else {
    const uint8_t writer = static_cast<uint8_t>(1 - side);
    const std::span<const uint8_t> got = buffer.first(*r);
    const std::span<const uint8_t> want = stream_bytes(s.read, *r, writer);
    if (std::memcmp(got.data(), want.data(), got.size()) != 0) {
      const auto at = std::ranges::mismatch(got, want).in1;
      fail("integrity: byte " + std::to_string(s.read + static_cast<size_t>(at - got.begin())) +
           " read by the " + (side == 0 ? "client" : "server") + " is not the one written there");
    }
    s.read += *r;
    if (s.read > sides_[writer].written) fail("integrity: more bytes read than written");
  }
  step();
}

void PairRun::shut_down(int side) {
  tcp::Endpoint* ep = endpoint(side);
  if (ep == nullptr || sides_[side].shut) return;
  if (ep->shutdown(tcp::ShutdownHow::kWrite) == 0) sides_[side].shut = true;
  step();
}

void PairRun::advance(Duration d) {
  bed_.run_for(d, testbed::QueuedPackets::kDeliverAfterFirstMove, [this] { checks(); });
}

void PairRun::apply(const PairOp& op) {
  const size_t length = size_t{op.arg} * 64 + 1;
  switch (op.kind) {
    case PairOp::kClientWrite:
      return write(0, length);
    case PairOp::kServerWrite:
      return write(1, length);
    case PairOp::kClientRead:
      return read(0, length);
    case PairOp::kServerRead:
      return read(1, length);
    case PairOp::kAdvance:
      return advance(std::chrono::milliseconds(op.arg * 4));
    case PairOp::kClientShutdown:
      return shut_down(0);
    case PairOp::kServerShutdown:
      return shut_down(1);
    case PairOp::kOptions: {
      const int side = (op.arg & 4) != 0 ? 1 : 0;
      if (tcp::Endpoint* ep = endpoint(side)) {
        (void)ep->set_option(tcp::SockOpt::kNoDelay, op.arg & 1);
        (void)ep->set_option(tcp::SockOpt::kCork, (op.arg >> 1) & 1);
      }
      memory_[side].set_rate(static_cast<uint8_t>((op.arg >> 3) * 2));
      oracles_[side].set_replies_may_fail((op.arg >> 3) != 0);
      return step();
    }
  }
}

bool PairRun::failed(int side) const {
  return sides_[side].error != 0 || sides_[1 - side].error != 0;
}

void PairRun::finish() {
  // The faults stop; both sides say they are done writing.
  bed_.faults(link_, testbed::End::kA)->set_plan({});
  bed_.faults(link_, testbed::End::kB)->set_plan({});
  for (RandomAllocationFaults& m : memory_) m.set_rate(0);
  for (oracle::Oracle& o : oracles_) o.set_replies_may_fail(false);
  const Instant deadline = bed_.now() + kLivenessBound;
  auto done = [&] {
    for (int side = 0; side < 2; ++side) {
      if (endpoint(side) == nullptr && !failed(side)) return false;  // not even accepted
      if (!sides_[side].eof && !failed(side)) return false;
    }
    return true;
  };
  while (!done() && bed_.now() < deadline) {
    for (int side = 0; side < 2; ++side) {
      shut_down(side);
      for (tcp::Endpoint* ep = endpoint(side); ep != nullptr && !sides_[side].eof;) {
        const uint64_t before = sides_[side].read;
        read(side, kMaxRead);
        if (sides_[side].read == before) break;
      }
      // A connection that ended before its end-of-file was read (reset,
      // retransmissions or SYN retries exhausted under the faults) owes
      // nothing more.
      if (tcp::Endpoint* ep = endpoint(side); ep != nullptr && !sides_[side].eof) {
        const int e = ep->get_option(tcp::SockOpt::kError).value_or(0);
        if (e != 0) sides_[side].error = e;
        if (ep->state() == tcp::State::kClosed && sides_[side].error == 0) {
          sides_[side].error = ECONNABORTED;
        }
      }
    }
    const auto next = bed_.clock().next_deadline();
    advance(next ? std::min(*next - bed_.now(), Duration(std::chrono::seconds(1)))
                 : Duration(std::chrono::seconds(1)));
  }
  for (int side = 0; side < 2; ++side) {
    if (failed(side)) continue;
    const char* name = side == 0 ? "client" : "server";
    if (!sides_[side].eof) {
      fail(std::string("liveness: the ") + name + " never read end-of-file");
    }
    if (sides_[side].read != sides_[1 - side].written) {
      fail(std::string("liveness: the ") + name + " read " + std::to_string(sides_[side].read) +
           " of " + std::to_string(sides_[1 - side].written) + " bytes");
    }
  }
  // Everything is released: close both, wait out TIME-WAIT.
  for (int side = 0; side < 2; ++side) {
    if (tcp::Endpoint* ep = endpoint(side)) ep->close();
  }
  server_.find(listener_)->close();
  advance(std::chrono::minutes(3));
  client_.reap();
  server_.reap();
  if (client_.endpoint_count() != 0 || server_.endpoint_count() != 0) {
    std::string left;
    auto describe = [&](const char* side, const tcp::Protocol& p) {
      p.for_each_endpoint([&](const tcp::Endpoint& ep) {
        left += std::string(" ") + side + " endpoint in " + std::string(to_string(ep.state())) +
                " with " + std::to_string(ep.pending_timers()) + " timer(s)";
      });
    };
    describe("client", client_);
    describe("server", server_);
    fail("cleanup: left after close and TIME-WAIT:" + left);
  }
  if (bed_.clock().next_deadline()) fail("cleanup: a timer is still armed");
  if (bed_.link(link_).in_flight() != 0) {
    fail("cleanup: packets still held by the links");
  }
  for (oracle::Oracle& o : oracles_) o.finish(bed_.now());
}

void run_pair(std::span<const uint8_t> input, tcp::Tracer* tracer, std::string* summary) {
  const PairInput decoded = decode_pair(input);
  PairRun run(decoded.plan, tracer);
  for (const PairOp& op : decoded.ops) run.apply(op);
  run.finish();
  if (summary != nullptr) *summary = run.summary();
}

void run_pair_input(std::span<const uint8_t> input) {
  // One world for the whole process, restarted before each input: the
  // testbed is reset, not built again (PairReset tests in
  // tests/harness/pair_reset_test.cc).
  static StateFeedback feedback;
  static PairRun run(FaultPlan{}, &feedback);
  const PairInput decoded = decode_pair(input);
  run.restart(decoded.plan);
  for (const PairOp& op : decoded.ops) run.apply(op);
  run.finish();
}

}  // namespace tcpfuzz::harness
