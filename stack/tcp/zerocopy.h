// MSG_ZEROCOPY completion notifications, as Linux's msg_zerocopy_* code
// (net/core/skbuff.c) gives them: each zerocopy send that queues data takes
// the next id (from 0); once the peer has acknowledged all of its bytes the
// send completes, and a completion whose first id follows the last queued
// notification's range extends it, so recvmsg(MSG_ERRQUEUE) reads one
// [lo, hi] range for a run of sends (ee_info, ee_data). The stack always copies the data, so
// every notification says SO_EE_CODE_ZEROCOPY_COPIED.
#pragma once

#include <cstdint>
#include <deque>

#include "stack/seqnum/seqnum.h"
#include "stack/tcp/error_queue.h"
#include "stack/util/block_pool.h"

namespace netstack::tcp {

class ZerocopyNotifier {
 public:
  // A zerocopy send queued data whose end is `end` (the write sequence
  // after its last byte).
  void on_send(seqnum::Value end);
  // The peer acknowledged up to `snd_una`: the completions go to `queue`;
  // true when a send completed.
  bool on_acked(seqnum::Value snd_una, ErrorQueue& queue);

 private:
  struct Send {
    seqnum::Value end;
    uint32_t id;
  };
  uint32_t next_id_ = 0;
  RecycledDeque<Send> in_flight_;
};

}  // namespace netstack::tcp
