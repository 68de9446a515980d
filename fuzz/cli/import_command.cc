// tcpfuzz import: pcap and pcapng captures as fuzz seeds and scripts. Each
// TCP flow becomes, with the stack in the role asked for (fuzz/import/):
//   DIR/pkt/import-<capture>-<flow>-<role>.pkt              a script
//   DIR/scenario_fuzzer/import-<capture>-<flow>-<role>.bin  the script as a seed
//   DIR/segment_fuzzer/import-<capture>-<flow>-<role>.bin   the peer's packets
// Packets and flows that cannot be used are reported one line each and
// skipped; a file that is no capture at all is an error (exit 2) after the
// others are done. --check compares with existing files instead of writing.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/import/capture_file.h"
#include "fuzz/import/flow_script.h"
#include "fuzz/import/flow_segments.h"
#include "fuzz/scenario/binary_scenario.h"
#include "fuzz/scenario/linux_script.h"
#include "fuzz/scenario/script_to_binary.h"

namespace tcpfuzz::cli {

namespace {

namespace fs = std::filesystem;
using import::StackRole;

struct Options {
  std::vector<std::string> captures;
  std::string out_dir;
  std::string target;  // empty: every kind
  std::vector<StackRole> roles{StackRole::kServer};
  bool check = false;
};

// Counts for the summary line.
struct Tally {
  size_t packets = 0;
  size_t tcp = 0;
  size_t flows = 0;
  size_t written = 0;
  size_t differing = 0;
  std::map<std::string, size_t> skipped;  // by reason, numbers left out

