#include "stack/tcp/zerocopy.h"

namespace netstack::tcp {

void ZerocopyNotifier::on_send(seqnum::Value end) {
  in_flight_.push_back(Send{end, next_id_++});
}

bool ZerocopyNotifier::on_acked(seqnum::Value snd_una, ErrorQueue& queue) {
  bool completed = false;
  while (!in_flight_.empty() && in_flight_.front().end.less_equal(snd_una)) {
    const uint32_t id = in_flight_.front().id;
    in_flight_.pop_front();
    completed = true;
    // Linux skb_zerocopy_notify_extend(): a completion right after the
    // newest entry's range, if that is a zerocopy one, joins it.
    ErrorQueueEntry* newest = queue.newest();
    if (newest != nullptr && newest->origin == ErrorQueueEntry::Origin::kZerocopy &&
        newest->data + 1 == id) {
      newest->data = id;
    } else {
      queue.push(
          ErrorQueueEntry{.origin = ErrorQueueEntry::Origin::kZerocopy, .info = id, .data = id});
    }
  }
  return completed;
}

}  // namespace netstack::tcp
