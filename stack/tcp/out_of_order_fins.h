// OutOfOrderFins: the FINs a receiver holds ahead of a gap. Linux keeps
// each FIN in the skb it came with (tcp_data_queue_ofo()): a later segment
// that covers that skb replaces it and the FIN is gone with it; the queue
// drains up to the lowest FIN and takes it there. Each FIN is kept with the
// start of the segment that carried it, lowest first.
#pragma once

#include <optional>
#include <vector>

#include "stack/seqnum/seqnum.h"

namespace netstack::tcp {

class OutOfOrderFins {
 public:
  struct Fin {
    seqnum::Value at;   // the FIN's sequence number
    seqnum::Value skb;  // where the segment that carried it started
  };

  // A segment [seq, end) was queued: the FINs of the segments it covers go,
  // and its own FIN (`fin`), if any, is kept.
  void on_queued(seqnum::Value seq, seqnum::Value end, std::optional<seqnum::Value> fin);
  // RCV.NXT passed them: the FINs below go with their skbs (tcp_ofo_queue()).
  void drop_below(seqnum::Value rcv_nxt);
  void clear() { fins_.clear(); }

  // The FIN the queue drains to.
  std::optional<Fin> first() const {
    return fins_.empty() ? std::nullopt : std::optional(fins_.front());
  }
  std::optional<seqnum::Value> first_at() const {
    return fins_.empty() ? std::nullopt : std::optional(fins_.front().at);
  }
  bool empty() const { return fins_.empty(); }
  // The lowest FIN inside [seq, end) for which `pred` holds.
  template <typename Pred>
  std::optional<seqnum::Value> find_in(seqnum::Value seq, seqnum::Value end,
                                       const Pred& pred) const {
    for (const Fin& f : fins_) {
      if (f.at.in_range(seq, end) && pred(f.at)) return f.at;
    }
    return std::nullopt;
  }

 private:
  std::vector<Fin> fins_;  // sorted by `at`, no two alike
};

}  // namespace netstack::tcp
