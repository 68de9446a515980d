#include "fuzz/scenario/emulated_files.h"

#include <charconv>
#include <sstream>
#include <vector>

namespace tcpfuzz::scenario {

namespace {

std::optional<size_t> number(std::string_view text) {
  size_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

bool is_program(std::string_view word, std::string_view name) {
  return word == name || (word.starts_with("/bin/") && word.substr(5) == name);
}

}  // namespace

bool EmulatedFiles::run_command(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  if (words.size() == 3 && is_program(words[0], "rm") && words[1] == "-f") {
    files_.erase(words[2]);
    return true;
  }
  if (words.empty() || !is_program(words[0], "dd")) return false;
  std::optional<size_t> block_size = 512;  // dd's default
  std::optional<size_t> count;
  std::string input;
  std::string output;
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string_view w = words[i];
    const auto eq = w.find('=');
    if (eq == std::string_view::npos) return false;
    const std::string_view key = w.substr(0, eq);
    const std::string_view value = w.substr(eq + 1);
    if (key == "bs") {
      block_size = number(value);
    } else if (key == "count") {
      count = number(value);
    } else if (key == "if") {
      input = value;
    } else if (key == "of") {
      output = value;
    } else if (key != "status") {
      return false;
    }
  }
  // Only zeros of a known length can be emulated.
  if (input != "/dev/zero" || output.empty() || !block_size || !count) return false;
  files_[output] = *block_size * *count;
  return true;
}

bool EmulatedFiles::open(int fd, const std::string& path) {
  if (!files_.contains(path)) return false;
  open_[fd] = path;
  return true;
}

std::optional<size_t> EmulatedFiles::size(int fd) const {
  const auto it = open_.find(fd);
  if (it == open_.end()) return std::nullopt;
  const auto file = files_.find(it->second);
  return file == files_.end() ? std::optional<size_t>(0) : file->second;
}

}  // namespace tcpfuzz::scenario
