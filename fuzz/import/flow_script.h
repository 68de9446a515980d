// A conversation as a packetdrill-dialect scenario the stack can replay:
// the stack's packets become outbound lines, the peer's inbound lines, at
// the times the capture recorded (from the first SYN), in packetdrill's
// relative numbering. The socket calls Linux's application made are not in
// a capture; they are inferred:
//   - server: socket, SO_REUSEADDR, bind, listen at 0; accept once the
//     peer's ACK completes the handshake;
//   - client: socket, O_NONBLOCK, connect (EINPROGRESS) at 0;
//   - a read of each new in-order run of the peer's data, right after it
//     arrives (as an application blocked in read() would);
//   - a write before the stack's first new data, grown by the data that
//     follows until a segment with PSH (Linux marks the end of a write so);
//   - close before the stack's FIN (shutdown(SHUT_WR) when the peer sends
//     data after it), SO_LINGER {1, 0} and close before a RST it sends
//     while open.
// The times are absolute; linux_script.h writes them as a script, with the
// settings' sysctls. The settings' MTU is the script's --mtu option.
#pragma once

#include "fuzz/import/conversation.h"
#include "fuzz/import/host_settings.h"
#include "fuzz/scenario/scenario.h"

namespace tcpfuzz::import {

scenario::Scenario conversation_script(const Conversation& c, const HostSettings& settings);

}  // namespace tcpfuzz::import
