// TcpDemuxer: finds who handles an inbound TCP segment. An exact 4-tuple
// match (a connection) wins over a listener bound to the destination
// address, which wins over a listener bound to the wildcard address of the
// same family (RFC 9293 section 3.3.2: a connection's full socket pair
// identifies it; a passive OPEN may leave the foreign socket unspecified).
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>

#include "stack/buffer/view.h"
#include "stack/header/address.h"
#include "stack/header/icmp.h"
#include "stack/header/tcp.h"

namespace netstack {

using NicId = uint32_t;

struct FourTuple {
  IpAddress local_address;
  uint16_t local_port = 0;
  IpAddress remote_address;
  uint16_t remote_port = 0;
  bool operator==(const FourTuple&) const = default;
};

struct FourTupleHash {
  size_t operator()(const FourTuple& t) const {
    size_t h = t.local_address.hash() * 31 + t.remote_address.hash();
    return h ^ (size_t{t.local_port} << 16 | t.remote_port) * 0x9e3779b97f4a7c15ULL;
  }
};

// A TCP segment that passed IP and TCP validation, addressed to this stack.
struct InboundSegment {
  NicId nic = 0;
  FourTuple tuple;  // from the receiver's point of view
  header::TcpHeader tcp;
  uint8_t tos = 0;  // the IP header's TOS byte / traffic class (its low bits: ECN)
  View payload;     // shares the received packet's storage
  View packet;      // the whole IP packet (options spans point into it)
};

class SegmentHandler {
 public:
  virtual ~SegmentHandler() = default;
  virtual void handle_segment(InboundSegment& segment) = 0;
  // An ICMP error quoting a segment this handler sent.
  virtual void handle_icmp_error(const header::IcmpError& error) { (void)error; }
  // Whether a socket bound with SO_REUSEADDR may share this connection's
  // local port.
  virtual bool allows_port_reuse() const { return false; }
};

class TcpDemuxer {
 public:
  bool add_connection(const FourTuple& t, SegmentHandler* h);
  bool remove_connection(const FourTuple& t);
  // local may be unspecified (v4 or v6 "any"); one listener per (address, port).
  bool add_listener(const IpAddress& local, uint16_t port, SegmentHandler* h);
  bool remove_listener(const IpAddress& local, uint16_t port);

  SegmentHandler* find(const FourTuple& t) const;
  SegmentHandler* find_connection(const FourTuple& t) const;
  SegmentHandler* find_listener(const IpAddress& local, uint16_t port) const;
  // Whether a listener or connection uses local port `port` on `local` (or on
  // a wildcard of its family, or `local` is a wildcard and anything uses it)
  // so that a bind there fails. With `reuse_addr` (SO_REUSEADDR), only a
  // listener or a connection that does not allow reuse counts (Linux
  // inet_bind_conflict(): both sockets reuse and the other is not listening).
  bool port_in_use(const IpAddress& local, uint16_t port, bool reuse_addr = false) const;

  size_t connection_count() const { return connections_.size(); }
  size_t listener_count() const { return listeners_.size(); }

 private:
  struct ListenKey {
    IpAddress address;
    uint16_t port = 0;
    bool operator==(const ListenKey&) const = default;
  };
  struct ListenKeyHash {
    size_t operator()(const ListenKey& k) const { return k.address.hash() ^ k.port; }
  };
  std::unordered_map<FourTuple, SegmentHandler*, FourTupleHash> connections_;
  std::unordered_map<ListenKey, SegmentHandler*, ListenKeyHash> listeners_;
  // Connections per local port, so port_in_use needs no scan.
  std::unordered_map<uint16_t, uint32_t> connection_ports_;
};

// The unspecified address of a family ("0.0.0.0" or "::").
IpAddress any_address(IpAddress::Family family);
inline IpAddress wildcard_of(const IpAddress& a) {
  return any_address(a.family());
}

}  // namespace netstack
