// LossRecovery: loss detection, the recovery state machine and the
// congestion window, the way Linux runs them (tcp_input.c
// tcp_fastretrans_alert() and tcp_cong_control(), tcp_recovery.c).
//
// SACK connections detect loss with RACK (RFC 8985), others by duplicate
// ACKs with NewReno's partial-ACK rule (RFC 6582); recovery sends by the
// SACK scoreboard (RFC 6675) with the window reduced by PRR (RFC 6937); a
// retransmission timeout marks everything lost and restarts from one
// segment; D-SACK (RFC 2883) and timestamps (RFC 3522) undo a reduction
// that proves spurious. gVisor's sack_recovery.go and rack.go are the same
// design.
//
// The owner keeps the scoreboard (SentSegments) and sends; this class
// marks the scoreboard, moves the window and says whether the window
// allows another segment (can_send()). Nothing here is virtual but the
// congestion-control algorithm's hooks.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <utility>

#include "stack/header/tcp_options.h"
#include "stack/seqnum/seqnum.h"
#include "stack/tcp/config.h"
#include "stack/tcp/congestion_control.h"
#include "stack/tcp/rack.h"
#include "stack/tcp/sent_segments.h"
#include "stack/tcp/socket_types.h"
#include "stack/time/timer.h"

namespace netstack::tcp {

struct TcpStats;

class LossRecovery {
 public:
  // The sender's state recovery reads (it changes none of it).
  struct Sender {
    Instant now;
    seqnum::Value snd_una;
    seqnum::Value snd_nxt;
    seqnum::Value snd_max;
    uint32_t snd_mss = 0;
    Duration srtt{0};
    bool sack = false;            // SACK was negotiated
    bool timestamps = false;      // timestamps were negotiated
    bool new_data_ready = false;  // unsent data the peer's window admits
  };

  // What one ACK told the sender, gathered before the window changes.
  struct AckEvent {
    Delivery delivered;
    bool una_advanced = false;
    bool duplicate = false;
    std::optional<seqnum::Value> prior_fack;  // highest SACKed before this ACK
    uint32_t ts_echo = 0;                     // the ACK's TSecr; 0 when it has none
    bool ece = false;  // an ECN connection's ACK echoes a congestion mark (RFC 3168)
  };

  // `on_reorder_timer` runs when RACK's reordering window has passed; it
  // calls on_reorder_timeout().
  LossRecovery(const Config& config, TcpStats& stats, SentSegments& sent, Clock& clock,
               std::function<void()> on_reorder_timer);

  // ---- An ACK arrives (Linux tcp_ack()) ----
  // RFC 2018 / RFC 6675 scoreboard update from the ACK's SACK blocks, with
  // D-SACK detection (RFC 2883, Linux tcp_check_dsack()). `ack` is SEG.ACK;
  // SND.UNA has not moved for it yet.
  void on_sack_blocks(std::span<const header::SackBlock> blocks, seqnum::Value ack,
                      seqnum::Value snd_una, seqnum::Value snd_max, AckEvent& e);
  // An RTT sample, for RACK's reordering window.
  void on_rtt_sample(Duration rtt);
  // Linux tcp_fastretrans_alert() and tcp_cong_control(): loss detection,
  // the recovery state machine and the window, after the scoreboard update.
  void on_ack(const Sender& s, const AckEvent& e);

  // ---- Timers ----
  // RFC 5681 (4) / Linux tcp_enter_loss(): everything outstanding is lost
  // and the window restarts from one segment. `consecutive_timeouts` counts
  // the RTOs before this one without an ACK of new data.
  void on_rto(const Sender& s, uint32_t consecutive_timeouts);
  // F-RTO (RFC 5682 3.1, SACK-enhanced; Linux tcp_process_loss()): once the
  // first retransmission of a timeout is acknowledged, new data goes before
  // the other retransmissions, to see whether the originals still arrive.
  // True once, for the send that follows such an ACK; the owner reports
  // when it could send no new data after all.
  bool take_send_new_first() { return std::exchange(send_new_first_, false); }
  void on_no_new_data_sent() { frto_ = false; }
  // Linux tcp_rack_reo_timeout(): true when segments are newly lost (the
  // owner sends them).
  bool on_reorder_timeout(const Sender& s);
  bool reorder_timer_armed() const { return reorder_timer_.armed(); }
  void cancel_reorder_timer() { reorder_timer_.cancel(); }

