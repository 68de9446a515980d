#include "fuzz/serve/serve_options.h"

#include <cmath>
#include <string_view>

namespace tcpfuzz::serve {

using netstack::FaultPlan;
using netstack::IpAddress;

namespace {

// "1.5%" as parts per million.
std::optional<uint32_t> parse_percent_ppm(std::string_view text) {
  if (!text.ends_with('%')) return std::nullopt;
  text.remove_suffix(1);
  auto percent = cli::parse_decimal(text);
  if (!percent || *percent < 0 || *percent > 100) return std::nullopt;
  return static_cast<uint32_t>(std::lround(*percent * 10'000));
}

std::optional<IpAddress> ipv4(std::string_view text) {
  auto a = IpAddress::parse(text);
  if (!a || !a->is_v4()) return std::nullopt;
  return *a;
}

// --connect IP:PORT: both parts into their fields.
cli::Value ipv4_and_port(ServeOptions& o) {
  return cli::Value{"IP:PORT",
                    [&o](std::string_view text) -> std::optional<std::string> {
                      const size_t colon = text.rfind(':');
                      if (colon == std::string_view::npos) return "IPv4:PORT";
                      auto a = ipv4(text.substr(0, colon));
                      auto port = cli::parse_whole<uint16_t>(text.substr(colon + 1), 1);
                      if (!a || !port) return "IPv4:PORT";
                      o.connect_address = *a;
                      o.connect_port = *port;
                      return std::nullopt;
                    },
                    ""};
}

}  // namespace

std::optional<std::string> check_serve_options(const ServeOptions& o) {
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

std::optional<FaultPlan> parse_fault_spec(std::string_view spec) {
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
      auto seed = cli::parse_whole<uint64_t>(value);
      if (!seed) return std::nullopt;
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
    if (field == nullptr || !ppm) return std::nullopt;
    *field = *ppm;
  }
  return plan;
}

void declare_serve_options(cli::CommandLine& line, ServeOptions& o) {
  using cli::CommandLine;
  line.flag("--tun", cli::text(o.tun, "NAME"), "the TUN device (ip tuntap add NAME mode tun)",
            CommandLine::Need::kRequired)
      .flag("--address", cli::custom(o.address, "IP", "an IPv4 address", ipv4),
            "the stack's address", CommandLine::Need::kRequired)
      .flag("--listen", cli::number(o.listen_port, "PORT", 1), "be a server on this port")
      .flag("--connect", ipv4_and_port(o), "be a client of this peer")
      .flag("--mode",
            cli::choice(o.mode, {{"echo", Mode::kEcho},
                                 {"discard", Mode::kDiscard},
                                 {"source", Mode::kSource},
                                 {"send", Mode::kSend},
                                 {"receive", Mode::kReceive}}),
            "a server echoes, discards or sources bytes; a client sends or receives them")
      .flag("--bytes", cli::number(o.bytes, "N"),
            "bytes to write (source, send: required) or the most to read (discard, receive)")
      .flag("--connections", cli::number(o.connections, "N", 1),
            "a server exits after this many connections")
      .flag("--close",
            cli::choice(o.ending, {{"graceful", Ending::kGraceful}, {"abort", Ending::kAbort}}),
            "how our side ends a connection once its transfer is done")
      .flag("--sack", cli::on_off(o.tcp.sack), "offer and use SACK")
      .flag("--timestamps", cli::on_off(o.tcp.timestamps), "offer and use TCP timestamps")
      .flag("--window-scaling", cli::on_off(o.tcp.window_scaling), "offer and use window scaling")
      .flag("--sndbuf", cli::number(o.sndbuf, "BYTES", 1), "SO_SNDBUF of every connection")
      .flag("--faults",
            cli::custom(o.faults, "SPEC", "drop|reorder|duplicate|delay|corrupt=PERCENT% or seed=N",
                        parse_fault_spec),
            "random faults on each direction, e.g. drop=1%,reorder=0.5%,seed=7")
      .flag("--timeout", cli::seconds(o.timeout_seconds),
            "give up on the connections not finished by then")
      .flag("--seed", cli::number(o.seed, "N"), "the seed of the bytes sent and of the faults")
      .note(
          "A server takes --listen PORT and --mode echo, discard or source; a client takes "
          "--connect IP:PORT and --mode send or receive.");
}

}  // namespace tcpfuzz::serve
