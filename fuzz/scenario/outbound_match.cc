#include "fuzz/scenario/outbound_match.h"

#include <algorithm>
#include <cstdlib>

#include "fuzz/scenario/packet_format.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::scenario {

namespace flag = netstack::header::tcp_flag;

uint32_t TimestampMap::learn(uint32_t script, uint32_t live) {
  live_[script] = live;
  if (!baseline_) baseline_ = std::make_pair(script, live);
  return baseline_->first + (live - baseline_->second);
}

std::optional<uint32_t> TimestampMap::live(uint32_t script) const {
  const auto it = live_.find(script);
  if (it == live_.end()) return std::nullopt;
  return it->second;
}

std::optional<uint32_t> TimestampMap::scaled(uint32_t script) const {
  if (!baseline_) return std::nullopt;
  return script - baseline_->first + baseline_->second;
}

bool options_match(const std::vector<OptionSpec>& want, const std::vector<OptionSpec>& got) {
  if (want.size() != got.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].kind != got[i].kind) return false;
    switch (want[i].kind) {
      case OptionSpec::Kind::kTimestamp:  // TSval/TSecr are not compared by default
      case OptionSpec::Kind::kNop:
      case OptionSpec::Kind::kEol:
      case OptionSpec::Kind::kSackPermitted:
        break;
      default:
        if (!(want[i] == got[i])) return false;
    }
  }
  return true;
}

std::optional<std::string> ip_fields_differ(const IpInfo& want, IpInfo* live) {
  // packetdrill verify_outbound_live_tos() / _ttl_or_hl(). `live` holds the
  // whole TOS byte; it is shown the way the line states it.
  using C = IpInfo::TosCheck;
  const uint8_t tos = live->value;
  const uint8_t ecn = tos & 0x3;
  live->check = want.check;
  live->value = want.check == C::kTos ? tos : ecn;
  if (want.ttl == 0) live->ttl = 0;
  switch (want.check) {
    case C::kNone:
      break;
    case C::kEcn:
      if (ecn != want.value) return "IP ECN field differs";
      break;
    case C::kEct01:
      if (ecn != 1 && ecn != 2) return "IP ECN field is neither ECT(0) nor ECT(1)";
      break;
    case C::kTos:
      if (tos != want.value) return "IP TOS differs";
      break;
  }
  if (want.ttl != 0 && live->ttl != want.ttl) return "IP TTL differs";
  return std::nullopt;
}

std::optional<std::string> OutboundMatch::mismatch(const Event& e, const PacketSpec& want,
                                                   PacketSpec live, size_t fragments, int64_t t,
                                                   std::optional<int64_t> t_end, int64_t sent_us) {
  // The live TSval in script space, with the script's TSval it is judged by.
  std::optional<std::pair<uint32_t, uint32_t>> ts_pair;  // (script, live mapped)
  if (want.options) {
    auto script_ts =
        std::ranges::find(*want.options, OptionSpec::Kind::kTimestamp, &OptionSpec::kind);
    auto live_ts =
        std::ranges::find(*live.options, OptionSpec::Kind::kTimestamp, &OptionSpec::kind);
    if (script_ts != want.options->end() && live_ts != live.options->end()) {
      ts_pair =
          std::make_pair(script_ts->value, timestamps_.learn(script_ts->value, live_ts->value));
      live_ts->value = ts_pair->second;
    }
  }
  // First, so that `live` shows its IP fields as the line states them
  // (none when it states none) whatever differs.
  const std::optional<std::string> ip_differs = ip_fields_differ(want.ip, &live.ip);
  auto differs = [&](const std::string& what) {
    return what + "\n  expected: > " + format_packet(want) + "\n  actual:   > " +
           format_packet(live) + " at " + fixed_seconds(sent_us) + " s";
  };
  // Linux behind a TSO device marks every multi-segment TSO packet PSH
  // (checked with real packetdrill on Linux 6.18); a stack without TSO
  // cannot place that bit, so PSH is not compared on packets summed from
  // several live segments (docs/linux-differences.md).
  const uint8_t psh_mask = fragments > 1 ? static_cast<uint8_t>(~flag::kPsh) : uint8_t{0xff};
  if ((live.flags & psh_mask) != (want.flags & psh_mask)) return differs("flags differ");
  if (live.seq_start != want.seq_start) return differs("sequence number differs");
  if (*live.ack != want.ack.value_or(0)) return differs("ack number differs");
  if (compare_windows_ && want.window && *live.window != *want.window) {
    return differs("window differs");
  }
  if (*live.urgent != want.urgent.value_or(0)) return differs("urgent pointer differs");
  if (live.payload_length != want.payload_length) return differs("payload length differs");
  if (ip_differs) return differs(*ip_differs);
  if (want.options && !options_match(*want.options, *live.options)) {
    return differs("TCP options differ");
  }
  if (ts_tick_us_ > 0 && ts_pair) {
    // --tcp_ts_tick_usecs: TSval must advance with time, within the tolerance.
    const int64_t drift =
        std::llabs(static_cast<int32_t>(ts_pair->second - ts_pair->first)) * ts_tick_us_;
    if (drift > timing_.ts_tolerance_at(t)) {
      return differs("TS val differs by more than the tolerance");
    }
  }
  // Timing, judged by when the packet was sent.
  if (e.time.kind != EventTime::Kind::kAny) {
    if (auto late = timing_.wrong_send_time(t, t_end, sent_us)) return differs(*late);
  }
  return std::nullopt;
}

}  // namespace tcpfuzz::scenario
