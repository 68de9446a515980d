#include "fuzz/scenario/script_options.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace tcpfuzz::scenario {

namespace {

std::optional<std::string> option(const Scenario& s, std::string_view name) {
  for (const auto& [k, v] : s.options) {
    if (k == name) return v;
  }
  return std::nullopt;
}

long int_option(const Scenario& s, std::string_view name, long fallback) {
  auto v = option(s, name);
  return v ? std::strtol(v->c_str(), nullptr, 10) : fallback;
}

}  // namespace

ScriptOptions ScriptOptions::of(const Scenario& s) {
  ScriptOptions o;
  const auto ip_version = option(s, "ip_version");
  const bool v6 = ip_version && *ip_version == "ipv6";
  o.family = v6 ? netstack::IpAddress::Family::kV6 : netstack::IpAddress::Family::kV4;
  o.mtu = static_cast<uint32_t>(int_option(s, "mtu", v6 ? 1520 : 1500));
  o.tolerance_us = int_option(s, "tolerance_usecs", o.tolerance_us);
  if (auto percent = option(s, "tolerance_percent")) {
    o.tolerance_percent = std::strtod(percent->c_str(), nullptr);
  }
  o.strict_segments = option(s, "strict_segments").has_value();
  o.ts_tick_us = int_option(s, "tcp_ts_tick_usecs", 0);
  o.ts_ecr_scaled = option(s, "tcp_ts_ecr_scaled").has_value();
  o.bind_port = static_cast<uint16_t>(int_option(s, "bind_port", kDefaultBindPort));
  o.connect_port = static_cast<uint16_t>(int_option(s, "connect_port", kDefaultConnectPort));
  o.gso_mss = static_cast<uint16_t>(std::clamp<long>(int_option(s, "mss", 0), 0, 0xffff));
  return o;
}

std::optional<std::string> unsupported_option(const Scenario& scenario) {
  static constexpr std::string_view kKnown[] = {
      "ip_version", "tolerance_usecs", "tolerance_percent", "strict_segments", "bind_port",
      "tcp_ts_tick_usecs", "tcp_ts_ecr_scaled", "connect_port", "mtu", "local_ip", "remote_ip",
      "gateway_ip", "netmask_ip", "mss",
      // packetdrill keeps its own send buffers alive (for MSG_ZEROCOPY);
      // the runner's buffers never reach the stack's memory.
      "send_omit_free"};
  for (const auto& [name, value] : scenario.options) {
    if (std::ranges::find(kKnown, name) == std::end(kKnown)) return "option --" + name;
    if (name == "ip_version" && value != "ipv4" && value != "ipv6") return "--ip_version=" + value;
    // packetdrill dies on a non-positive --mss.
    if (name == "mss" && int_option(scenario, "mss", 0) <= 0) return "--mss=" + value;
  }
  return std::nullopt;
}

}  // namespace tcpfuzz::scenario
