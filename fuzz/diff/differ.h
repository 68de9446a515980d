// tcpfuzz diff: one scenario asked of our stack and of the Linux kernel.
//
// The scenario runs on our stack (fake clock, recorded); the record is
// written as a packetdrill script whose inbound lines and calls are the
// scenario's and whose outbound lines are exactly what our stack sent, when
// it sent them; the real packetdrill runs that script against the kernel.
// Linux agrees when packetdrill passes. Otherwise packetdrill's first error
// is the first line where the two stacks part, and the disagreement is
// minimised (delta debugging over the scenario's inbound lines and calls,
// each candidate recorded afresh on our stack and asked of the kernel) while
// that first divergence keeps its signature.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fuzz/diff/divergence.h"
#include "fuzz/diff/known_differences.h"
#include "fuzz/scenario/runner.h"
#include "fuzz/scenario/scenario.h"
#include "stack/tcp/config.h"

namespace tcpfuzz::diff {

struct DiffOptions {
  std::string packetdrill;  // the binary
  // Only this much of a scenario (fake time) is compared: packetdrill runs
  // on the wall clock.
  double max_seconds = 5;
  // packetdrill's --tolerance_usecs. Linux's timers run on jiffies: with
  // CONFIG_HZ=250 a delayed ACK or a retransmission leaves up to two ticks
  // (8 ms) after its nominal time, which packetdrill's default 4 ms
  // tolerance would call a disagreement.
  int tolerance_usecs = 10000;
  std::vector<KnownDifference> known;
  // Minimised disagreements go here as <signature>.pkt ("" : not saved).
  std::string diffs_dir;
  bool minimize = true;
  // Per signature: each is minimised once per run, from its first input.
  size_t minimize_max_runs = 100;
  double minimize_max_seconds = 60;
  // Test-only: our stack's initial congestion window, while the script
  // tells Linux nothing of it (a planted difference; 0: the profile's).
  uint32_t planted_initial_cwnd = 0;
};

enum class Verdict : uint8_t { kAgree, kDisagree, kKnown, kNotComparable };
const char* to_string(Verdict v);

struct DiffResult {
  Verdict verdict = Verdict::kNotComparable;
  std::string reason;  // not comparable: why; known: the documented summary; agree: a note
  std::optional<Divergence> divergence;
  std::string signature;  // "window.ack": what differs, on which line kind
  std::string script;     // the script the kernel ran
  std::string saved;      // the minimised script's path
  // When only the first part of the run was compared: why not the rest.
  std::string compared_part;
  size_t events_before = 0;  // inbound lines and calls, before and after minimising
  size_t events_after = 0;
};

// A scenario ready to be asked: a parsed script, or a fuzz input turned into one.
struct DiffInput {
  std::string name;  // the file, for reports
  scenario::Scenario scenario;
};

class Differ {
 public:
  explicit Differ(DiffOptions options);
  ~Differ();
  Differ(const Differ&) = delete;
  Differ& operator=(const Differ&) = delete;
  DiffResult check(const DiffInput& input);

 private:
  struct Recording {
    scenario::Scenario scenario;
    std::optional<scenario::Unscriptable> unscriptable;
  };
  // Our stack's run, recorded; an error when our runner cannot drive it.
  netstack::Expected<Recording, std::string> record(const scenario::Scenario& s,
                                                    bool record_only) const;
  // The part of a recording packetdrill can ask (see comparable_part.h);
  // `rest` says why the rest is left out. An error when nothing is left.
  netstack::Expected<scenario::Scenario, std::string> askable(const Recording& r,
                                                              std::string* rest) const;
  struct KernelVerdict {
    bool agree = false;
    std::optional<Divergence> divergence;
    std::string signature;
    std::string problem;  // the kernel could not be asked
    std::string script;
  };
  KernelVerdict ask_kernel(const scenario::Scenario& recorded, const std::string& comment);
  // The smallest recorded run found that still parts from Linux with `signature`.
  scenario::Scenario minimise(const scenario::Scenario& recorded, const std::string& signature,
                              KernelVerdict* last);
  std::string save(const DiffInput& input, const DiffResult& result,
                   const scenario::Scenario& minimised, const KernelVerdict& kernel);

  DiffOptions options_;
  netstack::tcp::Config config_;
  std::string work_dir_;
  std::set<std::string> minimised_;  // signatures minimised in this run
  size_t scripts_written_ = 0;
};

// "window.ack" from the divergence and the line it names in `script`.
std::string signature_of(const Divergence& d, const scenario::Scenario& script);

}  // namespace tcpfuzz::diff
