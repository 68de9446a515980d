#include "fuzz/scenario/icmp_names.h"

#include <charconv>
#include <span>
#include <string_view>

#include "stack/header/icmp.h"

namespace tcpfuzz::scenario {

namespace {

struct Name {
  uint8_t byte;
  std::string_view name;
};

constexpr Name kV4Types[] = {{0, "echo_reply"},         {3, "unreachable"},
                             {4, "source_quench"},      {5, "redirect"},
                             {8, "echo_request"},       {11, "time_exceeded"},
                             {12, "parameter_problem"}, {13, "timestamp_request"},
                             {14, "timestamp_reply"},   {15, "information_request"},
                             {16, "information_reply"}, {17, "address_mask_request"},
                             {18, "address_mask_reply"}};
constexpr Name kV4Unreachable[] = {{0, "net_unreachable"},
                                   {1, "host_unreachable"},
                                   {2, "protocol_unreachable"},
                                   {3, "port_unreachable"},
                                   {4, "frag_needed"},
                                   {5, "source_route_failed"},
                                   {6, "net_unknown"},
                                   {7, "host_unknown"},
                                   {8, "source_host_isolated"},
                                   {9, "net_prohibited"},
                                   {10, "host_prohibited"},
                                   {11, "net_unreachable_for_tos"},
                                   {12, "host_unreachable_for_tos"},
                                   {13, "packet_filtered"},
                                   {14, "precedence_violation"},
                                   {15, "precedence_cutoff"}};
constexpr Name kV6Types[] = {{1, "unreachable"},       {2, "packet_too_big"}, {3, "time_exceeded"},
                             {4, "parameter_problem"}, {128, "echo_request"}, {129, "echo_reply"}};
constexpr Name kV6Unreachable[] = {{0, "net_unreachable"},     {0, "no_route"},
                                   {1, "admin_prohibited"},    {2, "not_neighbour"},
                                   {3, "address_unreachable"}, {4, "port_unreachable"}};
constexpr Name kV6TimeExceeded[] = {{0, "exceeded_hop_limit"}, {1, "exceeded_frag_time"}};
constexpr Name kV6ParameterProblem[] = {
    {0, "header_field"}, {1, "unknown_next_header"}, {2, "unknown_option"}};

std::optional<uint8_t> find(std::span<const Name> table, std::string_view name) {
  for (const Name& n : table) {
    if (n.name == name) return n.byte;
  }
  return std::nullopt;
}

// "type_3" / "code_4": tcpdump's notation for any number.
std::optional<uint8_t> numbered(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return std::nullopt;
  text.remove_prefix(prefix.size());
  unsigned v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || v > 255) return std::nullopt;
  return static_cast<uint8_t>(v);
}

std::span<const Name> code_table(bool v6, std::string_view type) {
  if (!v6) {
    return type == "unreachable" ? std::span<const Name>(kV4Unreachable) : std::span<const Name>();
  }
  if (type == "unreachable") return kV6Unreachable;
  if (type == "time_exceeded") return kV6TimeExceeded;
  if (type == "parameter_problem") return kV6ParameterProblem;
  return {};
}

}  // namespace

std::optional<uint8_t> icmp_type_byte(bool v6, const std::string& type) {
  if (auto n = numbered(type, "type_")) return n;
  return find(v6 ? std::span<const Name>(kV6Types) : std::span<const Name>(kV4Types), type);
}

std::optional<uint8_t> icmp_code_byte(bool v6, const std::string& type, const std::string& code) {
  if (code.empty()) return uint8_t{0};
  if (auto n = numbered(code, "code_")) return n;
  return find(code_table(v6, type), code);
}

bool icmp_carries_mtu(bool v6, uint8_t type, uint8_t code) {
  namespace h = netstack::header;
  if (v6) return type == h::icmpv6::kPacketTooBig && code == 0;
  return type == h::icmpv4::kDestUnreachable && code == h::icmpv4::kFragmentationNeeded;
}

}  // namespace tcpfuzz::scenario
