#include "fuzz/import/flows.h"

#include <map>
#include <tuple>

#include "stack/header/tcp.h"

namespace tcpfuzz::import {

namespace {

namespace flag = netstack::header::tcp_flag;

struct Endpoint {
  netstack::IpAddress address;
  uint16_t port = 0;
  auto operator<=>(const Endpoint&) const = default;
};

// The same key for both directions.
std::pair<Endpoint, Endpoint> tuple_of(const CapturedSegment& s) {
  Endpoint a{s.src, s.src_port};
  Endpoint b{s.dst, s.dst_port};
  return a < b ? std::pair{a, b} : std::pair{b, a};
}

std::string endpoint(const netstack::IpAddress& a, uint16_t port) {
  const std::string host = a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
  return host + ":" + std::to_string(port);
}

}  // namespace

std::vector<Flow> split_flows(std::vector<CapturedSegment> segments) {
  struct Open {
    size_t flow = 0;
    bool ended = false;
  };
  std::vector<Flow> flows;
  std::map<std::pair<Endpoint, Endpoint>, Open> open;
  for (CapturedSegment& s : segments) {
    const auto key = tuple_of(s);
    auto it = open.find(key);
    const bool syn_only = (s.flags & (flag::kSyn | flag::kAck)) == flag::kSyn;
    if (it == open.end() || (it->second.ended && syn_only)) {
      flows.push_back(Flow{.index = flows.size() + 1, .segments = {}});
      it = open.insert_or_assign(key, Open{flows.size() - 1}).first;
    }
    if ((s.flags & (flag::kFin | flag::kRst)) != 0) it->second.ended = true;
    flows[it->second.flow].segments.push_back(std::move(s));
  }
  return flows;
}

bool Flow::ended() const {
  if (segments.empty()) return false;
  const CapturedSegment& first = segments.front();
  bool fin_out = false;
  bool fin_in = false;
  for (const CapturedSegment& s : segments) {
    if ((s.flags & flag::kRst) != 0) return true;
    if ((s.flags & flag::kFin) == 0) continue;
    const bool out = s.src == first.src && s.src_port == first.src_port;
    (out ? fin_out : fin_in) = true;
  }
  return fin_out && fin_in;
}

std::string describe(const Flow& flow) {
  if (flow.segments.empty()) return "empty flow";
  const CapturedSegment& s = flow.segments.front();
  return endpoint(s.src, s.src_port) + " > " + endpoint(s.dst, s.dst_port);
}

}  // namespace tcpfuzz::import
