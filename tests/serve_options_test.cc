#include "fuzz/serve/serve_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fuzz/cli/command_line.h"
#include "stack/util/expected.h"

namespace tcpfuzz::serve {
namespace {

// What `tcpfuzz serve` does with its arguments: the options, or the
// one-line error naming the bad flag.
netstack::Expected<ServeOptions, std::string> parse_serve_options(
    const std::vector<std::string>& args) {
  ServeOptions o;
  cli::CommandLine line("serve", "");
  declare_serve_options(line, o);
  const cli::CommandLine::Parsed parsed = line.parse(args);
  if (parsed.outcome != cli::CommandLine::Outcome::kRun) return netstack::Unexpected{parsed.error};
  if (auto error = check_serve_options(o)) return netstack::Unexpected{*error};
  return o;
}

std::vector<std::string> with_base(std::vector<std::string> more) {
  std::vector<std::string> args = {"--tun", "tfz0", "--address", "198.18.0.2"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(ServeOptions, ServerAndClientModesParse) {
  auto server = parse_serve_options(with_base({"--listen", "5001", "--mode", "source", "--bytes",
                                               "100", "--sack", "off", "--close", "abort"}));
  ASSERT_TRUE(server) << server.error();
  EXPECT_EQ(server->listen_port, 5001);
  EXPECT_EQ(server->mode, Mode::kSource);
  EXPECT_EQ(server->bytes, 100u);
  EXPECT_FALSE(server->tcp.sack);
  EXPECT_TRUE(server->tcp.timestamps);
  EXPECT_EQ(server->ending, Ending::kAbort);
  EXPECT_FALSE(server->is_client());

  auto client = parse_serve_options(
      with_base({"--connect", "198.18.0.1:6001", "--mode", "receive", "--window-scaling", "off"}));
  ASSERT_TRUE(client) << client.error();
  EXPECT_TRUE(client->is_client());
  EXPECT_EQ(client->connect_address->to_string(), "198.18.0.1");
  EXPECT_EQ(client->connect_port, 6001);
  EXPECT_FALSE(client->tcp.window_scaling);
}

TEST(ServeOptions, ErrorsNameTheBadFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--listen", "0"}, "--listen '0'"},
      {{"--listen", "5001", "--mode", "send"}, "--mode with --listen"},
      {{"--connect", "198.18.0.1", "--mode", "send", "--bytes", "1"}, "--connect '198.18.0.1'"},
      {{"--connect", "198.18.0.1:1", "--mode", "send"}, "--bytes N"},
      {{"--listen", "1", "--sack", "yes"}, "--sack 'yes'"},
      {{"--listen", "1", "--faults", "drop=2"}, "--faults 'drop=2'"},
      {{"--listen", "1", "--bogus", "1"}, "unknown flag --bogus"},
      {{"--listen", "1", "--timeout"}, "--timeout"},
      {{"--listen", "1", "--connect", "198.18.0.1:1"}, "exactly one of"},
  };
  for (const auto& [args, expected] : cases) {
    auto o = parse_serve_options(with_base(args));
    ASSERT_FALSE(o) << expected;
    EXPECT_NE(o.error().find(expected), std::string::npos) << o.error();
    EXPECT_EQ(o.error().find('\n'), std::string::npos) << "one line: " << o.error();
  }
  EXPECT_FALSE(parse_serve_options({"--listen", "1"})) << "--tun and --address are required";
}

TEST(ServeOptions, FaultSpecIsPercentOfPackets) {
  auto plan = parse_fault_spec("drop=1%,reorder=0.5%,duplicate=100%,corrupt=0%,seed=9");
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->drop_ppm, 10'000u);
  EXPECT_EQ(plan->reorder_ppm, 5'000u);
  EXPECT_EQ(plan->duplicate_ppm, 1'000'000u);
  EXPECT_EQ(plan->corrupt_ppm, 0u);
  EXPECT_EQ(plan->seed, 9u);
  EXPECT_FALSE(parse_fault_spec("drop=101%"));
  EXPECT_FALSE(parse_fault_spec("jitter=1%"));
  EXPECT_FALSE(parse_fault_spec("seed=x"));
}

}  // namespace
}  // namespace tcpfuzz::serve
