#include "fuzz/scenario/nstat.h"

namespace tcpfuzz::scenario {

MibCounters mib_counters(const netstack::tcp::TcpStats& tcp) {
  // Linux's names (include/uapi/linux/snmp.h as nstat prints them).
  return MibCounters{
      {"TcpActiveOpens", tcp.active_opens},
      {"TcpPassiveOpens", tcp.passive_opens},
      {"TcpExtOutOfWindowIcmps", tcp.icmp_out_of_window},
      {"TcpExtListenOverflows", tcp.listen_overflows},
      // LINUX_MIB_LISTENDROPS counts overflows and requests dropped for ICMP.
      {"TcpExtListenDrops", tcp.listen_overflows + tcp.icmp_request_drops},
      {"TcpExtSyncookiesSent", tcp.syncookies_sent},
      {"TcpExtSyncookiesRecv", tcp.syncookies_accepted},
      {"TcpExtSyncookiesFailed", tcp.syncookies_failed},
      {"TcpExtTCPChallengeACK", tcp.challenge_acks},
      {"TcpExtTCPAbortOnData", tcp.aborts_on_data},
      {"TcpExtTCPMD5Unexpected", tcp.md5_unexpected},
  };
}

std::optional<bool> Nstat::lists(const MibCounters& now, std::string_view name) const {
  const auto it = now.find(name);
  if (it == now.end()) return std::nullopt;
  const auto before = history_.find(name);
  return it->second != (before == history_.end() ? 0 : before->second);
}

}  // namespace tcpfuzz::scenario
