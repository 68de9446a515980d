// Types of the socket-like API: options, poll events, shutdown modes and the
// TCP_INFO-like snapshot. Errors are Linux errno values (<cerrno>), never
// exceptions, so scripts can compare them with packetdrill's expectations.
#pragma once

#include <cerrno>
#include <cstdint>

#include "stack/tcp/state.h"
#include "stack/time/clock.h"

namespace netstack::tcp {

using Errno = int;  // 0 or a positive errno value

enum class SockOpt : uint8_t {
  kNoDelay,           // TCP_NODELAY
  kCork,              // TCP_CORK
  kKeepAlive,         // SO_KEEPALIVE
  kKeepIdle,          // TCP_KEEPIDLE (seconds)
  kKeepIntvl,         // TCP_KEEPINTVL (seconds)
  kKeepCnt,           // TCP_KEEPCNT
  kUserTimeout,       // TCP_USER_TIMEOUT (milliseconds, 0 = off)
  kDeferAccept,       // TCP_DEFER_ACCEPT (seconds)
  kMaxSeg,            // TCP_MAXSEG
  kLinger2,           // TCP_LINGER2 (seconds; <0 = no FIN-WAIT-2 linger)
  kLinger,            // SO_LINGER (seconds; -1 = off)
  kRcvBuf,            // SO_RCVBUF
  kSndBuf,            // SO_SNDBUF
  kError,             // SO_ERROR (read-only, clears the pending error)
  kReuseAddr,         // SO_REUSEADDR
  kInq,               // TCP_INQ: reads report the bytes left (Endpoint::inq_hint())
  kZerocopy,          // SO_ZEROCOPY: MSG_ZEROCOPY writes queue completion notifications
  kMark,              // SO_MARK (kept; the stack has no routing it would steer)
  kFastOpen,          // TCP_FASTOPEN (a listener's queue of pending Fast Open children)
  kFastOpenConnect,   // TCP_FASTOPEN_CONNECT
  kFastOpenNoCookie,  // TCP_FASTOPEN_NO_COOKIE
  kSynCnt,            // TCP_SYNCNT (SYN retransmissions before the connect fails)
  kNotSentLowat,      // TCP_NOTSENT_LOWAT (0: net.ipv4.tcp_notsent_lowat applies)
  kTimestamping,      // SO_TIMESTAMPING (SOF_TIMESTAMPING_* flags)
  kOobInline,         // SO_OOBINLINE: the urgent byte stays in the stream
  kFreeBind,          // IP_FREEBIND (kept; binding checks no address)
};

// The sender's loss-recovery state, with Linux's TCP_CA_* values (tcpi_ca_state).
enum class CaState : uint8_t { kOpen = 0, kDisorder = 1, kCwr = 2, kRecovery = 3, kLoss = 4 };

enum class ShutdownHow : uint8_t { kRead, kWrite, kBoth };

// poll() bits with Linux's values.
namespace poll_event {
inline constexpr uint32_t kIn = 0x001;
inline constexpr uint32_t kPri = 0x002;
inline constexpr uint32_t kOut = 0x004;
inline constexpr uint32_t kErr = 0x008;
inline constexpr uint32_t kHup = 0x010;
inline constexpr uint32_t kRdNorm = 0x040;
inline constexpr uint32_t kWrNorm = 0x100;
inline constexpr uint32_t kRdHup = 0x2000;
}  // namespace poll_event

// How many times the endpoint woke its waiters, by the wake-up's kind, as
// Linux's socket callbacks do: sk_data_ready (readable), sk_write_space
// (writable), sk_error_report (error) and sk_state_change (state: wakes
// every waiter whatever it waits for). Edge-triggered epoll reports a
// descriptor again only after a wake-up its events match.
struct Wakeups {
  uint64_t readable = 0;
  uint64_t writable = 0;
  uint64_t error = 0;
  uint64_t state = 0;
  bool operator==(const Wakeups&) const = default;
};

struct TcpInfo {
  State state = State::kClosed;
  uint32_t snd_una = 0;
  uint32_t snd_nxt = 0;
  uint32_t snd_max = 0;
  uint32_t rcv_nxt = 0;
  uint32_t snd_wnd = 0;
  uint32_t rcv_wnd = 0;
  uint32_t snd_mss = 0;
  uint32_t rcv_mss = 0;   // the peer's segment size as measured (Linux icsk_ack.rcv_mss)
  uint32_t advmss = 0;    // the MSS we advertised
  uint32_t probes = 0;    // zero-window or keepalive probes without answer
  uint32_t backoff = 0;   // RTO doublings in force
  uint32_t cwnd = 0;      // segments
  uint32_t ssthresh = 0;  // segments
  CaState ca_state = CaState::kOpen;
  uint32_t unacked = 0;     // segments in flight, SACKed or not (tcpi_unacked)
  uint32_t sacked = 0;      // tcpi_sacked
  uint32_t lost = 0;        // tcpi_lost
  uint32_t retrans = 0;     // retransmissions in flight (tcpi_retrans)
  uint32_t reordering = 0;  // tcpi_reordering
  Duration min_rtt{0};
  Duration rto{0};
  Duration srtt{0};
  uint32_t retransmits = 0;        // consecutive timeouts of the current RTO
  uint64_t total_retransmits = 0;  // segments retransmitted
  uint8_t snd_wscale = 0;
  uint8_t rcv_wscale = 0;
  bool timestamps = false;
  bool sack = false;
  size_t send_queue_bytes = 0;  // written, not yet acknowledged
  size_t readable_bytes = 0;
  size_t reassembly_bytes = 0;
  bool syn_data = false;       // TCPI_OPT_SYN_DATA: Fast Open data in the SYN was acknowledged
  uint32_t delivered = 0;      // segments delivered, the SYN or SYN-ACK included (tcpi_delivered)
  Duration last_data_recv{0};  // since data last arrived (or the connection did)
};

}  // namespace netstack::tcp
