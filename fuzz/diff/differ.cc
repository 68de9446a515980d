#include "fuzz/diff/differ.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/diff/comparable_part.h"
#include "fuzz/diff/kernel_oracle.h"
#include "fuzz/minimize/ddmin.h"
#include "fuzz/scenario/linux_script.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/runner.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::diff {

namespace fs = std::filesystem;
using scenario::CommandSpec;
using scenario::Event;
using scenario::PacketSpec;
using scenario::Scenario;

namespace {

Scenario without_outbound(Scenario s) {
  std::erase_if(s.events, is_outbound);
  return s;
}

size_t inputs_and_calls(const Scenario& s) {
  return static_cast<size_t>(
      std::ranges::count_if(s.events, [](const Event& e) { return !is_outbound(e); }));
}

// "syn-ack", "psh-ack", "rst": a packet line's flags, for signatures.
std::string flag_names(uint8_t flags) {
  namespace f = netstack::header::tcp_flag;
  static constexpr std::pair<uint8_t, const char*> kNames[] = {{f::kSyn, "syn"}, {f::kFin, "fin"},
                                                               {f::kRst, "rst"}, {f::kPsh, "psh"},
                                                               {f::kUrg, "urg"}, {f::kAck, "ack"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((flags & bit) == 0) continue;
    if (!out.empty()) out += "-";
    out += name;
  }
  return out.empty() ? "none" : out;
}

std::string line_kind(const Event& e) {
  if (const auto* p = std::get_if<PacketSpec>(&e.action)) {
    return (p->direction == PacketSpec::Direction::kInbound ? "inbound-" : "") +
           flag_names(p->flags);
  }
  if (const auto* call = std::get_if<scenario::SyscallSpec>(&e.action)) return call->name;
  if (std::holds_alternative<CommandSpec>(e.action)) return "command";
  return "tcp_info";
}

// The helper scripts a command's lines run by relative path
// (`../common/defaults.sh`, `../common/set_sysctls.py ...`), made absolute
// so the script runs from anywhere; `relative_to_base` makes them relative
// again.
void place_defaults(Scenario& s, const fs::path& base, bool relative_to_base) {
  for (Event& e : s.events) {
    auto* c = std::get_if<CommandSpec>(&e.action);
    if (c == nullptr) continue;
    std::string placed;
    size_t start = 0;
    while (start <= c->command.size()) {
      size_t end = c->command.find('\n', start);
      if (end == std::string::npos) end = c->command.size();
      std::string line = c->command.substr(start, end - start);
      const size_t word_end = std::min(line.find(' '), line.size());
      const fs::path program = line.substr(0, word_end);
      const bool helper = program.string().ends_with(".sh") || program.string().ends_with(".py");
      if (helper && relative_to_base && program.is_absolute()) {
        line.replace(0, word_end, fs::relative(program, base).string());
      } else if (helper && !relative_to_base && program.is_relative() &&
                 program.string().starts_with(".")) {
        line.replace(0, word_end, fs::weakly_canonical(base / program).string());
      }
      placed += line;
      if (end == c->command.size()) break;
      placed += '\n';
      start = end + 1;
    }
    c->command = placed;
  }
}

bool is_ipv6(const Scenario& s) {
  return std::ranges::any_of(
      s.options, [](const auto& kv) { return kv.first == "ip_version" && kv.second == "ipv6"; });
}

// packetdrill maps the TSecr of inbound ACKs only: a segment without ACK
// that echoes one of our TSvals would reach Linux with a value foreign to
// it. Such TSecrs become 0 (the value a peer sends when it echoes nothing);
// returns how many changed.
size_t zero_unmappable_echoes(Scenario& recorded) {
  std::vector<uint32_t> our_tsvals;
  size_t changed = 0;
  for (Event& e : recorded.events) {
    auto* p = std::get_if<PacketSpec>(&e.action);
    if (p == nullptr || !p->options) continue;
    for (scenario::OptionSpec& o : *p->options) {
      if (o.kind != scenario::OptionSpec::Kind::kTimestamp) continue;
      if (p->direction == PacketSpec::Direction::kOutbound) {
        our_tsvals.push_back(o.value);
      } else if ((p->flags & netstack::header::tcp_flag::kAck) == 0 && o.value2 != 0 &&
                 std::ranges::find(our_tsvals, o.value2) != our_tsvals.end()) {
        o.value2 = 0;
        ++changed;
      }
    }
  }
  return changed;
}

std::string first_line(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) return line;
  }
  return "(no output)";
}

}  // namespace

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::kAgree:
      return "agree";
    case Verdict::kDisagree:
      return "disagree";
    case Verdict::kKnown:
      return "known";
    case Verdict::kNotComparable:
      return "not comparable";
  }
  return "?";
}

