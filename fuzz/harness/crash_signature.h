// What makes two crashes the same bug: the kind of failure and where it
// happened, read from what the dying process printed. Used to group crashes
// (tcpfuzz triage, ci/fuzz.sh) and to check that minimising kept the bug.
#pragma once

#include <string>
#include <string_view>

namespace tcpfuzz::harness {

struct CrashSignature {
  // "heap-use-after-free in netstack::View::release < netstack::tcp::...",
  // "invariant: snd_una > snd_nxt", "pair_fuzzer: integrity: byte N read ...",
  // "runtime error: signed integer overflow at endpoint.cc:120",
  // "timeout", or "signal 11 (Segmentation fault)" when nothing was printed.
  std::string text;
  // 8 hex digits of a hash of `text`: a stable folder name.
  std::string id;
};

// `report` is the process's stderr; `how` how it ended (ChildOutcome::how).
CrashSignature crash_signature(std::string_view report, std::string_view how, bool timed_out);

}  // namespace tcpfuzz::harness
