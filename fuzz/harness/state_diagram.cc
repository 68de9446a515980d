#include "fuzz/harness/state_diagram.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "stack/tcp/state.h"

namespace tcpfuzz::harness {

namespace {

using netstack::tcp::State;

std::string node(State s) {
  return "\"" + std::string(netstack::tcp::to_string(s)) + "\"";
}

// Light yellow (taken once) to dark red (the most taken), on a log scale.
std::string heat_color(uint64_t hits, uint64_t max_hits) {
  const double t =
      max_hits <= 1 ? 1.0
                    : std::log(static_cast<double>(hits)) / std::log(static_cast<double>(max_hits));
  const int green = static_cast<int>(200.0 * (1.0 - t));
  const int red = 255 - static_cast<int>(90.0 * t);
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x20", red, green);
  return buf;
}

}  // namespace

std::string state_diagram_dot(const StateCoverage& coverage,
                              const std::set<std::pair<State, State>>& allowed,
                              const std::string& title) {
  uint64_t max_hits = 1;
  for (const auto& [edge, hits] : coverage.transition_hits()) max_hits = std::max(max_hits, hits);
  std::ostringstream o;
  o << "digraph tcp_states {\n"
    << "  label=\"" << title << "\"; labelloc=t; rankdir=TB;\n"
    << "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n"
    << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (size_t i = 0; i < netstack::tcp::kStateCount; ++i) {
    const auto s = static_cast<State>(i);
    o << "  " << node(s) << " [fillcolor=\"" << (coverage.reached(s) ? "#cfe8ff" : "#e0e0e0")
      << "\"" << (coverage.reached(s) ? "" : ", fontcolor=\"#808080\"") << "];\n";
  }
  std::set<std::pair<State, State>> edges = allowed;
  for (const auto& [edge, hits] : coverage.transition_hits()) edges.insert(edge);
  for (const auto& [from, to] : edges) {
    const auto hit = coverage.transition_hits().find({from, to});
    o << "  " << node(from) << " -> " << node(to);
    if (hit == coverage.transition_hits().end()) {
      o << " [style=dashed, color=\"#a0a0a0\"];\n";
    } else if (!allowed.contains({from, to})) {
      // Cannot happen while the invariant checker runs; shown loudly if it does.
      o << " [color=\"#0000ff\", penwidth=3, label=\"" << hit->second << " (not allowed)\"];\n";
    } else {
      o << " [color=\"" << heat_color(hit->second, max_hits) << "\", penwidth=2, label=\""
        << hit->second << "\"];\n";
    }
  }
  o << "}\n";
  return o.str();
}

}  // namespace tcpfuzz::harness
