#include "stack/tcp/fast_open.h"

#include <vector>

#include "stack/tcp/isn.h"

namespace netstack::tcp {

header::FastOpenCookie server_cookie(const std::array<uint32_t, 4>& key,
                                     const IpAddress& syn_source,
                                     const IpAddress& syn_destination) {
  std::vector<uint8_t> message(syn_source.bytes().begin(), syn_source.bytes().end());
  message.insert(message.end(), syn_destination.bytes().begin(), syn_destination.bytes().end());
  const uint64_t k0 = uint64_t{key[1]} << 32 | key[0];
  const uint64_t k1 = uint64_t{key[3]} << 32 | key[2];
  const uint64_t hash = siphash24(k0, k1, message.data(), message.size());
  header::FastOpenCookie cookie;
  cookie.length = kServerCookieLength;
  for (size_t i = 0; i < kServerCookieLength; ++i) {
    cookie.bytes[i] = static_cast<uint8_t>(hash >> (8 * i));
  }
  return cookie;
}

std::optional<FastOpenCacheEntry> FastOpenCache::get(const IpAddress& server) const {
  const auto it = entries_.find(server);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void FastOpenCache::set(const IpAddress& server, uint16_t mss,
                        const std::optional<header::FastOpenCookie>& c, uint8_t try_exp) {
  FastOpenCacheEntry& e = entries_[server];
  if (mss != 0) e.mss = mss;
  const bool known = e.cookie && e.cookie->length > 0;
  if (c && c->length > 0) {
    e.cookie = c;
  } else if (try_exp > e.try_exp && !known && !(e.cookie && e.cookie->experimental)) {
    e.try_exp = try_exp;
  }
}

}  // namespace netstack::tcp
