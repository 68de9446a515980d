#include "stack/link/tun_event_loop.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace netstack {

int TunEventLoop::poll_timeout_ms(Duration max_wait) const {
  Duration wait = max_wait;
  if (auto deadline = clock_.next_deadline()) wait = std::min(wait, *deadline - clock_.now());
  if (wait <= Duration::zero()) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
}

std::optional<std::string> TunEventLoop::turn(Duration max_wait) {
  pollfd p{.fd = tun_.fd(), .events = POLLIN, .revents = 0};
  const int ready = ::poll(&p, 1, poll_timeout_ms(max_wait));
  if (ready < 0 && errno != EINTR) {
    return "poll on tun " + tun_.name() + ": " + std::strerror(errno);
  }
  if ((p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
    return "tun " + tun_.name() + ": device error or hang-up";
  }
  if ((p.revents & POLLIN) != 0) tun_.drain(inbound_);
  clock_.run_due();
  return std::nullopt;
}

}  // namespace netstack
