#include "fuzz/diff/known_differences.h"

#include <algorithm>
#include <sstream>

namespace tcpfuzz::diff {

namespace {

constexpr std::string_view kHeading = "Known to tcpfuzz diff";

// The cells of a markdown table row "| a | b |".
std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::istringstream in(row.substr(1));
  std::string cell;
  while (std::getline(in, cell, '|')) {
    const size_t first = cell.find_first_not_of(' ');
    const size_t last = cell.find_last_not_of(' ');
    out.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
  }
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

}  // namespace

netstack::Expected<std::vector<KnownDifference>, std::string> parse_known_differences(
    const std::string& markdown, const std::string& path) {
  std::vector<KnownDifference> known;
  std::istringstream in(markdown);
  std::string line;
  int number = 0;
  bool in_section = false;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.starts_with("#")) {
      in_section = line.find(kHeading) != std::string::npos;
      header_seen = false;
      continue;
    }
    if (!in_section || !line.starts_with("|")) continue;
    if (!header_seen) {  // the column names, then the |---| rule
      header_seen = line.find("---") != std::string::npos;
      continue;
    }
    const std::vector<std::string> row = cells(line);
    const std::string& first = row.empty() ? line : row.front();
    if (row.size() < 2 || first.size() < 3 || first.front() != '`' || first.back() != '`') {
      return netstack::Unexpected{path + ":" + std::to_string(number) +
                                  ": a known difference needs a `signature` in its first cell"};
    }
    known.push_back({first.substr(1, first.size() - 2), row[1]});
  }
  return known;
}

const KnownDifference* find_known(const std::vector<KnownDifference>& known,
                                  const std::string& signature) {
  auto it = std::ranges::find(known, signature, &KnownDifference::signature);
  return it == known.end() ? nullptr : &*it;
}

}  // namespace tcpfuzz::diff
