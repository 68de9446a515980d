// A socket's error queue (Linux sk_error_queue) as recvmsg(MSG_ERRQUEUE)
// reads it: MSG_ZEROCOPY completions and SO_TIMESTAMPING TX timestamps, in
// the order they happened, each one sock_extended_err.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "stack/time/clock.h"

namespace netstack::tcp {

struct ErrorQueueEntry {
  // ee_origin: SO_EE_ORIGIN_ZEROCOPY or SO_EE_ORIGIN_TIMESTAMPING.
  enum class Origin : uint8_t { kZerocopy, kTimestamping };
  Origin origin = Origin::kZerocopy;
  // ee_info: the first completed id; or the timestamp's kind (TxStampKind).
  uint32_t info = 0;
  // ee_data: the last completed id; or the timestamped byte's key.
  uint32_t data = 0;
  Instant stamp{};  // when the timestamp was taken (SCM_TIMESTAMPING)
  // The bytes of the entry's skb, which recvmsg(MSG_ERRQUEUE) copies into
  // its iovec: a TX timestamp clones the timestamped skb unless
  // SOF_TIMESTAMPING_OPT_TSONLY (Linux __skb_tstamp_tx()); a zerocopy
  // notification has none.
  uint32_t length = 0;
  bool operator==(const ErrorQueueEntry&) const = default;
};

// SCM_TSTAMP_*: the point a TX timestamp was taken at, with Linux's values.
enum class TxStampKind : uint32_t { kSnd = 0, kSched = 1, kAck = 2 };

class ErrorQueue {
 public:
  void push(const ErrorQueueEntry& entry) { queue_.push_back(entry); }
  // The newest entry, which a zerocopy completion may extend (nullptr: none).
  ErrorQueueEntry* newest() { return queue_.empty() ? nullptr : &queue_.back(); }
  // The oldest entry, removed.
  std::optional<ErrorQueueEntry> pop();
  bool empty() const { return queue_.empty(); }
  size_t size() const { return queue_.size(); }

 private:
  std::deque<ErrorQueueEntry> queue_;
};

}  // namespace netstack::tcp
