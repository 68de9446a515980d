#include "stack/tcp/error_queue.h"

namespace netstack::tcp {

std::optional<ErrorQueueEntry> ErrorQueue::pop() {
  if (queue_.empty()) return std::nullopt;
  const ErrorQueueEntry entry = queue_.front();
  queue_.pop_front();
  return entry;
}

}  // namespace netstack::tcp