  void skip(const std::string& reason) { ++skipped[reason.substr(0, reason.find_first_of("(:"))]; }
};

std::string trimmed(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

class Importer {
 public:
  explicit Importer(const Options& o) : o_(o) {}

  // False when the file is not a capture at all.
  bool import_capture(const std::string& path) {
    std::vector<import::CapturedSegment> segments;
    auto end = import::read_capture(path, [&](const import::Frame& f) {
      ++tally_.packets;
      auto segment = import::decode_frame(f);
      if (!segment) {
        std::fprintf(stderr, "%s:packet %zu: %s, skipped\n", path.c_str(), f.number,
                     segment.error().c_str());
        tally_.skip(segment.error());
        return;
      }
      ++tally_.tcp;
      segments.push_back(std::move(*segment));
    });
    if (!end) {
      std::fprintf(stderr, "%s\n", end.error().c_str());
      return false;
    }
    if (end->stopped) {
      std::fprintf(stderr, "%s:packet %zu: %s, rest of the file skipped\n", path.c_str(),
                   end->frames + 1, end->stopped->c_str());
      tally_.skip("unreadable rest of file");
    }
    for (const import::Flow& flow : import::split_flows(std::move(segments))) {
      ++tally_.flows;
      for (StackRole role : o_.roles) {
        auto conversation = import::conversation_of(flow, role);
        if (!conversation) {
          std::fprintf(stderr, "%s:flow %zu (%s): %s, skipped\n", path.c_str(), flow.index,
                       import::describe(flow).c_str(), conversation.error().c_str());
          tally_.skip("flow with " + conversation.error());
          break;  // the same reason for every role
        }
        import_flow(path, flow, *conversation);
      }
    }
    return true;
  }

  const Tally& tally() const { return tally_; }

 private:
  void import_flow(const std::string& path, const import::Flow& flow,
                   const import::Conversation& c) {
    const std::string capture = fs::path(path).filename().string();
    const std::string name = "import-" + fs::path(path).stem().string() + "-" +
                             std::to_string(flow.index) + "-" + std::string(to_string(c.role));
    const scenario::Scenario script = import::conversation_script(c);
    if (wanted("pkt")) {
      const std::string comment = "Imported by `tcpfuzz import` from " + capture + ", flow " +
                                  std::to_string(flow.index) + " (" + import::describe(flow) +
                                  ").\nThe stack plays the " + std::string(to_string(c.role)) +
                                  ", times and numbers are the capture's.";
      output("pkt", name + ".pkt", scenario::write_linux_script(script, comment));
    }
    if (wanted("scenario_fuzzer")) {
      const auto seed = scenario::encode_binary(scenario::script_to_binary(script));
      output("scenario_fuzzer", name + ".bin", {seed.begin(), seed.end()});
    }
    if (wanted("segment_fuzzer")) {
      const auto seed = import::conversation_segments(c);
      output("segment_fuzzer", name + ".bin", {seed.begin(), seed.end()});
    }
  }

  bool wanted(const std::string& kind) const { return o_.target.empty() || o_.target == kind; }

  void output(const std::string& kind, const std::string& name, const std::string& bytes) {
    const fs::path dir = fs::path(o_.out_dir) / kind;
    const std::string path = (dir / name).string();
    if (o_.check) {
      auto existing = read_input(path);
      if (!existing || std::string(existing->begin(), existing->end()) != bytes) {
        std::printf("differs: %s\n", path.c_str());
        ++tally_.differing;
      }
      return;
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (auto error = write_output(path, bytes)) {
      std::fprintf(stderr, "%s\n", error->c_str());
      tally_.skip("unwritable output");
      return;
    }
    ++tally_.written;
  }

  const Options& o_;
  Tally tally_;
};

std::string summary(const Tally& t, bool check) {
  std::string s = std::to_string(t.packets) + " packets read, " + std::to_string(t.tcp) + " TCP, " +
                  std::to_string(t.flows) + " flow(s), ";
  s += check ? std::to_string(t.differing) + " file(s) differ"
             : std::to_string(t.written) + " file(s) written";
  if (t.skipped.empty()) return s + ", nothing skipped";
  s += "; skipped:";
  const char* separator = " ";
  for (const auto& [reason, count] : t.skipped) {
    s += separator + std::to_string(count) + " " + trimmed(reason);
    separator = ", ";
  }
  return s;
}

// Captures named directly, and the .pcap and .pcapng files in folders named.
netstack::Expected<std::vector<std::string>, std::string> capture_files(
    const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      files.push_back(p);
      continue;
    }
    auto found = collect_files({p}, ".pcap");
    auto found_ng = collect_files({p}, ".pcapng");
    if (!found || !found_ng) return netstack::Unexpected{found ? found_ng.error() : found.error()};
    found->insert(found->end(), found_ng->begin(), found_ng->end());
    std::sort(found->begin(), found->end());
    files.insert(files.end(), found->begin(), found->end());
  }
  return files;
}

class Import final : public Command {
 public:
  Import() : Command("import", "TCP flows of pcap/pcapng captures as scripts and seeds") {
    line_.positional("CAPTURE", o_.captures, "pcap or pcapng files, or folders of them")
        .flag("--to", text(o_.out_dir, "DIR"),
              "where DIR/pkt/, DIR/scenario_fuzzer/ and DIR/segment_fuzzer/ are",
              CommandLine::Need::kRequired)
        .flag("--target",
              choice(o_.target, {{"scenario_fuzzer", std::string("scenario_fuzzer")},
                                 {"segment_fuzzer", std::string("segment_fuzzer")},
                                 {"pkt", std::string("pkt")}}),
              "write only this kind; all three without it")
        .flag("--stack",
              choice(o_.roles, {{"server", std::vector{StackRole::kServer}},
                                {"client", std::vector{StackRole::kClient}},
                                {"both", std::vector{StackRole::kServer, StackRole::kClient}}}),
              "the role the stack plays in each flow")
        .flag("--check", o_.check,
              "compare with the files there instead of writing (exit 1: differ)");
  }

 private:
  int run() override;

  Options o_;
};

int Import::run() {
  std::error_code ec;
  if (!fs::is_directory(o_.out_dir, ec)) {
    std::fprintf(stderr, "%s: not a directory\n", o_.out_dir.c_str());
    return 2;
  }
  auto files = capture_files(o_.captures);
  if (!files) {
    std::fprintf(stderr, "%s\n", files.error().c_str());
    return 2;
  }
  Importer importer(o_);
  bool unreadable = false;
  for (const std::string& f : *files) unreadable = !importer.import_capture(f) || unreadable;
  std::printf("%s\n", summary(importer.tally(), o_.check).c_str());
  if (unreadable) return 2;
  return importer.tally().differing > 0 ? 1 : 0;
}

}  // namespace

std::unique_ptr<Command> make_import_command() {
  return std::make_unique<Import>();
}

}  // namespace tcpfuzz::cli
