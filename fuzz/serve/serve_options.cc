#include "fuzz/serve/serve_options.h"

#include <charconv>
#include <cmath>
#include <map>
#include <string_view>

namespace tcpfuzz::serve {

using netstack::Expected;
using netstack::FaultPlan;
using netstack::IpAddress;
using netstack::Unexpected;

const char* const kServeUsage =
    "usage: tcpfuzz serve --tun NAME --address IP\n"
    "         (--listen PORT [--mode echo|discard|source] [--connections N]\n"
    "          | --connect IP:PORT --mode send|receive)\n"
    "         [--bytes N] [--close graceful|abort] [--sack on|off] [--timestamps on|off]\n"
    "         [--window-scaling on|off] [--sndbuf BYTES] [--faults drop=P%,reorder=P%,...]\n"
    "         [--timeout SECONDS] [--seed N]\n";

namespace {

template <class T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> parse_switch(std::string_view text) {
  if (text == "on") return true;
  if (text == "off") return false;
  return std::nullopt;
}

// "1.5%" as parts per million.
std::optional<uint32_t> parse_percent_ppm(std::string_view text) {
  if (!text.ends_with('%')) return std::nullopt;
  text.remove_suffix(1);
  auto percent = parse_number<double>(text);
  if (!percent || *percent < 0 || *percent > 100) return std::nullopt;
  return static_cast<uint32_t>(std::lround(*percent * 10'000));
}

const std::map<std::string_view, Mode>& mode_names() {
  static const std::map<std::string_view, Mode> names = {{"echo", Mode::kEcho},
                                                         {"discard", Mode::kDiscard},
                                                         {"source", Mode::kSource},
                                                         {"send", Mode::kSend},
                                                         {"receive", Mode::kReceive}};
  return names;
}

Unexpected<std::string> bad(const std::string& flag, const std::string& value,
                            const std::string& expected) {
  return Unexpected{"tcpfuzz serve: " + flag + " '" + value + "': expected " + expected};
}

// Checks that hold only once every flag is known.
std::optional<std::string> check_combination(const ServeOptions& o) {
  if (o.tun.empty()) return "tcpfuzz serve: --tun NAME is required";
  if (o.address.family() == IpAddress::Family::kNone) {
    return "tcpfuzz serve: --address IP is required";
  }
  const bool client_mode = o.mode == Mode::kSend || o.mode == Mode::kReceive;
  if (o.is_client() == (o.listen_port != 0)) {
    return "tcpfuzz serve: give exactly one of --listen PORT and --connect IP:PORT";
  }
  if (o.is_client() != client_mode) {
    return o.is_client() ? "tcpfuzz serve: --mode with --connect must be send or receive"
                         : "tcpfuzz serve: --mode with --listen must be echo, discard or source";
  }
  if ((o.mode == Mode::kSource || o.mode == Mode::kSend) && !o.bytes) {
    return "tcpfuzz serve: --mode source and send need --bytes N";
  }
  return std::nullopt;
}

}  // namespace

Expected<FaultPlan, std::string> parse_fault_spec(const std::string& spec) {
  FaultPlan plan;
  std::string_view rest = spec;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const size_t eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : item.substr(eq + 1);
    if (key == "seed") {
      auto seed = parse_number<uint64_t>(value);
      if (!seed) return bad("--faults", std::string(item), "seed=NUMBER");
      plan.seed = *seed;
      continue;
    }
    uint32_t* field = key == "drop"        ? &plan.drop_ppm
                      : key == "reorder"   ? &plan.reorder_ppm
                      : key == "duplicate" ? &plan.duplicate_ppm
                      : key == "delay"     ? &plan.delay_ppm
                      : key == "corrupt"   ? &plan.corrupt_ppm
                                           : nullptr;
    auto ppm = parse_percent_ppm(value);
    if (field == nullptr || !ppm) {
      return bad("--faults", std::string(item),
                 "drop|reorder|duplicate|delay|corrupt=PERCENT% or seed=N");
    }
    *field = *ppm;
  }
  return plan;
}

Expected<ServeOptions, std::string> parse_serve_options(const std::vector<std::string>& args) {
  ServeOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (i + 1 >= args.size()) {
      return Unexpected{"tcpfuzz serve: unexpected argument " + flag + " (flags take a value)"};
    }
    const std::string& value = args[++i];
    if (flag == "--tun") {
      o.tun = value;
    } else if (flag == "--address") {
      auto a = IpAddress::parse(value);
      if (!a || !a->is_v4()) return bad(flag, value, "an IPv4 address");
      o.address = *a;
    } else if (flag == "--listen") {
      auto port = parse_number<uint16_t>(value);
      if (!port || *port == 0) return bad(flag, value, "a port 1-65535");
      o.listen_port = *port;
    } else if (flag == "--connect") {
      const size_t colon = value.rfind(':');
      auto a = IpAddress::parse(value.substr(0, colon == std::string::npos ? 0 : colon));
      auto port = parse_number<uint16_t>(colon == std::string::npos
                                             ? std::string_view()
                                             : std::string_view(value).substr(colon + 1));
      if (!a || !a->is_v4() || !port || *port == 0) return bad(flag, value, "IPv4:PORT");
      o.connect_address = *a;
      o.connect_port = *port;
    } else if (flag == "--mode") {
      auto it = mode_names().find(value);
      if (it == mode_names().end()) {
        return bad(flag, value, "echo, discard, source, send or receive");
      }
      o.mode = it->second;
    } else if (flag == "--bytes") {
      auto n = parse_number<uint64_t>(value);
      if (!n) return bad(flag, value, "a byte count");
      o.bytes = *n;
    } else if (flag == "--connections") {
      auto n = parse_number<uint32_t>(value);
      if (!n || *n == 0) return bad(flag, value, "a positive count");
      o.connections = *n;
    } else if (flag == "--close") {
      if (value != "graceful" && value != "abort") return bad(flag, value, "graceful or abort");
      o.ending = value == "abort" ? Ending::kAbort : Ending::kGraceful;
    } else if (flag == "--sack" || flag == "--timestamps" || flag == "--window-scaling") {
      auto on = parse_switch(value);
      if (!on) return bad(flag, value, "on or off");
      bool& field = flag == "--sack"         ? o.tcp.sack
                    : flag == "--timestamps" ? o.tcp.timestamps
                                             : o.tcp.window_scaling;
      field = *on;
    } else if (flag == "--sndbuf") {
      auto n = parse_number<int>(value);
      if (!n || *n <= 0) return bad(flag, value, "a positive byte count");
      o.sndbuf = *n;
    } else if (flag == "--faults") {
      auto plan = parse_fault_spec(value);
      if (!plan) return Unexpected{plan.error()};
      o.faults = *plan;
    } else if (flag == "--timeout") {
      auto s = parse_number<uint32_t>(value);
      if (!s || *s == 0) return bad(flag, value, "a positive number of seconds");
      o.timeout_seconds = *s;
    } else if (flag == "--seed") {
      auto s = parse_number<uint64_t>(value);
      if (!s) return bad(flag, value, "a number");
      o.seed = *s;
    } else {
      return Unexpected{"tcpfuzz serve: unknown flag " + flag};
    }
  }
  if (auto error = check_combination(o)) return Unexpected{*error};
  return o;
}

}  // namespace tcpfuzz::serve
