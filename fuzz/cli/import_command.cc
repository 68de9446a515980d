// tcpfuzz import: pcap and pcapng captures as fuzz seeds and scripts. Each
// TCP flow becomes, with the stack in the role asked for (fuzz/import/):
//   DIR/pkt/import-<capture>-<flow>-<role>.pkt              a script
//   DIR/scenario_fuzzer/import-<capture>-<flow>-<role>.bin  the script as a seed
//   DIR/segment_fuzzer/import-<capture>-<flow>-<role>.bin   the peer's packets
// Each script starts with the settings the capture shows its host had
// (fuzz/import/host_settings.h). Packets and flows that cannot be used are
// reported one line each and skipped. Exit status, after every file is done:
//   0  every file read (skipped packets and flows counted in the summary),
//      or read up to damage after which nothing was cut short: the flows
//      before it are kept and the summary says the file was cut;
//   1  with --check, some file differs;
//   2  a file is no capture, yields no usable packet because it is broken,
//      or its damage cuts a flow short (one line names the file and the
//      reason; what it held before is imported), or a usage error.
// --check compares with existing files instead of writing; DIR is created.
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
  size_t cut_files = 0;                   // damaged, the flows before the damage complete and kept
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

  // False when the file is not a capture at all, or its damage left nothing
  // usable or cut a flow short.
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
    const bool usable = !segments.empty();
    const std::vector<import::Flow> flows = import::split_flows(std::move(segments));
    if (end->stopped && !damage_is_harmless(path, *end, usable, flows)) return false;
    for (const import::Flow& flow : flows) {
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
  // A file that stops early (a cut or broken record) is an error when
  // nothing before the damage was usable or a flow was still open at it;
  // otherwise the flows before it stand. One line says which.
  bool damage_is_harmless(const std::string& path, const import::CaptureEnd& end, bool usable,
                          const std::vector<import::Flow>& flows) {
    const std::string where =
        path + ": damaged at packet " + std::to_string(end.frames + 1) + " (" + *end.stopped + ")";
    if (!usable) {
      std::fprintf(stderr, "%s: no usable packet before it\n", where.c_str());
      return false;
    }
    const auto open = std::ranges::find_if(flows, [](const import::Flow& f) { return !f.ended(); });
    if (open != flows.end()) {
      std::fprintf(stderr, "%s: flow %zu (%s) cut short\n", where.c_str(), open->index,
                   import::describe(*open).c_str());
      return false;
    }
    std::fprintf(stderr, "%s: the %zu flow(s) before it ended and are kept\n", where.c_str(),
                 flows.size());
    ++tally_.cut_files;
    return true;
  }

  void import_flow(const std::string& path, const import::Flow& flow,
                   const import::Conversation& c) {
    const std::string capture = fs::path(path).filename().string();
    const std::string name = "import-" + fs::path(path).stem().string() + "-" +
                             std::to_string(flow.index) + "-" + std::string(to_string(c.role));
    const import::HostSettings settings = import::infer_settings(c);
    const scenario::Scenario script = import::conversation_script(c, settings);
    if (wanted("pkt")) {
      std::string comment = "Imported by `tcpfuzz import` from " + capture + ", flow " +
                            std::to_string(flow.index) + " (" + import::describe(flow) +
                            ").\nThe stack plays the " + std::string(to_string(c.role)) +
                            ", times and numbers are the capture's. Its settings, as the " +
                            "capture shows them:";
      for (const std::string& note : settings.notes) comment += "\n- " + note;
      output("pkt", name + ".pkt", scenario::write_linux_script(script, comment, settings.config));
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
  if (t.cut_files > 0) {
    s += ", " + std::to_string(t.cut_files) + " capture(s) cut (the flows before the cut kept)";
  }
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
              "where DIR/pkt/, DIR/scenario_fuzzer/ and DIR/segment_fuzzer/ go (created)",
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
  if (!o_.check) fs::create_directories(o_.out_dir, ec);  // and its parents
  if (ec || !fs::is_directory(o_.out_dir, ec)) {
    const std::string why = ec ? ec.message() : "not a directory";
    std::fprintf(stderr, "%s: %s\n", o_.out_dir.c_str(), why.c_str());
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
