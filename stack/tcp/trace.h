// Tracer: sees every event of the TCP layer. Invariant checks, state
// coverage, `tcpfuzz replay --trace` and property tests hang off it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"
#include "stack/tcp/socket_types.h"
#include "stack/tcp/state.h"
#include "stack/time/clock.h"

namespace netstack::tcp {

using EndpointId = uint32_t;
inline constexpr EndpointId kNoEndpoint = 0;  // e.g. a RST for a segment that matched nothing

// What the TCP layer did with one inbound segment.
enum class Verdict : uint8_t {
  kAccepted,         // processed (may have carried data, ACK, FIN)
  kOutOfWindow,      // unacceptable sequence number: ACK sent (or rate-limited), dropped
  kChallengeAck,     // RFC 5961: in-window RST/SYN, answered with a challenge ACK
  kResetAccepted,    // RST that closed or refused the connection
  kResetIgnored,     // RST that failed the acceptance test silently
  kBadAck,           // unacceptable ACK: RST sent (unsynchronized states)
  kAckOfUnsentData,  // ACK beyond SND.NXT in a synchronized state: dropped (Linux)
  kOldAck,           // ACK too old (RFC 5961 5.2): challenge ACK, dropped
  kPawsRejected,     // RFC 7323 PAWS: older timestamp, ACK sent, dropped
  kNoAck,            // no ACK bit in a synchronized state: dropped
  kSynQueued,        // listener: SYN accepted, SYN-ACK sent
  kSynCookie,        // listener: SYN answered with a SYN cookie
  kCookieAccepted,   // listener: ACK carried a valid SYN cookie
  kListenDropped,    // listener: queue full, bad flags, or invalid cookie
  kDeferredAck,      // TCP_DEFER_ACCEPT: bare ACK dropped
  kTimeWaitReused,   // TIME-WAIT: new SYN handed to a listener
  kNoConnection,     // nothing matched: RST sent unless the segment was a RST
  kDropped,          // dropped for another reason the counters name
};
inline constexpr size_t kVerdictCount = 18;
std::string_view to_string(Verdict v);

enum class TimerKind : uint8_t {
  kRetransmit,
  kDelayedAck,
  kKeepalive,
  kTimeWait,
  kFinWait2,
  kPersist,
  kDeferAccept,
  kReorder,
};
std::string_view to_string(TimerKind k);

// An outbound segment as the stack emitted it.
struct SegmentOut {
  const header::TcpHeader& tcp;  // options raw bytes included
  const header::TcpOptions& options;
  std::span<const uint8_t> payload;
};

// What a socket call carried that an observer may judge: the bytes a read
// returned or a write took, the option a setsockopt set (`value` is also
// shutdown()'s ShutdownHow).
struct CallArgs {
  std::span<const uint8_t> bytes{};
  std::optional<SockOpt> option{};
  int value = 0;
};

class Tracer {
 public:
  virtual ~Tracer() = default;
  virtual void on_segment_in(Instant, EndpointId, State, const header::TcpHeader&,
                             size_t /*payload*/, Verdict) {}
  virtual void on_segment_out(Instant, EndpointId, State, const SegmentOut&) {}
  virtual void on_transition(Instant, EndpointId, State /*from*/, State /*to*/,
                             std::string_view /*cause*/) {}
  virtual void on_timer(Instant, EndpointId, State, TimerKind) {}
  // An API call and its result: >= 0 on success (a count or an id), -errno on failure.
  virtual void on_socket_call(Instant, EndpointId, State /*after*/, std::string_view /*call*/,
                              long /*result*/, const CallArgs& /*args*/) {}
};

}  // namespace netstack::tcp