std::string signature_of(const Divergence& d, const Scenario& script) {
  auto it = std::ranges::find(script.events, d.line, &Event::line);
  return d.what + "." + (it == script.events.end() ? std::string("unknown-line") : line_kind(*it));
}

Differ::Differ(DiffOptions options) : options_(std::move(options)) {
  if (options_.planted_initial_cwnd != 0) config_.initial_cwnd = options_.planted_initial_cwnd;
  std::string pattern = (fs::temp_directory_path() / "tcpfuzz-diff.XXXXXX").string();
  if (mkdtemp(pattern.data()) != nullptr) work_dir_ = pattern;
}

Differ::~Differ() {
  std::error_code ignored;
  if (!work_dir_.empty()) fs::remove_all(work_dir_, ignored);
}

netstack::Expected<Differ::Recording, std::string> Differ::record(const Scenario& s,
                                                                  bool record_only) const {
  scenario::RunOptions run;
  run.config = config_;
  run.record = true;
  run.record_only = record_only;
  scenario::RunResult r = scenario::run_scenario(s, run);
  if (r.status == scenario::RunResult::Status::kSkip) {
    return netstack::Unexpected{"our runner cannot drive it (" + r.message + ")"};
  }
  if (r.status == scenario::RunResult::Status::kFail) {
    return netstack::Unexpected{"it fails on our stack (" + first_line(r.message) +
                                "); see tcpfuzz run"};
  }
  return Recording{std::move(r.recorded), std::move(r.unscriptable)};
}

netstack::Expected<Scenario, std::string> Differ::askable(const Recording& r,
                                                          std::string* rest) const {
  const ComparablePart part = comparable_part(r.scenario, r.unscriptable, options_.max_seconds);
  if (!has_outbound(r.scenario, part.events)) {
    return netstack::Unexpected{part.rest.empty() ? std::string("our stack sent nothing to compare")
                                                  : "our stack sent nothing before " + part.rest};
  }
  if (rest != nullptr) *rest = part.rest;
  Scenario asked{r.scenario.path, r.scenario.options, {}, {}};
  asked.events.assign(r.scenario.events.begin(),
                      r.scenario.events.begin() + static_cast<std::ptrdiff_t>(part.events));
  return asked;
}

Differ::KernelVerdict Differ::ask_kernel(const Scenario& recorded, const std::string& comment) {
  KernelVerdict out;
  out.script = scenario::write_linux_script(recorded, comment);
  if (work_dir_.empty()) {
    out.problem = "cannot create a temporary folder";
    return out;
  }
  const fs::path file =
      fs::path(work_dir_) / ("asked-" + std::to_string(++scripts_written_) + ".pkt");
  {
    std::ofstream f(file);
    f << out.script;
    if (!f) {
      out.problem = "cannot write " + file.string();
      return out;
    }
  }
  const KernelRun run = run_on_kernel(options_.packetdrill, file.string(), is_ipv6(recorded),
                                      options_.tolerance_usecs, options_.max_seconds + 30);
  fs::remove(file);
  if (run.passed) {
    out.agree = true;
    return out;
  }
  if (run.timed_out) {
    out.problem = "packetdrill did not finish in time";
    return out;
  }
  out.divergence = parse_packetdrill_report(run.output);
  if (!out.divergence) {
    out.problem = "packetdrill failed without naming a line: " + first_line(run.output);
    return out;
  }
  auto parsed = scenario::parse_script(out.script, file.filename().string());
  out.signature = parsed ? signature_of(*out.divergence, *parsed) : out.divergence->what;
  return out;
}

