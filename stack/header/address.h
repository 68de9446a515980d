// IPv4 and IPv6 addresses in one value type, as the demux table keys them.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace netstack {

class IpAddress {
 public:
  enum class Family : uint8_t { kNone, kV4, kV6 };

  IpAddress() = default;
  static IpAddress v4(std::span<const uint8_t, 4> bytes);
  static IpAddress v4(uint32_t host_order);
  static IpAddress v6(std::span<const uint8_t, 16> bytes);
  // Dotted quad or RFC 4291 text; nullopt when the text is neither.
  static std::optional<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kV4; }
  bool is_v6() const { return family_ == Family::kV6; }
  bool is_unspecified() const;
  // 4 bytes for IPv4, 16 for IPv6, none when unset.
  std::span<const uint8_t> bytes() const;
  std::string to_string() const;

  auto operator<=>(const IpAddress&) const = default;
  size_t hash() const;

 private:
  Family family_ = Family::kNone;
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace netstack
