#include "stack/header/address.h"

#include <arpa/inet.h>

#include <cstring>

namespace netstack {

IpAddress IpAddress::v4(std::span<const uint8_t, 4> bytes) {
  IpAddress a;
  a.family_ = Family::kV4;
  std::memcpy(a.bytes_.data(), bytes.data(), 4);
  return a;
}

IpAddress IpAddress::v4(uint32_t host_order) {
  const std::array<uint8_t, 4> b{
      static_cast<uint8_t>(host_order >> 24), static_cast<uint8_t>(host_order >> 16),
      static_cast<uint8_t>(host_order >> 8), static_cast<uint8_t>(host_order)};
  return v4(b);
}

IpAddress IpAddress::v6(std::span<const uint8_t, 16> bytes) {
  IpAddress a;
  a.family_ = Family::kV6;
  std::memcpy(a.bytes_.data(), bytes.data(), 16);
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  const std::string s(text);
  std::array<uint8_t, 16> buf{};
  if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
    return v4(std::span<const uint8_t, 4>(buf.data(), 4));
  }
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) return v6(buf);
  return std::nullopt;
}

bool IpAddress::is_unspecified() const {
  for (uint8_t b : bytes()) {
    if (b != 0) return false;
  }
  return true;
}

std::span<const uint8_t> IpAddress::bytes() const {
  switch (family_) {
    case Family::kV4:
      return {bytes_.data(), 4};
    case Family::kV6:
      return {bytes_.data(), 16};
    case Family::kNone:
      break;
  }
  return {};
}

std::string IpAddress::to_string() const {
  char out[INET6_ADDRSTRLEN] = {};
  if (is_v4()) inet_ntop(AF_INET, bytes_.data(), out, sizeof out);
  if (is_v6()) inet_ntop(AF_INET6, bytes_.data(), out, sizeof out);
  return out;
}

size_t IpAddress::hash() const {
  // FNV-1a: cheap, and the demux key mixes it further with the ports.
  uint64_t h = 0xcbf29ce484222325ULL ^ static_cast<uint8_t>(family_);
  for (uint8_t b : bytes()) h = (h ^ b) * 0x100000001b3ULL;
  return static_cast<size_t>(h);
}

}  // namespace netstack
