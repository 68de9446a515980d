#include "stack/tcp/zerocopy.h"

namespace netstack::tcp {

void ZerocopyNotifier::on_send(seqnum::Value end) {
  in_flight_.push_back(Send{end, next_id_++});
}

bool ZerocopyNotifier::on_acked(seqnum::Value snd_una) {
  bool completed = false;
  while (!in_flight_.empty() && in_flight_.front().end.less_equal(snd_una)) {
    const uint32_t id = in_flight_.front().id;
    in_flight_.pop_front();
    completed = true;
    // Linux skb_zerocopy_notify_extend(): a completion right after the
    // queued range joins it.
    if (!queue_.empty() && queue_.back().hi + 1 == id) {
      queue_.back().hi = id;
    } else {
      queue_.push_back(ZerocopyRange{id, id});
    }
  }
  return completed;
}

std::optional<ZerocopyRange> ZerocopyNotifier::pop() {
  if (queue_.empty()) return std::nullopt;
  const ZerocopyRange r = queue_.front();
  queue_.pop_front();
  return r;
}

}  // namespace netstack::tcp
