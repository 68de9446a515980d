// Stack-wide TCP configuration. Defaults are Linux's (the `linux` profile),
// each named after the sysctl or constant it mirrors.
#pragma once

#include <array>
#include <cstdint>

#include "stack/tcp/congestion_control.h"
#include "stack/tcp/rtt_estimator.h"
#include "stack/time/clock.h"

namespace netstack::tcp {

struct Config {
  bool sack = true;            // net.ipv4.tcp_sack
  bool timestamps = true;      // net.ipv4.tcp_timestamps
  bool window_scaling = true;  // net.ipv4.tcp_window_scaling
  bool syncookies = true;      // net.ipv4.tcp_syncookies=1: only when the SYN queue overflows

  uint32_t syn_retries = 6;          // net.ipv4.tcp_syn_retries
  uint32_t syn_linear_timeouts = 4;  // net.ipv4.tcp_syn_linear_timeouts (Linux 6.x)
  uint32_t synack_retries = 5;       // net.ipv4.tcp_synack_retries
  uint32_t retries2 = 15;            // net.ipv4.tcp_retries2
  uint32_t max_syn_backlog = 4096;   // net.ipv4.tcp_max_syn_backlog

  uint32_t rmem_default = 131072;  // net.ipv4.tcp_rmem[1]
  uint32_t rmem_max = 6291456;     // net.ipv4.tcp_rmem[2]
  // net.core.rmem_max (Linux 6.18's default). Global, not per network
  // namespace, so scripts cannot set it; only the window scale reads it.
  uint32_t core_rmem_max = 4194304;
  uint32_t wmem_default = 16384;  // net.ipv4.tcp_wmem[1]
  uint32_t wmem_max = 4194304;    // net.ipv4.tcp_wmem[2]
  // net.ipv4.tcp_notsent_lowat: how many unsent bytes a socket may hold
  // before it stops being writable (UINT_MAX: no limit, Linux's default).
  uint32_t notsent_lowat = UINT32_MAX;
  // The link's gso_max_segs (`ip link set dev tun0 gso_max_segs N`): the
  // most segments a send-queue skb holds (Linux GSO_MAX_SEGS by default).
  uint32_t gso_max_segs = 65535;

  Duration time_wait = std::chrono::seconds(60);              // TCP_TIMEWAIT_LEN (2*MSL)
  Duration fin_timeout = std::chrono::seconds(60);            // net.ipv4.tcp_fin_timeout
  Duration keepalive_time = std::chrono::seconds(7200);       // net.ipv4.tcp_keepalive_time
  Duration keepalive_intvl = std::chrono::seconds(75);        // net.ipv4.tcp_keepalive_intvl
  uint32_t keepalive_probes = 9;                              // net.ipv4.tcp_keepalive_probes
  Duration delayed_ack_min = std::chrono::milliseconds(40);   // TCP_DELACK_MIN
  Duration delayed_ack_max = std::chrono::milliseconds(200);  // TCP_DELACK_MAX
  Duration oow_rate_limit = std::chrono::milliseconds(500);   // net.ipv4.tcp_invalid_ratelimit
  RtoBounds rto;

  uint32_t initial_cwnd = 10;         // RFC 6928, Linux TCP_INIT_CWND
  uint32_t reordering = 3;            // net.ipv4.tcp_reordering (the duplicate threshold)
  uint32_t max_reordering = 300;      // net.ipv4.tcp_max_reordering
  bool slow_start_after_idle = true;  // net.ipv4.tcp_slow_start_after_idle
  bool frto = true;                   // net.ipv4.tcp_frto (Linux's default 2: F-RTO with SACK)
  CongestionAlgorithm congestion_control =
      CongestionAlgorithm::kCubic;  // net.ipv4.tcp_congestion_control
  // net.ipv4.tcp_ecn: 0 off, 1 ask on active opens and accept, 2 (Linux's
  // default) accept only. AccECN's 3..5 are not modelled.
  uint32_t ecn = 2;
  // net.ipv4.tcp_fastopen (Linux's default 1: client only), its bits below.
  uint32_t fastopen = kFastOpenClient;
  static constexpr uint32_t kFastOpenClient = 0x1;                  // TFO_CLIENT_ENABLE
  static constexpr uint32_t kFastOpenServer = 0x2;                  // TFO_SERVER_ENABLE
  static constexpr uint32_t kFastOpenClientNoCookie = 0x4;          // TFO_CLIENT_NO_COOKIE
  static constexpr uint32_t kFastOpenServerNoCookie = 0x200;        // TFO_SERVER_COOKIE_NOT_REQD
  static constexpr uint32_t kFastOpenServerWithoutSockopt = 0x400;  // TFO_SERVER_WO_SOCKOPT1
  // net.ipv4.tcp_fastopen_key: the 128-bit SipHash key of server cookies,
  // as the four 32-bit words the sysctl writes ("%x-%x-%x-%x").
  std::array<uint32_t, 4> fastopen_key{};
  bool fastopen_key_set = false;   // Linux picks a random key on first use otherwise
  uint16_t ephemeral_low = 32768;  // net.ipv4.ip_local_port_range
  uint16_t ephemeral_high = 60999;
};

}  // namespace netstack::tcp
