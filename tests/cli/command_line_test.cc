// The declarative parser behind every tcpfuzz command: values land in their
// variables, errors are one line naming the flag, and the synopsis and help
// come from the same declaration.
#include "fuzz/cli/command_line.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tcpfuzz::cli {
namespace {

enum class Colour : uint8_t { kRed, kBlue };

// A command with one of each kind of argument.
struct Sample {
  std::string input;
  std::vector<std::string> more;
  std::string target;
  std::string out = "out.bin";
  bool verbose = false;
  bool minimize = true;
  uint16_t port = 0;
  std::optional<uint64_t> bytes;
  unsigned timeout = 10;
  double max_seconds = 2.5;
  Colour colour = Colour::kRed;
  bool sack = true;
  CommandLine line{"sample", "a command to test the parser with"};

  Sample() {
    line.positional("INPUT", input, "the input")
        .positional("MORE", more, "more inputs")
        .flag("--target", text(target, "NAME"), "the target", CommandLine::Need::kRequired)
        .flag("-o,--output", text(out, "OUT"), "where it goes")
        .flag("-v,--verbose", verbose, "say more")
        .flag("--no-minimize", minimize, "keep it as it is", false)
        .flag("--port", number(port, "PORT", 1), "a port")
        .flag("--bytes", number(bytes, "N"), "a count")
        .flag("--timeout", seconds(timeout), "whole seconds")
        .flag("--max-seconds", seconds(max_seconds), "decimal seconds")
        .flag("--colour", choice(colour, {{"red", Colour::kRed}, {"blue", Colour::kBlue}}),
              "a colour")
        .flag("--sack", on_off(sack), "a switch with a value")
        .note("A note at the end.");
  }
};

CommandLine::Parsed parse(const Sample& s, const std::vector<std::string>& args) {
  return s.line.parse(args);
}

TEST(CommandLine, ValuesLandInTheirVariables) {
  Sample s;
  const auto parsed = parse(s, {"in",        "--target",
                                "t",         "a",
                                "-o",        "x",
                                "-v",        "--no-minimize",
                                "--port",    "65535",
                                "--bytes=7", "--timeout",
                                "3",         "--max-seconds",
                                "0.25",      "--colour",
                                "blue",      "b",
                                "--sack",    "off"});
  ASSERT_EQ(parsed.outcome, CommandLine::Outcome::kRun) << parsed.error;
  EXPECT_EQ(s.input, "in");
  EXPECT_EQ(s.more, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.target, "t");
  EXPECT_EQ(s.out, "x");
  EXPECT_TRUE(s.verbose);
  EXPECT_FALSE(s.minimize);
  EXPECT_EQ(s.port, 65535);
  EXPECT_EQ(s.bytes, 7u);
  EXPECT_EQ(s.timeout, 3u);
  EXPECT_DOUBLE_EQ(s.max_seconds, 0.25);
  EXPECT_EQ(s.colour, Colour::kBlue);
  EXPECT_FALSE(s.sack);
}

TEST(CommandLine, UnsetFlagsKeepTheirDefaults) {
  Sample s;
  ASSERT_EQ(parse(s, {"in", "m", "--target", "t"}).outcome, CommandLine::Outcome::kRun);
  EXPECT_EQ(s.out, "out.bin");
  EXPECT_EQ(s.timeout, 10u);
  EXPECT_FALSE(s.bytes);
  EXPECT_TRUE(s.minimize);
}

TEST(CommandLine, ErrorsAreOneLineNamingTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"in", "m", "--target", "t", "--bogus"},
       "tcpfuzz sample: unknown flag --bogus (tcpfuzz sample --help lists them)"},
      {{"in", "m", "--target"}, "tcpfuzz sample: --target needs NAME"},
      {{"in", "m", "--target", "t", "--port", "0"},
       "tcpfuzz sample: --port '0': expected a whole number from 1 to 65535"},
      {{"in", "m", "--target", "t", "--port", "65536"},
       "tcpfuzz sample: --port '65536': expected a whole number from 1 to 65535"},
      {{"in", "m", "--target", "t", "--bytes", "-1"},
       "tcpfuzz sample: --bytes '-1': expected a whole number"},
      {{"in", "m", "--target", "t", "--timeout", "1.5"},
       "tcpfuzz sample: --timeout '1.5': expected a positive whole number of seconds"},
      {{"in", "m", "--target", "t", "--max-seconds", "0"},
       "tcpfuzz sample: --max-seconds '0': expected a positive number of seconds"},
      {{"in", "m", "--target", "t", "--max-seconds", "nan"},
       "tcpfuzz sample: --max-seconds 'nan': expected a positive number of seconds"},
      {{"in", "m", "--target", "t", "--colour", "green"},
       "tcpfuzz sample: --colour 'green': expected red or blue"},
      {{"in", "m", "--target", "t", "--verbose=yes"}, "tcpfuzz sample: --verbose takes no value"},
      {{"in", "m"}, "tcpfuzz sample: --target NAME is required"},
      {{"--target", "t"}, "tcpfuzz sample: INPUT is missing (tcpfuzz sample --help says more)"},
      {{"in", "--target", "t"},
       "tcpfuzz sample: MORE... is missing (tcpfuzz sample --help says more)"},
  };
  for (const auto& [args, expected] : cases) {
    Sample s;
    const auto parsed = parse(s, args);
    EXPECT_EQ(parsed.outcome, CommandLine::Outcome::kError) << expected;
    EXPECT_EQ(parsed.error, expected);
  }
}

