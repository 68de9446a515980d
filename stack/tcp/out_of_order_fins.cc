#include "stack/tcp/out_of_order_fins.h"

#include <algorithm>

namespace netstack::tcp {

void OutOfOrderFins::on_queued(seqnum::Value seq, seqnum::Value end,
                               std::optional<seqnum::Value> fin) {
  // A FIN's skb is replaced by a segment that covers it: one that starts
  // before it and reaches past the FIN, or starts with it and reaches
  // further. The same FIN arriving again keeps its place.
  std::erase_if(fins_, [&](const Fin& f) {
    if (fin == f.at) return false;
    const seqnum::Value past_fin = f.at.add(seqnum::Size(1));
    return seq.less_than(f.skb) ? end.greater_equal(past_fin)
                                : seq == f.skb && end.greater_than(past_fin);
  });
  if (!fin) return;
  const auto at = std::ranges::find_if(fins_, [&](const Fin& f) { return !f.at.less_than(*fin); });
  if (at != fins_.end() && at->at == *fin) return;
  fins_.insert(at, Fin{*fin, seq});
}

void OutOfOrderFins::drop_below(seqnum::Value rcv_nxt) {
  std::erase_if(fins_, [&](const Fin& f) { return f.at.less_than(rcv_nxt); });
}

}  // namespace netstack::tcp
