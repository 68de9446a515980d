#include "stack/tcp/protocol.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "stack/header/tcp_packet.h"

namespace netstack::tcp {

Protocol::Protocol(Stack& stack, Config config)
    : stack_(stack), config_(config), isn_(stack.seed()) {
  stack_.set_unmatched_segment_handler(this);
  // The ephemeral search starts at a seeded offset, as Linux's port
  // selection starts at a hashed one: reproducible, but not always the same.
  const uint32_t range = config_.ephemeral_high - config_.ephemeral_low + 1u;
  next_ephemeral_offset_ = static_cast<uint16_t>(stack_.rng().below(range));
}

Protocol::~Protocol() {
  stack_.set_unmatched_segment_handler(nullptr);
  // Endpoints look up their listener as they go; the map is being emptied,
  // so detach them first.
  for (auto& [id, ep] : endpoints_) ep->listener_ = kNoEndpoint;
  endpoints_.clear();
}

Endpoint& Protocol::create(IpAddress::Family family) {
  const EndpointId id = next_id_++;
  auto ep = std::make_unique<Endpoint>(*this, id, family);
  Endpoint& ref = *ep;
  endpoints_.emplace(id, std::move(ep));
  return ref;
}

EndpointId Protocol::open(IpAddress::Family family) {
  reap();
  return create(family).id();
}

Endpoint* Protocol::find(EndpointId id) {
  auto it = endpoints_.find(id);
  return it == endpoints_.end() ? nullptr : it->second.get();
}

const Endpoint* Protocol::find(EndpointId id) const {
  auto it = endpoints_.find(id);
  return it == endpoints_.end() ? nullptr : it->second.get();
}

Endpoint* Protocol::find_listener(const IpAddress& local, uint16_t port) {
  // Only endpoints register as listeners (Endpoint::listen_impl()).
  return static_cast<Endpoint*>(stack_.tcp_demuxer().find_listener(local, port));
}

ListenQueue* Protocol::listen_queue(EndpointId listener) {
  Endpoint* l = find(listener);
  return l == nullptr ? nullptr : &l->listen_queue_;
}

void Protocol::reap() {
  std::vector<EndpointId> dead;
  for (const auto& [id, ep] : endpoints_) {
    if (ep->reapable()) dead.push_back(id);
  }
  for (EndpointId id : dead) endpoints_.erase(id);
}

bool Protocol::allocation_fails(AllocationSite site) {
  if (allocation_faults_ == nullptr || !allocation_faults_->fail(site)) return false;
  ++stats_.allocation_failures;
  return true;
}

void Protocol::report_invariant_failure(const std::string& report) {
  if (on_invariant_failure_) {
    on_invariant_failure_(report);
    return;
  }
  std::fprintf(stderr, "tcpfuzz: TCP invariant violated\n%s\n", report.c_str());
  std::abort();
}

std::optional<uint16_t> Protocol::ephemeral_port(const IpAddress& local) {
  const uint32_t range = config_.ephemeral_high - config_.ephemeral_low + 1u;
  for (uint32_t i = 0; i < range; ++i) {
    const auto port =
        static_cast<uint16_t>(config_.ephemeral_low + (next_ephemeral_offset_ + i) % range);
    if (!stack_.tcp_demuxer().port_in_use(local, port)) {
      // Linux steps by 2 from the hashed offset; stepping by one keeps the
      // choice reproducible and collision-checked, which is what matters.
      next_ephemeral_offset_ = static_cast<uint16_t>((next_ephemeral_offset_ + i + 1) % range);
      return port;
    }
  }
  return std::nullopt;
}

void Protocol::handle_segment(InboundSegment& in) {
  ++stats_.segments_received;
  send_reset_reply(in, kNoEndpoint, State::kClosed);
  // Traced once answered (the RST), as every segment is.
  if (tracer_ != nullptr) {
    tracer_->on_segment_in(stack_.clock().now(), kNoEndpoint, State::kClosed, in.tcp,
                           in.payload.size(), Verdict::kNoConnection);
  }
}

void Protocol::send_reset_reply(const InboundSegment& in, EndpointId from, State state) {
  using namespace header::tcp_flag;
  if (in.tcp.has(kRst)) return;
  // Linux tcp_v4_send_reset(): a reply to a signed segment needs the key
  // to sign it; without one, none goes.
  if (header::parse_tcp_options(in.tcp.options).md5_signature) return;
  header::TcpPacketSpec spec;
  spec.src = in.tuple.local_address;
  spec.dst = in.tuple.remote_address;
  spec.tcp.src_port = in.tuple.local_port;
  spec.tcp.dst_port = in.tuple.remote_port;
  if (in.tcp.has(kAck)) {
    // <SEQ=SEG.ACK><CTL=RST>
    spec.tcp.seq = in.tcp.ack;
    spec.tcp.flags = kRst;
  } else {
    // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
    uint32_t len = static_cast<uint32_t>(in.payload.size());
    if (in.tcp.has(kSyn)) ++len;
    if (in.tcp.has(kFin)) ++len;
    spec.tcp.seq = 0;
    spec.tcp.ack = in.tcp.seq + len;
    spec.tcp.flags = kRst | kAck;
  }
  View packet = header::build_tcp_packet(spec);
  ++stats_.resets_sent;
  ++stats_.segments_sent;
  if (tracer_ != nullptr) {
    const header::TcpOptions none;
    tracer_->on_segment_out(stack_.clock().now(), from, state, SegmentOut{spec.tcp, none, {}});
  }
  stack_.send(std::move(packet), spec.src);
}

std::array<uint32_t, 4> Protocol::fast_open_key() const {
  if (config_.fastopen_key_set) return config_.fastopen_key;
  std::array<uint32_t, 4> key{};
  for (uint32_t i = 0; i < key.size(); ++i) key[i] = isn_.keyed_hash(FourTuple{}, 0x74666f00u + i);
  return key;
}

}  // namespace netstack::tcp
