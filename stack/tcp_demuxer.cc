#include "stack/tcp_demuxer.h"

#include <array>

namespace netstack {

IpAddress any_address(IpAddress::Family family) {
  if (family == IpAddress::Family::kV6) return IpAddress::v6(std::array<uint8_t, 16>{});
  return IpAddress::v4(0u);
}

bool TcpDemuxer::add_connection(const FourTuple& t, SegmentHandler* h) {
  if (!connections_.emplace(t, h).second) return false;
  ++connection_ports_[t.local_port];
  return true;
}

bool TcpDemuxer::remove_connection(const FourTuple& t) {
  if (connections_.erase(t) == 0) return false;
  auto it = connection_ports_.find(t.local_port);
  if (--it->second == 0) connection_ports_.erase(it);
  return true;
}

bool TcpDemuxer::add_listener(const IpAddress& local, uint16_t port, SegmentHandler* h) {
  return listeners_.emplace(ListenKey{local, port}, h).second;
}

bool TcpDemuxer::remove_listener(const IpAddress& local, uint16_t port) {
  return listeners_.erase(ListenKey{local, port}) != 0;
}

SegmentHandler* TcpDemuxer::find_connection(const FourTuple& t) const {
  auto it = connections_.find(t);
  return it == connections_.end() ? nullptr : it->second;
}

SegmentHandler* TcpDemuxer::find_listener(const IpAddress& local, uint16_t port) const {
  if (auto it = listeners_.find({local, port}); it != listeners_.end()) return it->second;
  if (auto it = listeners_.find({wildcard_of(local), port}); it != listeners_.end()) {
    return it->second;
  }
  return nullptr;
}

SegmentHandler* TcpDemuxer::find(const FourTuple& t) const {
  if (SegmentHandler* h = find_connection(t)) return h;
  return find_listener(t.local_address, t.local_port);
}

bool TcpDemuxer::port_in_use(const IpAddress& local, uint16_t port, bool reuse_addr) const {
  if (connection_ports_.contains(port)) {
    if (!reuse_addr) return true;
    // Rare (a bind with SO_REUSEADDR to a port with connections): a scan.
    for (const auto& [tuple, h] : connections_) {
      if (tuple.local_port == port && !h->allows_port_reuse()) return true;
    }
  }
  if (local.is_unspecified()) {
    for (const auto& [key, h] : listeners_) {
      if (key.port == port && key.address.family() == local.family()) return true;
    }
    return false;
  }
  return find_listener(local, port) != nullptr;
}

}  // namespace netstack
