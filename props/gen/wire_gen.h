// rapidcheck generators for wire-layer values, shared by the property suites.
//
//   *rc::gen::arbitrary<netstack::IpAddress>()   either family
//   *netstack::gen::ipv4_address(), ipv6_address()
//   *netstack::gen::tcp_header_fields()          a TcpHeader without options
//   *rc::gen::arbitrary<header::TcpOptions>()    only sets write_tcp_options
//                                                accepts (they fit in 40 bytes)
//   *netstack::gen::option_words(max_words)      raw bytes, a multiple of 4
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "stack/header/address.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"

namespace netstack::gen {

inline rc::Gen<IpAddress> ipv4_address() {
  return rc::gen::map(rc::gen::arbitrary<uint32_t>(), [](uint32_t v) { return IpAddress::v4(v); });
}

inline rc::Gen<IpAddress> ipv6_address() {
  return rc::gen::map(
      rc::gen::container<std::vector<uint8_t>>(16, rc::gen::arbitrary<uint8_t>()),
      [](const std::vector<uint8_t>& b) { return IpAddress::v6(std::span<const uint8_t, 16>(b)); });
}

// A unicast source build_tcp_packet accepts: not the unspecified address.
inline rc::Gen<IpAddress> specified_address(IpAddress::Family family) {
  return rc::gen::suchThat(family == IpAddress::Family::kV4 ? ipv4_address() : ipv6_address(),
                           [](const IpAddress& a) { return !a.is_unspecified(); });
}

// Up to max_words 32-bit words of arbitrary bytes (IPv4 or TCP option space).
inline rc::Gen<std::vector<uint8_t>> option_words(size_t max_words) {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(0, max_words + 1), [](size_t words) {
    return rc::gen::container<std::vector<uint8_t>>(words * 4, rc::gen::arbitrary<uint8_t>());
  });
}

// Every field of a TcpHeader except `options` (a span: the caller owns the
// bytes) and `checksum` (left zero).
inline rc::Gen<header::TcpHeader> tcp_header_fields() {
  return rc::gen::exec([] {
    header::TcpHeader h;
    h.src_port = *rc::gen::arbitrary<uint16_t>();
    h.dst_port = *rc::gen::arbitrary<uint16_t>();
    h.seq = *rc::gen::arbitrary<uint32_t>();
    h.ack = *rc::gen::arbitrary<uint32_t>();
    h.flags = *rc::gen::arbitrary<uint8_t>();
    h.window = *rc::gen::arbitrary<uint16_t>();
    h.urgent = *rc::gen::arbitrary<uint16_t>();
    h.reserved = *rc::gen::inRange<uint8_t>(0, 16);
    return h;
  });
}

}  // namespace netstack::gen

namespace rc {

template <>
struct Arbitrary<netstack::IpAddress> {
  static Gen<netstack::IpAddress> arbitrary() {
    return gen::oneOf(netstack::gen::ipv4_address(), netstack::gen::ipv6_address());
  }
};

template <>
struct Arbitrary<netstack::header::SackBlock> {
  static Gen<netstack::header::SackBlock> arbitrary() {
    return gen::build<netstack::header::SackBlock>(
        gen::set(&netstack::header::SackBlock::start, gen::arbitrary<uint32_t>()),
        gen::set(&netstack::header::SackBlock::end, gen::arbitrary<uint32_t>()));
  }
};

template <>
struct Arbitrary<netstack::header::TcpOptions> {
  static Gen<netstack::header::TcpOptions> arbitrary() {
    using netstack::header::TcpOptions;
    return gen::exec([] {
      TcpOptions o;
      if (*gen::arbitrary<bool>()) {
        o.mss = *gen::suchThat(gen::arbitrary<uint16_t>(), [](uint16_t v) { return v != 0; });
      }
      if (*gen::arbitrary<bool>()) {
        o.window_scale = *gen::inRange<uint8_t>(0, netstack::header::kMaxWindowScale + 1);
      }
      o.sack_permitted = *gen::arbitrary<bool>();
      if (*gen::arbitrary<bool>()) {
        o.timestamps =
            netstack::header::Timestamps{*gen::arbitrary<uint32_t>(), *gen::arbitrary<uint32_t>()};
      }
      // SACK blocks take 4 bytes of NOP/kind/length plus 8 per block: keep
      // only as many as the rest of the 40 bytes leaves room for.
      const size_t used = netstack::header::tcp_options_size(o);
      const size_t room = netstack::header::kTcpMaxOptionsLength - used;
      const size_t max_blocks =
          std::min(netstack::header::kMaxSackBlocks, room >= 12 ? (room - 4) / 8 : size_t{0});
      const auto blocks = *gen::inRange<size_t>(0, max_blocks + 1);
      for (size_t i = 0; i < blocks; ++i)
        o.add_sack(*gen::arbitrary<netstack::header::SackBlock>());
      return o;
    });
  }
};

}  // namespace rc
