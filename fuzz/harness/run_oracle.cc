#include "fuzz/harness/run_oracle.h"

#include "fuzz/scenario/socket_under_test.h"

namespace tcpfuzz::harness {

namespace {

const netstack::IpAddress& local_v4() {
  static const netstack::IpAddress a = *netstack::IpAddress::parse(scenario::kLocalIpv4);
  return a;
}
const netstack::IpAddress& local_v6() {
  static const netstack::IpAddress a = *netstack::IpAddress::parse(scenario::kLocalIpv6);
  return a;
}

}  // namespace

RunOracle::RunOracle(bool enabled, netstack::tcp::Tracer* also,
                     oracle::Oracle::FailureHandler on_failure)
    : enabled_(enabled),
      also_(also),
      oracle_(std::move(on_failure)),
      tap_(oracle_, {local_v4(), local_v6()}) {
  if (enabled_ && also_ != nullptr) {
    both_.add(oracle_);
    both_.add(*also_);
  }
}

netstack::tcp::Tracer* RunOracle::tracer() {
  if (!enabled_) return also_;
  // Alone, the oracle is the tracer (the fanout holds both only with `also`).
  if (also_ == nullptr) return &oracle_;
  return both_.target();
}

scenario::BinaryRunOptions RunOracle::options(scenario::BinaryRunOptions base) {
  base.tracer = tracer();
  base.pcap = tap();
  return base;
}

}  // namespace tcpfuzz::harness
