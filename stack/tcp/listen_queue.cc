#include "stack/tcp/listen_queue.h"

#include <algorithm>

namespace netstack::tcp {

void ListenQueue::set_backlog(int backlog) {
  backlog_ = std::clamp(backlog, 0, 4096);  // net.core.somaxconn
}

void ListenQueue::established(EndpointId child) {
  auto it = std::ranges::find(syn_, child);
  if (it != syn_.end()) syn_.erase(it);
  accept_.push_back(child);
}

void ListenQueue::remove(EndpointId child) {
  std::erase(syn_, child);
  std::erase(accept_, child);
}

bool ListenQueue::awaiting_accept(EndpointId child) const {
  return std::ranges::find(accept_, child) != accept_.end();
}

std::optional<EndpointId> ListenQueue::pop_established() {
  if (accept_.empty()) return std::nullopt;
  const EndpointId child = accept_.front();
  accept_.pop_front();
  return child;
}

void ListenQueue::clear() {
  syn_.clear();
  accept_.clear();
}

}  // namespace netstack::tcp
