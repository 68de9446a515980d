#include "fuzz/harness/crash_signature.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

namespace tcpfuzz::harness {

namespace {

constexpr size_t kFrames = 3;

// Numbers vary between inputs hitting the same bug (byte offsets, times):
// each run of digits becomes "N".
std::string without_numbers(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
      while (i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])) != 0) {
        ++i;
      }
      out += 'N';
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> lines_of(std::string_view report) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(report)};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// "    #3 0x55d1 in netstack::tcp::Endpoint::on_ack(int) /src/endpoint.cc:9:3":
// frame number 3, function "netstack::tcp::Endpoint::on_ack", location
// "/src/endpoint.cc:9:3" (or "(/lib/libc.so.6+0x2724a)" outside our code).
struct Frame {
  int number = -1;
  std::string function;
  std::string location;
};

std::optional<Frame> parse_frame(std::string line) {
  const size_t hash = line.find_first_not_of(" \t");
  if (hash == std::string::npos || line[hash] != '#') return std::nullopt;
  const size_t in = line.find(" in ", hash);
  if (in == std::string::npos) return std::nullopt;
  Frame f;
  f.number = std::atoi(line.c_str() + hash + 1);
  const size_t last_space = line.find_last_of(' ');
  f.location = line.substr(last_space + 1);
  std::string name = line.substr(in + 4, last_space > in + 4 ? last_space - in - 4 : 0);
  // Parentheses that are part of the name would end it at the argument list.
  for (const auto& [from, to] :
       {std::pair<std::string_view, std::string_view>{"(anonymous namespace)", "{anonymous}"},
        {"operator()", "operator{call}"}}) {
    for (size_t at; (at = name.find(from)) != std::string::npos;) name.replace(at, from.size(), to);
  }
  f.function = name.substr(0, name.find('('));
  return f;
}

// Code of this project: a source location outside the system's headers and
// the sanitizer/fuzzer runtimes, and not the plumbing that ran the child.
bool is_project_frame(const Frame& f) {
  const std::string& at = f.location;
  if (at.empty() || at.front() == '(' || at.starts_with("/usr/")) return false;
  if (at.find("compiler-rt") != std::string::npos) return false;
  if (at.find("child_run.cc") != std::string::npos) return false;
  return f.function.find("crash_backtrace") == std::string::npos;
}

// The first frames of the first stack trace that are the project's code,
// without their argument lists.
std::vector<std::string> project_frames(const std::vector<std::string>& lines) {
  std::vector<std::string> frames;
  bool seen_first_trace = false;
  for (const std::string& line : lines) {
    const auto frame = parse_frame(line);
    if (!frame) continue;
    if (frame->number == 0) {
      if (seen_first_trace) break;  // a second trace (allocation, free): not where it failed
      seen_first_trace = true;
    }
    if (!is_project_frame(*frame)) continue;
    frames.push_back(frame->function);
    if (frames.size() == kFrames) break;
  }
  return frames;
}

// The word after `marker` in `line` ("heap-use-after-free"), if present.
std::optional<std::string> word_after(const std::string& line, std::string_view marker) {
  const size_t at = line.find(marker);
  if (at == std::string::npos) return std::nullopt;
  const size_t start = at + marker.size();
  const size_t end = line.find_first_of(" \t:", start);
  return line.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// "endpoint.cc:120:7: runtime error: signed integer overflow: 1 + 2 ..." as
// "runtime error: signed integer overflow at endpoint.cc:120".
std::optional<std::string> ubsan_kind(const std::string& line) {
  static constexpr std::string_view kMarker = ": runtime error: ";
  const size_t at = line.find(kMarker);
  if (at == std::string::npos) return std::nullopt;
  std::string location = line.substr(0, at);
  location = location.substr(location.find_last_of('/') + 1);  // npos + 1 == 0
  location = location.substr(0, location.rfind(':'));          // drop the column
  const size_t start = at + kMarker.size();
  const size_t end = line.find_first_of(":,", start);
  // Values and addresses vary between inputs hitting the same bug.
  return "runtime error: " +
         without_numbers(
             line.substr(start, end == std::string::npos ? std::string::npos : end - start)) +
         " at " + location;
}

// The kind of failure, from the first line that names one.
std::string failure_kind(const std::vector<std::string>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.starts_with("tcpfuzz: TCP invariant violated") && i + 1 < lines.size()) {
      return "invariant: " + without_numbers(lines[i + 1]);
    }
    // Oracle failures of the harnesses ("pair_fuzzer: integrity: ...") and
    // of the reference oracle ("oracle: ack-of-unreceived", details below).
    if (line.starts_with("pair_fuzzer: ") || line.starts_with("oracle: ")) {
      return without_numbers(line);
    }
    if (line.find("ERROR: LeakSanitizer:") != std::string::npos) return "memory-leak";
    if (auto kind = word_after(line, "Sanitizer: ")) {
      if (line.find("ERROR: ") != std::string::npos) return *kind;
    }
    if (auto kind = ubsan_kind(line)) return *kind;
  }
  return {};
}

std::string short_hash(std::string_view text) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (const char c : text) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

}  // namespace

CrashSignature crash_signature(std::string_view report, std::string_view how, bool timed_out) {
  CrashSignature s;
  if (timed_out) {
    s.text = "timeout";
  } else {
    const std::vector<std::string> lines = lines_of(report);
    std::string kind = failure_kind(lines);
    const bool named_by_message = kind.starts_with("invariant: ") ||
                                  kind.starts_with("pair_fuzzer: ") || kind.starts_with("oracle: ");
    if (kind.empty()) kind = how;
    s.text = kind;
    if (!named_by_message) {
      const std::vector<std::string> frames = project_frames(lines);
      for (size_t i = 0; i < frames.size(); ++i) s.text += (i == 0 ? " in " : " < ") + frames[i];
    }
  }
  s.id = short_hash(s.text);
  return s;
}

}  // namespace tcpfuzz::harness
