#include "fuzz/scenario/recvmsg_control.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

#include "fuzz/scenario/syscall_args.h"

namespace tcpfuzz::scenario {

namespace {

// The bytes each cmsg's data takes in Linux (x86-64): struct
// scm_timestamping (three timespecs); ip_recv_error()'s sock_extended_err
// followed by the offender's sockaddr_in; an int (TCP_CM_INQ).
constexpr size_t kScmTimestampingBytes = 48;
constexpr size_t kSockExtendedErrBytes = 16;
constexpr size_t kSockaddrInBytes = 16;
constexpr size_t kSockaddrIn6Bytes = 28;
constexpr size_t kIntBytes = 4;

size_t data_bytes(const Cmsg& c) {
  if (c.level == linux_constant("SOL_SOCKET") && c.type == linux_constant("SCM_TIMESTAMPING")) {
    return kScmTimestampingBytes;
  }
  if (c.type == linux_constant("CMSG_TYPE_RECVERR")) {
    return kSockExtendedErrBytes + kSockaddrInBytes;  // the runner's sockets are IPv4 here
  }
  return kIntBytes;
}

}  // namespace

std::vector<Cmsg> error_queue_cmsgs(const netstack::tcp::ErrorQueueEntry& entry) {
  const long level_ip = linux_constant("CMSG_LEVEL_IP");
  const long recverr = linux_constant("CMSG_TYPE_RECVERR");
  if (entry.origin == netstack::tcp::ErrorQueueEntry::Origin::kZerocopy) {
    // Linux __msg_zerocopy_callback(): one sock_extended_err per range.
    return {Cmsg{level_ip,
                 recverr,
                 {{"ee_errno", 0},
                  {"ee_origin", linux_constant("SO_EE_ORIGIN_ZEROCOPY")},
                  {"ee_type", 0},
                  {"ee_code", linux_constant("SO_EE_CODE_ZEROCOPY_COPIED")},
                  {"ee_info", entry.info},
                  {"ee_data", entry.data}}}};
  }
  // Linux __sock_recv_timestamp() then ip_recv_error(): the software time
  // (SCM_TIMESTAMPING; script time is the clock's), then the error. The
  // runner compares the time with the script's tolerance.
  const int64_t nanos = entry.stamp.nanos();
  return {Cmsg{linux_constant("SOL_SOCKET"),
               linux_constant("SCM_TIMESTAMPING"),
               {{"scm_sec", nanos / 1000000000}, {"scm_nsec", nanos % 1000000000}}},
          Cmsg{level_ip,
               recverr,
               {{"ee_errno", ENOMSG},
                {"ee_origin", linux_constant("SO_EE_ORIGIN_TIMESTAMPING")},
                {"ee_type", 0},
                {"ee_code", 0},
                {"ee_info", entry.info},
                {"ee_data", entry.data}}}};
}

size_t stated_control_bytes(const Expr* msg_control) {
  if (msg_control == nullptr || msg_control->kind != Expr::Kind::kArray) return 0;
  size_t bytes = 0;
  for (const Expr& cmsg : msg_control->elements) {
    size_t data = kIntBytes;
    for (size_t i = 0; i < cmsg.names.size(); ++i) {
      if (cmsg.names[i] != "cmsg_data") continue;
      const Expr& d = cmsg.elements[i];
      const auto named = [&d](std::string_view field) {
        return std::ranges::find(d.names, field) != d.names.end();
      };
      if (named("scm_sec") || named("scm_nsec")) {
        data = kScmTimestampingBytes;
      } else if (named("ee_errno") || named("ee_origin")) {
        // packetdrill adds a sockaddr_in at SOL_IP, a sockaddr_in6 elsewhere.
        const bool ip = struct_field(cmsg, "cmsg_level", -1) == linux_constant("SOL_IP");
        data = kSockExtendedErrBytes + (ip ? kSockaddrInBytes : kSockaddrIn6Bytes);
      }
    }
    bytes += CMSG_SPACE(data);
  }
  return bytes;
}

long control_truncation(std::span<const Cmsg> cmsgs, size_t control_bytes) {
  // Linux put_cmsg(): a cmsg whose CMSG_LEN() does not fit is cut to what
  // is left (MSG_CTRUNC), and the buffer advances by CMSG_SPACE().
  size_t left = control_bytes;
  for (const Cmsg& c : cmsgs) {
    const size_t data = data_bytes(c);
    if (left < CMSG_LEN(data)) return MSG_CTRUNC;
    left -= std::min<size_t>(left, CMSG_SPACE(data));
  }
  return 0;
}

ErrorQueueRead read_error_queue_entry(const netstack::tcp::ErrorQueueEntry& entry, size_t iov_bytes,
                                      size_t control_bytes) {
  // Linux ip_recv_error(): the skb's bytes up to the iovec's length
  // (MSG_TRUNC when more), the cmsgs, and MSG_ERRQUEUE.
  ErrorQueueRead r;
  r.result = static_cast<long>(std::min<size_t>(entry.length, iov_bytes));
  r.msg_flags = MSG_ERRQUEUE | (entry.length > iov_bytes ? MSG_TRUNC : 0) |
                control_truncation(error_queue_cmsgs(entry), control_bytes);
  return r;
}

Expr msg_flags_expr(long msg_flags) {
  static constexpr std::pair<long, const char*> kNames[] = {{MSG_OOB, "MSG_OOB"},
                                                            {MSG_ERRQUEUE, "MSG_ERRQUEUE"},
                                                            {MSG_TRUNC, "MSG_TRUNC"},
                                                            {MSG_CTRUNC, "MSG_CTRUNC"}};
  std::vector<Expr> names;
  for (const auto& [bit, name] : kNames) {
    if ((msg_flags & bit) != 0) names.push_back(Expr::symbol(name));
  }
  if (names.empty()) return Expr::number(msg_flags);
  return names.size() == 1 ? names[0] : Expr::any_of(std::move(names));
}

}  // namespace tcpfuzz::scenario
