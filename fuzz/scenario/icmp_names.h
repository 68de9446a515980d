// The ICMP type and code names of packetdrill's grammar (icmp_packet.c):
// RFC 792 / RFC 4443 names, or "type_N" / "code_N" for any other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tcpfuzz::scenario {

std::optional<uint8_t> icmp_type_byte(bool v6, const std::string& type);
// `code` empty means code 0; a name is looked up among `type`'s codes.
std::optional<uint8_t> icmp_code_byte(bool v6, const std::string& type, const std::string& code);
// Whether "mtu N" may be given (IPv4 frag_needed, ICMPv6 packet_too_big).
bool icmp_carries_mtu(bool v6, uint8_t type, uint8_t code);

}  // namespace tcpfuzz::scenario
