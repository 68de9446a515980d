// Initial sequence numbers (RFC 9293 3.4.1, RFC 6528): a keyed hash of the
// 4-tuple plus a clock that ticks every 64 ns (Linux secure_tcp_seq() +
// ktime >> 6). Distinct 4-tuples get unrelated ISNs; one 4-tuple's ISN
// advances with the clock.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "gen/wire_gen.h"
#include "stack/tcp/isn.h"

namespace tcpfuzz::props {
namespace {

using netstack::FourTuple;
using netstack::Instant;
using netstack::tcp::IsnGenerator;

rc::Gen<FourTuple> four_tuple() {
  return rc::gen::exec([] {
    const auto family =
        *rc::gen::element(netstack::IpAddress::Family::kV4, netstack::IpAddress::Family::kV6);
    return FourTuple{*netstack::gen::specified_address(family), *rc::gen::arbitrary<uint16_t>(),
                     *netstack::gen::specified_address(family), *rc::gen::arbitrary<uint16_t>()};
  });
}

RC_GTEST_PROP(Isn, DistinctTuplesGetUnrelatedIsns, ()) {
  const IsnGenerator isn(*rc::gen::arbitrary<uint64_t>());
  const FourTuple a = *four_tuple();
  // The same tuple with one field changed: the hash must not leak a
  // relation (equal ISNs, or the change showing as the difference).
  FourTuple b = a;
  switch (*rc::gen::inRange(0, 4)) {
    case 0:
      b.local_port = static_cast<uint16_t>(a.local_port + *rc::gen::inRange<uint16_t>(1, 100));
      break;
    case 1:
      b.remote_port = static_cast<uint16_t>(a.remote_port + *rc::gen::inRange<uint16_t>(1, 100));
      break;
    case 2:
      b.remote_address = *netstack::gen::specified_address(a.remote_address.family());
      break;
    default:
      b.local_address = *netstack::gen::specified_address(a.local_address.family());
      break;
  }
  RC_PRE(!(a == b));
  const auto now = Instant::from_nanos(*rc::gen::inRange<int64_t>(0, int64_t{1} << 50));
  const uint32_t ia = isn.isn(a, now).raw();
  const uint32_t ib = isn.isn(b, now).raw();
  RC_ASSERT(ia != ib);
  // A port step of k must not show up as an ISN step of k (or -k).
  const uint32_t port_step = static_cast<uint16_t>(b.local_port - a.local_port) +
                             static_cast<uint16_t>(b.remote_port - a.remote_port);
  RC_ASSERT(ib - ia != port_step);
  RC_ASSERT(ia - ib != port_step);
}

RC_GTEST_PROP(Isn, OneTuplesIsnAdvancesWithTheClock, ()) {
  const IsnGenerator isn(*rc::gen::arbitrary<uint64_t>());
  const FourTuple t = *four_tuple();
  const int64_t t0 = *rc::gen::inRange<int64_t>(0, int64_t{1} << 50);
  const int64_t dt = *rc::gen::inRange<int64_t>(0, int64_t{1} << 40);
  const uint32_t before = isn.isn(t, Instant::from_nanos(t0)).raw();
  const uint32_t after = isn.isn(t, Instant::from_nanos(t0 + dt)).raw();
  // 64 ns ticks, modulo 2^32.
  const auto ticks = static_cast<uint32_t>(static_cast<uint64_t>(t0 + dt) >> 6) -
                     static_cast<uint32_t>(static_cast<uint64_t>(t0) >> 6);
  RC_ASSERT(after - before == ticks);
}

}  // namespace
}  // namespace tcpfuzz::props
