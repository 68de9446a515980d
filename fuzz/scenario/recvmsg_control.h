// What Linux's recvmsg() hands back beside the data: the control messages
// (cmsgs) it puts into the caller's buffer, and msg_flags, which say when
// the data (MSG_TRUNC) or the cmsgs (MSG_CTRUNC) did not fit.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "fuzz/scenario/scenario.h"
#include "stack/tcp/error_queue.h"

namespace tcpfuzz::scenario {

struct Cmsg {
  long level = 0;
  long type = 0;
  std::vector<std::pair<std::string, long>> fields;  // one unnamed field: the int data
};

// The cmsgs recvmsg(MSG_ERRQUEUE) returns for `entry`.
std::vector<Cmsg> error_queue_cmsgs(const netstack::tcp::ErrorQueueEntry& entry);

// The control buffer packetdrill passes for a script's msg_control list:
// room for exactly the cmsgs it states (run_system_call.c cmsg_new()); 0
// without msg_control.
size_t stated_control_bytes(const Expr* msg_control);

// MSG_CTRUNC when `cmsgs` do not all fit whole in `control_bytes`, as
// Linux put_cmsg() fills the buffer in order; else 0.
long control_truncation(std::span<const Cmsg> cmsgs, size_t control_bytes);

// recvmsg(MSG_ERRQUEUE) reading `entry` into an iovec of `iov_bytes` and a
// control buffer of `control_bytes` (Linux ip_recv_error()).
struct ErrorQueueRead {
  long result = 0;  // bytes copied
  long msg_flags = 0;
};
ErrorQueueRead read_error_queue_entry(const netstack::tcp::ErrorQueueEntry& entry, size_t iov_bytes,
                                      size_t control_bytes);

// msg_flags as a script states them: "MSG_ERRQUEUE|MSG_TRUNC", or 0.
Expr msg_flags_expr(long msg_flags);

}  // namespace tcpfuzz::scenario