  // ---- Sending ----
  // Linux tcp_cwnd_test(): the window allows another segment in flight.
  bool can_send() const { return sent_.in_flight() < cw_.cwnd; }
  // Linux tcp_cwnd_test()'s quota: segments that may go now, at most half
  // the window (so that two bursts are in flight).
  uint32_t cwnd_quota() const {
    const uint32_t in_flight = sent_.in_flight();
    if (in_flight >= cw_.cwnd) return 0;
    return std::min(std::max(cw_.cwnd >> 1, 1u), cw_.cwnd - in_flight);
  }
  // A segment goes out (PRR counts them during recovery).
  void on_segment_sent() {
    if (ca_state_ == CaState::kRecovery) ++prr_out_;
  }
  // A retransmission goes out: an episode that may still be undone counts
  // it, and remembers the TSval of its first (`tsval`, when timestamps are
  // on) for Eifel.
  bool undo_armed() const { return undo_armed_; }
  void on_retransmit(std::optional<uint32_t> tsval);
  // New data goes out at `now` with nothing in flight: Linux
  // tcp_cwnd_restart() shrinks the window toward IW after an idle RTO.
  void restart_after_idle(Instant now, Duration rto);
  void on_new_data_sent(Instant now) { last_data_sent_at_ = now; }
  // Linux tcp_cwnd_validate(): after sending, whether the window limited it.
  void validate_cwnd(bool limited, seqnum::Value snd_una, seqnum::Value snd_nxt);

  // Segments marked lost for a reason other than congestion: the path MTU
  // went down (Linux tcp_simple_retransmit()), or a SYN-ACK did not cover
  // the Fast Open data of the SYN (tcp_non_congestion_loss_retransmit()).
  // The loss state paces the resend without lowering the window.
  void on_non_congestion_loss(seqnum::Value snd_nxt);

  // The window after the handshake (RFC 6298 5.7: one segment after a lost
  // SYN or SYN-ACK).
  void set_initial_window(uint32_t cwnd) { cw_.cwnd = cwnd; }
  // TCP_CONGESTION.
  void set_algorithm(CongestionAlgorithm a);
  CongestionAlgorithm algorithm() const { return cc_->algorithm(); }

  // A window reduction began since the last call: an ECN sender's next new
  // data carries CWR (Linux tcp_ecn_queue_cwr()).
  bool take_cwr_request() { return std::exchange(cwr_request_, false); }

  CaState state() const { return ca_state_; }
  const CongestionWindow& window() const { return cw_; }
  uint32_t reordering() const { return reordering_; }
  std::optional<Duration> min_rtt() const { return min_rtt_; }

 private:
  void detect_losses(const Sender& s, uint32_t& newly_lost);
  // RFC 8985 6.2 step 5, arming the reordering timer for what may wait.
  void rack_detect_loss(const Sender& s, uint32_t& newly_lost);
  void begin_reduction(seqnum::Value snd_una);
  void enter_recovery(const Sender& s);
  // Linux tcp_enter_cwr(): an echoed congestion mark halves the window
  // once, by PRR, without retransmitting.
  void enter_cwr(const Sender& s);
  void end_recovery();
  bool try_undo(const Sender& s, const AckEvent& e);
  // Linux tcp_process_loss(): an ACK in the Loss state.
  void process_loss(const Sender& s, const AckEvent& e);
  void undo_cwnd_reduction();
  // RFC 6937 proportional rate reduction (Linux tcp_cwnd_reduction()).
  void reduce_cwnd(uint32_t newly_delivered, uint32_t newly_lost, bool una_advanced);
  void note_reordering(seqnum::Value low, std::optional<seqnum::Value> prior_fack,
                       uint32_t snd_mss);
  // Linux tcp_current_ssthresh(): the threshold to return to after an undo.
  uint32_t current_ssthresh() const;
  bool cwnd_limited() const;

  const Config& config_;
  TcpStats& stats_;
  SentSegments& sent_;
  Rack rack_;
  std::unique_ptr<CongestionControl> cc_;
  CongestionWindow cw_;  // in segments
  CaState ca_state_ = CaState::kOpen;
  bool cwr_request_ = false;
  seqnum::Value high_seq_;       // SND.NXT when recovery began (RFC 6582 "recover")
  uint32_t prior_cwnd_ = 0;      // for PRR and undo
  uint32_t prior_ssthresh_ = 0;  // for undo
  uint32_t prr_delivered_ = 0;
  uint32_t prr_out_ = 0;
  bool undo_armed_ = false;             // this episode may still prove spurious
  seqnum::Value undo_marker_;           // SND.UNA when it began
  int32_t undo_retrans_ = -1;           // its retransmissions not D-SACKed; -1 before the first
  std::optional<uint32_t> undo_tsval_;  // TSval of its first retransmission (Eifel, RFC 3522)
  uint32_t reordering_;                 // net.ipv4.tcp_reordering, grown by observed reordering
  bool reordering_seen_ = false;
  uint32_t dup_acks_ = 0;  // without SACK, they stand in for SACKed segments
  bool frto_ = false;      // this timeout may still prove spurious (F-RTO)
  bool send_new_first_ = false;
  std::optional<Duration> min_rtt_;
  Instant last_data_sent_at_;
  bool cwnd_limited_ = false;  // the window limited sending in the last sample
  uint32_t max_packets_out_ = 0;
  seqnum::Value cwnd_usage_seq_;  // when the usage sample is due again
  Timer reorder_timer_;
};

}  // namespace netstack::tcp
