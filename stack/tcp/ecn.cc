// Explicit Congestion Notification (RFC 3168) as Linux's classic ECN does
// it (tcp_ecn_send_syn(), tcp_ecn_rcv_synack(), tcp_ecn_create_request(),
// tcp_ecn_check_ce(), tcp_ecn_accept_cwr(), tcp_ecn_send(), tcp_enter_cwr()):
// negotiated on the handshake, new data goes out ECT(0), a CE mark is echoed
// with ECE until the sender's CWR, and an echoed mark reduces the window
// once per round trip (LossRecovery's CWR state).
#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

namespace {

constexpr uint8_t kNotEct = 0;
constexpr uint8_t kEct0 = 2;
constexpr uint8_t kCe = 3;

}  // namespace

uint8_t Endpoint::ecn_syn_flags() {
  // net.ipv4.tcp_ecn=1: active opens ask for ECN with ECE and CWR.
  ecn_requested_ = protocol_.config().ecn == 1;
  return ecn_requested_ ? static_cast<uint8_t>(kEce | kCwr) : uint8_t{0};
}

void Endpoint::ecn_on_synack(const Segment& s) {
  // RFC 3168 6.1.1: the SYN-ACK agrees with ECE alone.
  ecn_ok_ = ecn_requested_ && s.has(kEce) && !s.has(kCwr);
}

void Endpoint::ecn_on_simultaneous_syn(const Segment& s) {
  ecn_ok_ = ecn_requested_ && s.has(kEce) && s.has(kCwr);
}

void Endpoint::ecn_on_passive_syn(const Segment& syn) {
  // Linux tcp_ecn_create_request(): any tcp_ecn but 0 accepts a SYN with
  // ECE and CWR that is not itself ECN-marked (a marked SYN means some box
  // rewrites the field).
  ecn_ok_ = protocol_.config().ecn != 0 && syn.has(kEce) && syn.has(kCwr) &&
            (syn.wire.tos & 0x3) == kNotEct;
}

void Endpoint::ecn_on_data(const Segment& s) {
  if (!ecn_ok_ || s.payload.empty()) return;
  // The sender reduced its window: stop echoing, and ACK at once since its
  // window may be one segment.
  if (s.has(kCwr)) {
    ecn_demand_cwr_ = false;
    enter_quickack_mode();
  }
  switch (s.wire.tos & 0x3) {
    case kNotEct:
      // Linux: after ECT was seen, an unmarked segment is probably a
      // retransmission: ACK it quickly.
      if (ecn_seen_) enter_quickack_mode();
      break;
    case kCe:
      if (!ecn_demand_cwr_) {
        enter_quickack_mode();
        ecn_demand_cwr_ = true;
      }
      ecn_seen_ = true;
      break;
    default:
      ecn_seen_ = true;
      break;
  }
}

bool Endpoint::ecn_echoed(const Segment& s) const {
  return ecn_ok_ && s.has(kEce) && !s.has(kSyn);
}

uint8_t Endpoint::ecn_on_send(uint8_t* flags, bool new_data) {
  if (!ecn_ok_ || (*flags & kSyn) != 0) return kNotEct;
  uint8_t tos = kNotEct;
  if (new_data) {
    tos = kEct0;
    if (recovery_.take_cwr_request()) *flags |= kCwr;
  }
  if (ecn_demand_cwr_) *flags |= kEce;
  return tos;
}

}  // namespace netstack::tcp
