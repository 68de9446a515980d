#include "stack/stack.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "stack/header/ip.h"
#include "stack/header/tcp.h"

namespace netstack {

class Stack::Nic final : public PacketReceiver {
 public:
  Nic(Stack& stack, NicId id, Link& link) : stack_(stack), id_(id), link_(link) {}
  void receive(View packet) override { stack_.deliver(id_, std::move(packet)); }

  Link& link() { return link_; }
  const Link& link() const { return link_; }
  // 0: the link's own.
  uint32_t mtu() const { return mtu_; }
  void set_mtu(uint32_t mtu) { mtu_ = mtu; }
  std::vector<IpAddress>& addresses() { return addresses_; }
  const std::vector<IpAddress>& addresses() const { return addresses_; }
  bool owns(const IpAddress& a) const {
    return std::ranges::find(addresses_, a) != addresses_.end();
  }

 private:
  Stack& stack_;
  NicId id_;
  Link& link_;
  uint32_t mtu_ = 0;
  std::vector<IpAddress> addresses_;
};

Stack::Stack(Clock& clock, StackOptions options)
    : clock_(clock), options_(options), rng_(options.seed) {}

Stack::~Stack() = default;

NicId Stack::add_nic(Link& link) {
  const auto id = static_cast<NicId>(nics_.size());
  nics_.push_back(std::make_unique<Nic>(*this, id, link));
  return id;
}

PacketReceiver& Stack::nic_receiver(NicId id) {
  return *nics_.at(id);
}

void Stack::add_address(NicId id, const IpAddress& address) {
  nics_.at(id)->addresses().push_back(address);
}

bool Stack::is_local_address(const IpAddress& address) const {
  return nic_for(address).has_value();
}

std::optional<IpAddress> Stack::first_address(IpAddress::Family family) const {
  for (const auto& nic : nics_) {
    for (const IpAddress& a : nic->addresses()) {
      if (a.family() == family) return a;
    }
  }
  return std::nullopt;
}

std::optional<NicId> Stack::nic_for(const IpAddress& local) const {
  for (NicId id = 0; id < nics_.size(); ++id) {
    if (nics_[id]->owns(local)) return id;
  }
  return std::nullopt;
}

uint32_t Stack::mtu(NicId id) const {
  const Nic& nic = *nics_.at(id);
  return nic.mtu() != 0 ? nic.mtu() : nic.link().mtu();
}

void Stack::set_mtu(NicId id, uint32_t mtu) {
  nics_.at(id)->set_mtu(mtu);
}

void Stack::deliver(NicId id, View packet) {
  ++stats_.ip_received;
  const std::span<const uint8_t> bytes = packet.bytes();
  if (bytes.empty()) {
    ++stats_.ip_malformed;
    return;
  }
  const uint8_t version = bytes[0] >> 4;
  if (version == 4) {
    auto ip = header::parse_ipv4(bytes);
    if (!ip) {
      ++(ip.error() == header::IpError::kBadChecksum ? stats_.ip_bad_checksum
                                                     : stats_.ip_malformed);
      return;
    }
    // No reassembly: Linux would reassemble, but a TCP stack that sets DF and
    // clamps MSS to the MTU never needs it, and fragments are a separate
    // attack surface this project does not model.
    if (ip->header.is_fragment()) {
      ++stats_.ip_fragments_dropped;
      return;
    }
    if (ip->header.protocol == header::kProtocolIcmp) {
      deliver_icmp_error(id, ip->header.dst, header::parse_icmp_error_v4(ip->payload));
      return;
    }
    if (ip->header.protocol != header::kProtocolTcp) {
      ++stats_.ip_unknown_protocol;
      return;
    }
    deliver_tcp(id, std::move(packet), ip->payload, ip->header.src, ip->header.dst, ip->header.tos);
    return;
  }
  if (version == 6) {
    auto ip = header::parse_ipv6(bytes);
    if (!ip) {
      ++stats_.ip_malformed;
      return;
    }
    if (header::is_ipv6_extension_header(ip->header.next_header)) {
      ++stats_.ip_v6_extension_dropped;
      return;
    }
    if (ip->header.next_header == header::kProtocolIcmpv6) {
      deliver_icmp_error(id, ip->header.dst,
                         header::parse_icmp_error_v6(ip->payload, ip->header.src, ip->header.dst));
      return;
    }
    if (ip->header.next_header != header::kProtocolTcp) {
      ++stats_.ip_unknown_protocol;
      return;
    }
    deliver_tcp(id, std::move(packet), ip->payload, ip->header.src, ip->header.dst,
                ip->header.traffic_class);
    return;
  }
  ++stats_.ip_malformed;
}

void Stack::deliver_tcp(NicId id, View packet, std::span<const uint8_t> segment,
                        const IpAddress& src, const IpAddress& dst, uint8_t tos) {
  if (!nics_.at(id)->owns(dst)) {
    ++stats_.ip_not_for_us;
    return;
  }
  auto tcp = header::parse_tcp(segment);
  if (!tcp) {
    ++stats_.tcp_malformed;
    return;
  }
  if (!header::verify_tcp_checksum(segment, src, dst)) {
    ++stats_.tcp_bad_checksum;
    return;
  }
  // RFC 1122 section 4.2.3.10: segments from broadcast, multicast or
  // unspecified sources are discarded (IPv4 limited broadcast, 224/4, ff00::/8).
  const auto s = src.bytes();
  const bool bad_source =
      src.is_unspecified() || (src.is_v4() && (s[0] >= 224)) || (src.is_v6() && s[0] == 0xff);
  if (bad_source) {
    ++stats_.tcp_invalid_address;
    return;
  }
  ++stats_.tcp_received;

  InboundSegment in;
  in.nic = id;
  in.tuple = FourTuple{dst, tcp->header.dst_port, src, tcp->header.src_port};
  in.tcp = tcp->header;
  in.tos = tos;
  const auto payload_offset = static_cast<size_t>(tcp->payload.data() - packet.bytes().data());
  in.payload = packet.slice(payload_offset, tcp->payload.size());
  in.packet = std::move(packet);

  if (SegmentHandler* h = demuxer_.find(in.tuple)) {
    h->handle_segment(in);
    return;
  }
  ++stats_.tcp_no_port;
  if (unmatched_ != nullptr) unmatched_->handle_segment(in);
}

void Stack::deliver_icmp_error(NicId id, const IpAddress& dst,
                               const std::optional<header::IcmpError>& message) {
  // Only errors quoting a segment of one of our connections are acted on
  // (Linux icmp_unreach() -> tcp_v4_err()); the rest is counted and dropped.
  if (!message || !nics_.at(id)->owns(dst) || !(message->src == dst)) {
    ++stats_.icmp_ignored;
    return;
  }
  const FourTuple quoted{message->src, message->src_port, message->dst, message->dst_port};
  SegmentHandler* h = demuxer_.find_connection(quoted);
  if (h == nullptr) {
    ++stats_.icmp_ignored;
    return;
  }
  ++(message->is_packet_too_big() ? stats_.icmp_packet_too_big : stats_.icmp_errors);
  h->handle_icmp_error(*message);
}

bool Stack::send(View packet, const IpAddress& src) {
  const std::optional<NicId> id = nic_for(src);
  if (!id) {
    ++stats_.ip_send_no_route;
    return false;
  }
  Link& link = nics_[*id]->link();
  if (packet.size() > mtu(*id)) {
    ++stats_.ip_send_too_big;
    return false;
  }
  ++stats_.ip_sent;
  link.send(std::move(packet));
  return true;
}

}  // namespace netstack
