// An epoll instance over endpoints, as Linux's fs/eventpoll.c behaves for
// TCP sockets: level-triggered items report while the socket's poll mask
// meets their events; edge-triggered (EPOLLET) ones once per wake-up that
// matches their events (Endpoint::wakeups()); EPOLLONESHOT disarms an item
// after one report until EPOLL_CTL_MOD. EPOLLERR and EPOLLHUP are always
// watched. With one instance per socket, EPOLLEXCLUSIVE changes nothing but
// the checks epoll_ctl() makes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "stack/tcp/endpoint.h"

namespace netstack::tcp {

namespace epoll_flag {
inline constexpr uint32_t kExclusive = 1U << 28;
inline constexpr uint32_t kOneshot = 1U << 30;
inline constexpr uint32_t kEdge = 1U << 31;
}  // namespace epoll_flag

class Epoll {
 public:
  struct Event {
    int fd = -1;
    uint32_t events = 0;
    uint64_t data = 0;
  };
  // The endpoint behind a watched descriptor (nullptr: closed since).
  using Lookup = std::function<const Endpoint*(int fd)>;

  // EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL, with Linux's errors.
  Errno add(int fd, const Endpoint& ep, uint32_t events, uint64_t data);
  Errno modify(int fd, const Endpoint& ep, uint32_t events, uint64_t data);
  Errno remove(int fd);
  // epoll_wait() that does not block: at most `max` ready descriptors.
  std::vector<Event> wait(size_t max, const Lookup& lookup);

 private:
  struct Item {
    uint32_t events = 0;
    uint64_t data = 0;
    Wakeups seen;         // the endpoint's wake-ups when last looked at
    bool queued = false;  // on Linux's ready list
    bool armed = true;    // false once EPOLLONESHOT reported
  };
  static bool woken(const Item& item, const Wakeups& now);

  std::map<int, Item> items_;
};

}  // namespace netstack::tcp