DiffResult Differ::check(const DiffInput& input) {
  DiffResult result;
  std::string note;
  Scenario source = input.scenario;
  place_defaults(source, fs::path(input.scenario.path).parent_path(), false);
  auto whole = record(source, false);
  if (whole) {
    if (const size_t zeroed = zero_unmappable_echoes(whole->scenario); zeroed > 0) {
      whole = record(without_outbound(whole->scenario), true);
      note = std::to_string(zeroed) +
             " TSecr of segments without ACK set to 0 (packetdrill does not map them)";
    }
  }
  if (!whole) {
    result.reason = whole.error();
    return result;
  }
  auto recorded = askable(*whole, &result.compared_part);
  if (!recorded) {
    result.reason = recorded.error();
    return result;
  }
  result.events_before = result.events_after = inputs_and_calls(*recorded);
  KernelVerdict kernel = ask_kernel(*recorded, "");
  if (!kernel.agree && kernel.divergence) {
    // packetdrill judges times on the wall clock; a busy machine can make one
    // run late. A disagreement counts only if a second run repeats it.
    KernelVerdict again = ask_kernel(*recorded, "");
    if (again.agree) {
      result.verdict = Verdict::kAgree;
      result.reason = "agreed on a second run (the first stopped at line " +
                      std::to_string(kernel.divergence->line) + ": " + kernel.divergence->message +
                      ")";
      return result;
    }
  }
  result.script = kernel.script;
  if (kernel.agree) {
    result.verdict = Verdict::kAgree;
    result.reason = note;
    return result;
  }
  if (!kernel.divergence) {
    result.reason = kernel.problem;
    return result;
  }
  result.divergence = kernel.divergence;
  result.signature = kernel.signature;
  if (const KnownDifference* known = find_known(options_.known, kernel.signature)) {
    result.verdict = Verdict::kKnown;
    result.reason = known->summary;
    return result;
  }
  result.verdict = Verdict::kDisagree;
  if (!minimised_.insert(kernel.signature).second) return result;  // one file per signature
  Scenario smallest = *recorded;
  if (options_.minimize) smallest = minimise(*recorded, kernel.signature, &kernel);
  result.events_after = inputs_and_calls(smallest);
  if (!options_.diffs_dir.empty()) result.saved = save(input, result, smallest, kernel);
  return result;
}

Scenario Differ::minimise(const Scenario& recorded, const std::string& signature,
                          KernelVerdict* last) {
  std::vector<Event> items = without_outbound(recorded).events;
  const auto start = std::chrono::steady_clock::now();
  size_t runs = 0;
  Scenario smallest = recorded;
  auto still_differs = [&](const std::vector<Event>& candidate) {
    const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - start;
    if (runs >= options_.minimize_max_runs || spent.count() >= options_.minimize_max_seconds) {
      return false;
    }
    ++runs;
    Scenario variation{recorded.path, recorded.options, candidate, {}};
    auto rerun = record(variation, true);
    if (!rerun) return false;
    auto part = askable(*rerun, nullptr);
    if (!part) return false;
    KernelVerdict k = ask_kernel(*part, "");
    if (k.agree || !k.divergence || k.signature != signature) return false;
    smallest = std::move(*part);
    *last = std::move(k);
    return true;
  };
  minimize::ddmin(std::move(items), still_differs);
  return smallest;
}

std::string Differ::save(const DiffInput& input, const DiffResult& result,
                         const Scenario& minimised, const KernelVerdict& kernel) {
  const fs::path dir = options_.diffs_dir;
  std::error_code error;
  fs::create_directories(dir, error);
  const fs::path file = dir / (result.signature + ".pkt");
  // The smaller of this and an earlier find with the same signature stays.
  if (auto earlier = scenario::parse_script_file(file.string());
      earlier && inputs_and_calls(*earlier) <= result.events_after) {
    return file.string();
  }
  Scenario portable = minimised;
  place_defaults(portable, fs::absolute(dir), true);
  const Divergence& d = *kernel.divergence;
  std::ostringstream header;
  header << "tcpfuzz diff: our stack and Linux part here (" << result.signature << ").\n"
         << "From " << input.name << ", minimised from " << result.events_before << " to "
         << result.events_after << " inbound lines and calls.\n"
         << "The outbound lines are what our stack sent. packetdrill on Linux said:\n"
         << "  " << d.message << "\n";
  if (!d.ours.empty()) header << "  ours:  " << d.ours << "\n";
  if (!d.linux_sent.empty()) header << "  Linux: " << d.linux_sent << "\n";
  header << "Replay: tcpfuzz run FILE (our stack); tcpfuzz diff FILE (Linux, as root).";
  const std::string text = scenario::write_linux_script(portable, header.str());
  std::ofstream out(file.string() + ".tmp");
  out << text;
  out.close();
  if (!out) return "";
  fs::rename(file.string() + ".tmp", file, error);
  return error ? "" : file.string();
}

}  // namespace tcpfuzz::diff
