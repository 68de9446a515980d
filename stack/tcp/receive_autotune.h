// ReceiveAutotune: receive-buffer auto-tuning (Linux tcp_rcv_space_adjust(),
// "dynamic right sizing"). The receiver measures its RTT once per window
// (Linux tcp_rcv_rtt_measure()); once per such RTT, if the application
// read more than in the interval before, the buffer grows to twice that
// plus room for the sender to speed up, up to tcp_rmem[2]. A buffer the
// user set with SO_RCVBUF is left alone. The owner applies the size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "stack/seqnum/seqnum.h"
#include "stack/time/clock.h"

namespace netstack::tcp {

class ReceiveAutotune {
 public:
  // Linux tcp_rcv_rtt_measure(), on new data: the time to receive one
  // window's worth of data bounds the RTT from above; the smallest such
  // bound is kept. `rcv_adv` is the right edge last advertised.
  void measure_rtt(Instant now, seqnum::Value rcv_nxt, seqnum::Value rcv_adv, uint32_t rcv_mss);

  struct ReadContext {
    uint32_t initial_space = 0;   // what the first interval expects to be read
    uint32_t advertised_mss = 0;  // our MSS (Linux tp->advmss)
    uint32_t rmem_max = 0;        // net.ipv4.tcp_rmem[2]
    bool may_grow = true;         // false once SO_RCVBUF was set
  };
  // The application read `copied` bytes at `now`. Returns the receive
  // buffer the last interval asks for when one ended with more read than
  // the one before (the owner grows to it if it is larger).
  std::optional<uint32_t> on_read(size_t copied, Instant now, const ReadContext& c);

  Duration rtt() const { return rtt_; }
  uint32_t space() const { return space_; }

 private:
  // Linux rcvq_space and rcv_rtt_est.
  uint64_t bytes_read_ = 0;            // by the application, ever
  uint64_t space_read_mark_ = 0;       // bytes_read_ when the interval began
  std::optional<Instant> space_time_;  // when it began
  uint32_t space_ = 0;                 // bytes read in the last interval
  Duration rtt_{0};                    // 0: no sample yet
  std::optional<std::pair<seqnum::Value, Instant>> rtt_probe_;  // window end, start
};

}  // namespace netstack::tcp
