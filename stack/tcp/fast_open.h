// TCP Fast Open (RFC 7413) as Linux does it (net/ipv4/tcp_fastopen.c): the
// server's cookie, and the client's cookie cache per destination.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>

#include "stack/header/address.h"
#include "stack/header/tcp_options.h"

namespace netstack::tcp {

// Linux TCP_FASTOPEN_COOKIE_SIZE: the cookie a Linux server hands out.
inline constexpr uint8_t kServerCookieLength = 8;

// Linux __tcp_fastopen_cookie_gen_cipher(): SipHash-2-4 of the SYN's source
// address followed by its destination address, keyed by
// net.ipv4.tcp_fastopen_key (its four words laid out little-endian, as the
// sysctl stores them); the 64-bit hash, little-endian, is the cookie.
header::FastOpenCookie server_cookie(const std::array<uint32_t, 4>& key,
                                     const IpAddress& syn_source, const IpAddress& syn_destination);

// What a client remembers of a server (Linux tcp_fastopen_cache_get/set in
// tcp_metrics): the cookie it was given, the MSS it announced, and whether
// the cookie came in the experimental option.
struct FastOpenCacheEntry {
  std::optional<header::FastOpenCookie> cookie;
  uint16_t mss = 0;
  // Linux try_exp: a cookie request went unanswered in the RFC option (1:
  // ask in the experimental one next), or in both (2: back to the RFC one).
  uint8_t try_exp = 0;
};

class FastOpenCache {
 public:
  std::optional<FastOpenCacheEntry> get(const IpAddress& server) const;
  // Linux tcp_fastopen_cache_set(): a new cookie replaces the old one; an
  // MSS of 0 keeps the one remembered; try_exp only grows, and only while
  // no cookie is known.
  void set(const IpAddress& server, uint16_t mss, const std::optional<header::FastOpenCookie>& c,
           uint8_t try_exp = 0);
  void clear() { entries_.clear(); }

 private:
  std::map<IpAddress, FastOpenCacheEntry> entries_;
};

}  // namespace netstack::tcp
