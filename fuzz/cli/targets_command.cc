// tcpfuzz targets: the fuzz targets of the registry (fuzz/harness/targets.h),
// one per line, tab-separated: name, what its inputs export to ("pkt,pcap",
// "pcap" or "-"), and what it fuzzes. --names and --with are for scripts
// (ci/fuzz.sh, ci/oss-fuzz/build.sh), which take the list from here.
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/harness/targets.h"

namespace tcpfuzz::cli {

namespace {

enum class Property : uint8_t { kAny, kStateful, kScenario, kPcap, kStructured };

bool has(const harness::Target& t, Property p) {
  switch (p) {
    case Property::kAny:
      return true;
    case Property::kStateful:
      return t.observe != nullptr;
    case Property::kScenario:
      return t.to_script != nullptr;
    case Property::kPcap:
      return t.writes_pcap;
    case Property::kStructured:
      return t.units != harness::InputUnits::kBytes;
  }
  return false;
}

class Targets final : public Command {
 public:
  Targets()
      : Command("targets", "the fuzz targets: name, what their inputs export to, what they fuzz") {
    line_.flag("--names", names_only_, "names only, one a line")
        .flag("--with",
              choice(property_, {{"stateful", Property::kStateful},
                                 {"scenario", Property::kScenario},
                                 {"pcap", Property::kPcap},
                                 {"structured", Property::kStructured}}),
              "only the targets that have TCP state to cover (cov), inputs that are scenarios "
              "(export --to pkt, diff), a pcap export, or inputs the minimiser cuts into "
              "events, operations or records rather than bytes");
  }

 private:
  int run() override {
    for (const harness::Target& t : harness::targets()) {
      if (!has(t, property_)) continue;
      if (names_only_) {
        std::printf("%s\n", std::string(t.name).c_str());
        continue;
      }
      std::string exports;
      if (t.to_script != nullptr) exports = "pkt";
      if (t.writes_pcap) exports += exports.empty() ? "pcap" : ",pcap";
      std::printf("%s\t%s\t%s\n", std::string(t.name).c_str(),
                  exports.empty() ? "-" : exports.c_str(), std::string(t.summary).c_str());
    }
    return 0;
  }

  bool names_only_ = false;
  Property property_ = Property::kAny;
};

}  // namespace

std::unique_ptr<Command> make_targets_command() {
  return std::make_unique<Targets>();
}

}  // namespace tcpfuzz::cli
