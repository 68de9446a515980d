#include "stack/tcp/epoll.h"

namespace netstack::tcp {

namespace {

using namespace poll_event;
constexpr uint32_t kAlways = kErr | kHup;
constexpr uint32_t kRdBand = 0x080;
constexpr uint32_t kWrBand = 0x200;
constexpr uint32_t kWakeup = 1U << 29;
// Linux EPOLLEXCLUSIVE_OK_BITS: what may go with EPOLLEXCLUSIVE.
constexpr uint32_t kExclusiveOk = kIn | kOut | kRdNorm | kWrNorm | kErr | kHup | kWakeup |
                                  epoll_flag::kEdge | epoll_flag::kExclusive;

}  // namespace

bool Epoll::woken(const Item& item, const Wakeups& now) {
  // Linux ep_poll_callback() drops a wake-up whose key misses the item's
  // events; sk_state_change() wakes without a key.
  const uint32_t e = item.events;
  return now.state != item.seen.state || now.error != item.seen.error ||
         (now.readable != item.seen.readable && (e & (kIn | kPri | kRdNorm | kRdBand)) != 0) ||
         (now.writable != item.seen.writable && (e & (kOut | kWrNorm | kWrBand)) != 0);
}

Errno Epoll::add(int fd, const Endpoint& ep, uint32_t events, uint64_t data) {
  if (items_.contains(fd)) return EEXIST;
  // Linux do_epoll_ctl(): EPOLLEXCLUSIVE only with the bits it allows.
  if ((events & epoll_flag::kExclusive) != 0 && (events & ~kExclusiveOk) != 0) return EINVAL;
  Item item{events | kAlways, data, ep.wakeups(), false, true};
  // Linux ep_insert(): a descriptor ready now goes on the ready list.
  item.queued = (ep.poll() & item.events) != 0;
  items_[fd] = item;
  return 0;
}

Errno Epoll::modify(int fd, const Endpoint& ep, uint32_t events, uint64_t data) {
  const auto it = items_.find(fd);
  if (it == items_.end()) return ENOENT;
  // Linux: an exclusive item cannot be modified, nor become exclusive.
  if (((events | it->second.events) & epoll_flag::kExclusive) != 0) return EINVAL;
  Item& item = it->second;
  item.events = events | kAlways;
  item.data = data;
  item.armed = true;
  item.seen = ep.wakeups();
  // Linux ep_modify(): re-polls, queueing the item if it is ready.
  item.queued = item.queued || (ep.poll() & item.events) != 0;
  return 0;
}

Errno Epoll::remove(int fd) {
  return items_.erase(fd) == 1 ? 0 : ENOENT;
}

std::vector<Epoll::Event> Epoll::wait(size_t max, const Lookup& lookup) {
  std::vector<Event> ready;
  for (auto it = items_.begin(); it != items_.end();) {
    const Endpoint* ep = lookup(it->first);
    if (ep == nullptr) {
      // Linux: closing the last reference removes the item.
      it = items_.erase(it);
      continue;
    }
    Item& item = it->second;
    const int fd = it->first;
    ++it;
    if (!item.armed) continue;
    const bool level = (item.events & (epoll_flag::kEdge | epoll_flag::kOneshot)) == 0;
    const bool pending = level || item.queued || woken(item, ep->wakeups());
    item.seen = ep->wakeups();
    item.queued = false;
    if (!pending || ready.size() >= max) {
      item.queued = pending;
      continue;
    }
    const uint32_t revents = ep->poll() & item.events;
    if (revents == 0) continue;
    ready.push_back(Event{fd, revents, item.data});
    if ((item.events & epoll_flag::kOneshot) != 0) item.armed = false;
  }
  return ready;
}

}  // namespace netstack::tcp
