#include "fuzz/harness/wire_targets.h"

#include <array>
#include <cstdlib>
#include <vector>

#include "stack/header/ip.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"
#include "stack/link/loopback_link.h"
#include "stack/stack.h"
#include "stack/time/fake_clock.h"

namespace tcpfuzz::harness {

using namespace netstack;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

void check_tcp_round_trip(std::span<const uint8_t> segment) {
  auto tcp = header::parse_tcp(segment);
  if (!tcp) return;
  std::vector<uint8_t> out(tcp->header.header_length() + tcp->payload.size());
  header::write_tcp(out, tcp->header);
  std::copy(tcp->payload.begin(), tcp->payload.end(), out.begin() + tcp->header.header_length());
  auto again = header::parse_tcp(out);
  require(again && again->header == tcp->header);
  require(std::ranges::equal(again->payload, tcp->payload));
}

}  // namespace

Stats header_verdicts(std::span<const uint8_t> frame) {
  FakeClock clock;
  LoopbackLink wire;
  Stack stack(clock);
  const NicId nic = stack.add_nic(wire.side(LoopbackLink::Side::kA));
  stack.add_address(nic, *IpAddress::parse("192.0.2.1"));
  stack.add_address(nic, *IpAddress::parse("fd3d:a0b:17d6::1"));
  stack.deliver(nic, View::copy_of(frame));
  return stack.stats();
}

void run_header_input(std::span<const uint8_t> in) {
  // Whatever parses must survive write -> parse unchanged.
  if (auto v4 = header::parse_ipv4(in)) {
    std::vector<uint8_t> out(v4->header.header_length());
    header::write_ipv4(out, v4->header);
    out.insert(out.end(), v4->payload.begin(), v4->payload.end());
    auto again = header::parse_ipv4(out);
    require(again.has_value());
    // 0x0000 and 0xffff are the two ones'-complement zeros: a received
    // checksum of either verifies, a rebuilt one is always 0x0000-based.
    auto expected = v4->header;
    const uint16_t got = again->header.checksum;
    const bool same_zero = expected.checksum == got || (expected.checksum == 0xffff && got == 0) ||
                           (expected.checksum == 0 && got == 0xffff);
    require(same_zero);
    expected.checksum = again->header.checksum;
    require(again->header == expected);
    check_tcp_round_trip(v4->payload);
  } else if (auto v6 = header::parse_ipv6(in)) {
    std::vector<uint8_t> out(header::kIpv6HeaderLength);
    header::write_ipv6(out, v6->header);
    out.insert(out.end(), v6->payload.begin(), v6->payload.end());
    auto again = header::parse_ipv6(out);
    require(again && again->header == v6->header);
    check_tcp_round_trip(v6->payload);
  }
  // The stack's validation and demux must agree with the parsers: every
  // frame gets exactly one verdict, a drop reason or "no port".
  const Stats s = header_verdicts(in);
  uint64_t verdicts = 0;
  s.for_each([&](std::string_view name, uint64_t v) {
    if (name != "ip_received") verdicts += v;
  });
  require(s.ip_received == 1 && verdicts == (s.tcp_received > 0 ? 2 : 1));
}

void run_options_input(std::span<const uint8_t> in) {
  // Parsing never fails (Linux's rules for malformed lengths apply);
  // whatever was parsed, written back in Linux's layout, parses the same.
  using namespace header;
  const auto opts = parse_tcp_options(in);
  require(!opts.window_scale || *opts.window_scale <= kMaxWindowScale);
  require(!opts.mss || *opts.mss != 0);
  require(opts.sack_block_count <= kMaxSackBlocks);
  std::array<uint8_t, kTcpMaxOptionsLength> out{};
  const auto written = write_tcp_options(out, opts);
  if (!written) {
    // Only a combination too large for 40 bytes may fail to write.
    require(tcp_options_size(opts) > kTcpMaxOptionsLength);
    return;
  }
  require(*written == tcp_options_size(opts) && *written % 4 == 0);
  require(parse_tcp_options({out.data(), *written}) == opts);
}

}  // namespace tcpfuzz::harness
