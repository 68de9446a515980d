// The server cookie and the client's cookie cache (stack/tcp/fast_open.*).
#include "stack/tcp/fast_open.h"

#include <gtest/gtest.h>

#include <array>

namespace netstack::tcp {
namespace {

// packetdrill's defaults.sh key; the cookies are the ones google/packetdrill's
// run_all.py defines as TFO_COOKIE for its addresses, which Linux 6.18 accepts.
constexpr std::array<uint32_t, 4> kDefaultsKey{0xa1a1a1a1, 0xb2b2b2b2, 0xc3c3c3c3, 0xd4d4d4d4};

header::FastOpenCookie cookie_of(std::array<uint8_t, 8> bytes) {
  header::FastOpenCookie c;
  c.length = 8;
  std::copy(bytes.begin(), bytes.end(), c.bytes.begin());
  return c;
}

TEST(FastOpenTest, ServerCookieOfIpv4MatchesLinux) {
  const IpAddress client = *IpAddress::parse("192.0.2.1");
  const IpAddress server = *IpAddress::parse("192.168.0.1");
  EXPECT_EQ(server_cookie(kDefaultsKey, client, server),
            cookie_of({0x30, 0x21, 0xb9, 0xd8, 0x89, 0x01, 0x7e, 0xeb}));
}

TEST(FastOpenTest, ServerCookieOfIpv6MatchesLinux) {
  const IpAddress client = *IpAddress::parse("fd3d:fa7b:d17d::1");
  const IpAddress server = *IpAddress::parse("fd3d:a0b:17d6::1");
  EXPECT_EQ(server_cookie(kDefaultsKey, client, server),
            cookie_of({0xc1, 0xd1, 0xe9, 0x74, 0x2a, 0x47, 0xa9, 0xbc}));
}

TEST(FastOpenTest, ServerCookieDependsOnDirectionAndKey) {
  const IpAddress a = *IpAddress::parse("192.0.2.1");
  const IpAddress b = *IpAddress::parse("192.168.0.1");
  EXPECT_NE(server_cookie(kDefaultsKey, a, b), server_cookie(kDefaultsKey, b, a));
  std::array<uint32_t, 4> other = kDefaultsKey;
  other[3] ^= 1;
  EXPECT_NE(server_cookie(kDefaultsKey, a, b), server_cookie(other, a, b));
}

TEST(FastOpenTest, CacheKeepsCookieAndMssPerServer) {
  FastOpenCache cache;
  const IpAddress a = *IpAddress::parse("192.0.2.1");
  const IpAddress b = *IpAddress::parse("192.0.2.2");
  EXPECT_FALSE(cache.get(a).has_value());
  cache.set(a, 1460, std::nullopt);
  ASSERT_TRUE(cache.get(a).has_value());
  EXPECT_FALSE(cache.get(a)->cookie.has_value());
  cache.set(a, 0, cookie_of({1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(cache.get(a)->mss, 1460);  // an MSS of 0 keeps the one known
  EXPECT_EQ(cache.get(a)->cookie, cookie_of({1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_FALSE(cache.get(b).has_value());
}

}  // namespace
}  // namespace netstack::tcp