TEST(CommandLine, ABadValueLeavesTheVariableAlone) {
  Sample s;
  parse(s, {"in", "m", "--target", "t", "--port", "99999"});
  EXPECT_EQ(s.port, 0);
}

TEST(CommandLine, PositionalsBeyondTheDeclaredOnesAreRefused) {
  CommandLine line("one", "one input");
  std::string input;
  line.positional("INPUT", input, "the input");
  const auto parsed = line.parse({"a", "b"});
  EXPECT_EQ(parsed.outcome, CommandLine::Outcome::kError);
  EXPECT_EQ(parsed.error, "tcpfuzz one: unexpected argument b");
}

TEST(CommandLine, HelpEndsParsingWhereItStands) {
  Sample s;
  EXPECT_EQ(parse(s, {"--bogus", "--help"}).outcome, CommandLine::Outcome::kError);
  EXPECT_EQ(parse(s, {"-h"}).outcome, CommandLine::Outcome::kHelp);
  EXPECT_EQ(parse(s, {"in", "--help", "--port", "0"}).outcome, CommandLine::Outcome::kHelp);
}

TEST(CommandLine, SynopsisListsPositionalsThenRequiredThenOptionalFlags) {
  Sample s;
  EXPECT_EQ(s.line.synopsis(),
            "sample INPUT MORE... --target NAME [-o OUT] [-v] [--no-minimize] [--port PORT] "
            "[--bytes N] [--timeout SECONDS] [--max-seconds SECONDS] [--colour red|blue] "
            "[--sack on|off]");
}

TEST(CommandLine, HelpHasEveryFlagWithItsDefault) {
  Sample s;
  const std::string help = s.line.help();
  EXPECT_TRUE(help.starts_with("usage: tcpfuzz sample INPUT MORE... --target NAME")) << help;
  EXPECT_NE(help.find("\na command to test the parser with\n"), std::string::npos) << help;
  EXPECT_NE(help.find("  -o, --output OUT"), std::string::npos) << help;
  EXPECT_NE(help.find("where it goes (default out.bin)"), std::string::npos) << help;
  EXPECT_NE(help.find("the target (required)"), std::string::npos) << help;
  EXPECT_NE(help.find("whole seconds (default 10)"), std::string::npos) << help;
  EXPECT_NE(help.find("decimal seconds (default 2.5)"), std::string::npos) << help;
  EXPECT_NE(help.find("a colour (default red)"), std::string::npos) << help;
  EXPECT_NE(help.find("a switch with a value (default on)"), std::string::npos) << help;
  // A port of 0 is outside 1..65535: no default, as for an unset optional.
  EXPECT_EQ(help.find("a port (default"), std::string::npos) << help;
  EXPECT_EQ(help.find("a count (default"), std::string::npos) << help;
  EXPECT_NE(help.find("-h, --help"), std::string::npos) << help;
  EXPECT_TRUE(help.ends_with("\nA note at the end.\n")) << help;
}

TEST(CommandLine, WrapBreaksAtWordsAndIndents) {
  EXPECT_EQ(wrap("aa bb cc dd", 5, 2), "aa bb\n  cc\n  dd");
  EXPECT_EQ(wrap("short", 80, 4), "short");
  EXPECT_EQ(wrap("averyveryverylongword x", 5, 0), "averyveryverylongword\nx");
}

TEST(CommandLine, NumberParsersTakeTheWholeText) {
  EXPECT_EQ(parse_whole<int>("12", 0, 20), 12);
  EXPECT_FALSE(parse_whole<int>("12x", 0, 20));
  EXPECT_FALSE(parse_whole<int>("", 0, 20));
  EXPECT_FALSE(parse_whole<int>("21", 0, 20));
  EXPECT_EQ(parse_decimal("1.5"), 1.5);
  EXPECT_EQ(parse_decimal("1e3"), 1000.0);
  EXPECT_FALSE(parse_decimal("1.5s"));
  EXPECT_FALSE(parse_decimal("inf"));
}

}  // namespace
}  // namespace tcpfuzz::cli
