// TunEventLoop: runs a stack on a TunLink with the RealClock, on one thread.
//
// A turn sleeps in poll() on the device until a packet arrives or the
// clock's next timer is due, reads every queued packet into the stack, then
// fires the due timers. The application acts on its endpoints between turns;
// the stack sends inline from those calls, so nothing else needs waking.
#pragma once

#include <optional>
#include <string>

#include "stack/link/link.h"
#include "stack/link/tun_link.h"
#include "stack/time/real_clock.h"

namespace netstack {

class TunEventLoop {
 public:
  // Packets read from `tun` go to `inbound` (the NIC's receiver, or a
  // decorator in front of it).
  TunEventLoop(RealClock& clock, TunLink& tun, PacketReceiver& inbound)
      : clock_(clock), tun_(tun), inbound_(inbound) {}

  // One turn, sleeping at most `max_wait`. Returns the error text when poll
  // fails or the device reports an error or hang-up.
  std::optional<std::string> turn(Duration max_wait);

 private:
  // Milliseconds poll() may sleep: until the next timer, at most max_wait,
  // rounded up so a turn never wakes just before its timer is due.
  int poll_timeout_ms(Duration max_wait) const;

  RealClock& clock_;
  TunLink& tun_;
  PacketReceiver& inbound_;
};

}  // namespace netstack
