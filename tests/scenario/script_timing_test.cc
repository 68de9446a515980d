// Script options and script time: defaults, when events are due, tolerances.
#include "fuzz/scenario/script_timing.h"

#include <gtest/gtest.h>

#include "fuzz/scenario/pkt_parser.h"

namespace tcpfuzz::scenario {
namespace {

Scenario script(std::string_view text) {
  auto s = parse_script(text, "t.pkt");
  EXPECT_TRUE(s.has_value()) << text;
  return s ? *s : Scenario{};
}

TEST(ScriptOptions, PacketdrillDefaults) {
  const ScriptOptions o = ScriptOptions::of(script("0 close(3) = 0\n"));
  EXPECT_EQ(o.family, netstack::IpAddress::Family::kV4);
  EXPECT_EQ(o.mtu, 1500u);
  EXPECT_EQ(o.tolerance_us, 4000);
  EXPECT_EQ(o.tolerance_percent, 12.5);
  EXPECT_FALSE(o.strict_segments);
  EXPECT_EQ(o.bind_port, kDefaultBindPort);
}

TEST(ScriptOptions, StatedOptionsOverride) {
  const Scenario s = script(
      "--ip_version=ipv6\n--tolerance_usecs=10000\n--strict_segments\n--bind_port=9000\n"
      "0 close(3) = 0\n");
  const ScriptOptions o = ScriptOptions::of(s);
  EXPECT_EQ(o.family, netstack::IpAddress::Family::kV6);
  EXPECT_EQ(o.mtu, 1520u);
  EXPECT_EQ(o.tolerance_us, 10000);
  EXPECT_TRUE(o.strict_segments);
  EXPECT_EQ(o.bind_port, 9000);
  EXPECT_EQ(unsupported_option(s), std::nullopt);
}

TEST(ScriptOptions, UnknownOptionsAndIpVersionsAreUnsupported) {
  EXPECT_EQ(unsupported_option(script("--speed=fast\n0 close(3) = 0\n")), "option --speed");
  EXPECT_EQ(unsupported_option(script("--ip_version=ipv4-mapped-ipv6\n0 close(3) = 0\n")),
            "--ip_version=ipv4-mapped-ipv6");
  // packetdrill dies on a --mss that is not positive.
  EXPECT_EQ(unsupported_option(script("--mss=0\n0 close(3) = 0\n")), "--mss=0");
  const Scenario gso = script("--mss=1000\n0 close(3) = 0\n");
  EXPECT_EQ(unsupported_option(gso), std::nullopt);
  EXPECT_EQ(ScriptOptions::of(gso).gso_mss, 1000);
}

TEST(ScriptTiming, RelativeTimesCountFromThePreviousEvent) {
  const Scenario s = script("0 close(3) = 0\n+0.5 close(3) = 0\n1.0 close(3) = 0\n");
  ScriptTiming timing{ScriptOptions{}};
  EXPECT_EQ(timing.due(s.events[1], false, 200'000).start_us, 700'000);  // from "now"
  EXPECT_EQ(timing.due(s.events[2], false, 200'000).start_us, 1'000'000);
}

TEST(ScriptTiming, InboundAfterInboundCountsFromScriptTime) {
  const Scenario s = script("+0.1 < . 1:1(0) ack 1 win 100\n");
  ScriptTiming timing{ScriptOptions{}};
  timing.finished(300'000, /*inbound=*/true);
  EXPECT_EQ(timing.due(s.events[0], true, 450'000).start_us, 400'000);
  EXPECT_EQ(timing.due(s.events[0], false, 450'000).start_us, 550'000);
}

TEST(ScriptTiming, RangesEndWhereTheirStartCountsFrom) {
  const Scenario s = script("+0.1~+0.3 close(3) = 0\n0.1~0.3 close(3) = 0\n");
  ScriptTiming timing{ScriptOptions{}};
  const ScriptTiming::Due relative = timing.due(s.events[0], false, 1'000'000);
  EXPECT_EQ(relative.start_us, 1'100'000);
  EXPECT_EQ(relative.end_us, 1'300'000);
  const ScriptTiming::Due absolute = timing.due(s.events[1], false, 1'000'000);
  EXPECT_EQ(absolute.start_us, 100'000);
  EXPECT_EQ(absolute.end_us, 300'000);
}

TEST(ScriptTiming, ToleranceIsTheLargerOfFixedAndPercent) {
  ScriptTiming timing{ScriptOptions{}};
  EXPECT_EQ(timing.tolerance_for(10'000), 4000);
  EXPECT_EQ(timing.tolerance_for(1'000'000), 125'000);
  timing.finished(900'000, false);
  EXPECT_EQ(timing.tolerance_for(1'000'000), 12'500);
}

TEST(ScriptTiming, TimingErrorsSayWhatWasExpected) {
  ScriptTiming timing{ScriptOptions{}};
  EXPECT_EQ(timing.late_start(0, instant_of_script_us(4000)), std::nullopt);
  EXPECT_EQ(timing.late_start(0, instant_of_script_us(4000) + std::chrono::nanoseconds(1)),
            "timing error: expected event at 0.000000 s but it could run only at 0.004000 s");
  EXPECT_EQ(timing.wrong_return("read", 100'000, 103'000), std::nullopt);
  EXPECT_EQ(timing.wrong_return("read", 100'000, 200'000),
            "timing error: expected read to return at 0.100000 s but it returned at 0.200000 s");
  EXPECT_EQ(timing.wrong_send_time(0, 10'000, 12'000), std::nullopt);
  EXPECT_EQ(timing.wrong_send_time(0, std::nullopt, 12'000),
            "timing error: expected the packet at 0.000000 s (tolerance 0.004000 s)");
}

TEST(ScriptTiming, ScriptTimeStartsAtTheFakeClocksStart) {
  EXPECT_EQ(script_us(netstack::Instant::from_nanos(kScriptStartNanos)), 0);
  EXPECT_EQ(instant_of_script_us(0), netstack::Instant::from_nanos(kScriptStartNanos));
  EXPECT_EQ(fixed_seconds(1'250'000), "1.250000");
}

}  // namespace
}  // namespace tcpfuzz::scenario
