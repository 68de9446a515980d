// TunLink without a device: the errors of open(). The link on a real
// device is exercised end to end by the interop tests (tests/interop/).
#include "stack/link/tun_link.h"

#include <gtest/gtest.h>

#include <string>

namespace netstack {
namespace {

TEST(TunLink, NamesThatNoDeviceCanHaveAreRefused) {
  auto empty = TunLink::open("");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().find("the name must have 1 to 15 characters"), std::string::npos)
      << empty.error();
  auto long_name = TunLink::open("a-name-too-long-for-linux");
  ASSERT_FALSE(long_name);
  EXPECT_NE(long_name.error().find("a-name-too-long-for-linux"), std::string::npos);
}

}  // namespace
}  // namespace netstack
