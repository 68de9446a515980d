// Socket options (setsockopt/getsockopt, with Linux's limits from
// net/ipv4/tcp.c do_tcp_setsockopt() and sock_setsockopt()), TCP_CONGESTION
// and TCP_INFO.
#include <algorithm>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

Errno Endpoint::set_option_impl(SockOpt opt, int value) {
  // Limits are Linux's (net/ipv4/tcp.c do_tcp_setsockopt()).
  switch (opt) {
    case SockOpt::kNoDelay:
      nodelay_ = value != 0;
      // Linux: setting TCP_NODELAY pushes what is queued, even when corked.
      if (nodelay_) {
        push_pending_ = true;
        send_data();
        push_pending_ = false;
      }
      break;
    case SockOpt::kCork:
      cork_ = value != 0;
      if (!cork_) send_data();
      break;
    case SockOpt::kKeepAlive:
      keepalive_ = value != 0;
      reset_keepalive();
      break;
    case SockOpt::kKeepIdle:
      if (value < 1 || value > 32767) return EINVAL;
      keep_idle_ = std::chrono::seconds(value);
      reset_keepalive();
      break;
    case SockOpt::kKeepIntvl:
      if (value < 1 || value > 32767) return EINVAL;
      keep_intvl_ = std::chrono::seconds(value);
      break;
    case SockOpt::kKeepCnt:
      if (value < 1 || value > 127) return EINVAL;
      keep_cnt_ = static_cast<uint32_t>(value);
      break;
    case SockOpt::kUserTimeout:
      if (value < 0) return EINVAL;
      user_timeout_ = std::chrono::milliseconds(value);
      break;
    case SockOpt::kDeferAccept:
      defer_accept_ = std::chrono::seconds(std::max(value, 0));
      break;
    case SockOpt::kMaxSeg:
      if (value != 0 && (value < 88 || value > 65535)) return EINVAL;  // TCP_MIN_MSS
      user_mss_ = static_cast<uint16_t>(value);
      break;
    case SockOpt::kLinger2:
      // Linux: < 0 disables the FIN-WAIT-2 linger, 0 means tcp_fin_timeout,
      // larger values are capped at TCP_FIN_TIMEOUT_MAX (120 s).
      if (value < 0) {
        linger2_ = Duration(-1);
      } else if (value == 0) {
        linger2_ = protocol_.config().fin_timeout;
      } else {
        linger2_ = std::chrono::seconds(std::min(value, 120));
      }
      break;
    case SockOpt::kLinger:
      if (value < 0) {
        linger_.reset();
      } else {
        linger_ = value;
      }
      break;
    case SockOpt::kRcvBuf:
      // Linux doubles the value to leave room for bookkeeping, min 2304.
      rcvbuf_ = std::clamp<uint32_t>(static_cast<uint32_t>(std::max(value, 0)) * 2, 2304,
                                     protocol_.config().rmem_max * 2);
      reassembly_.set_max_bytes(rcvbuf_);
      rcvbuf_locked_ = true;
      max_rcvbuf_ = std::max(max_rcvbuf_, rcvbuf_);
      rwin_.configure(rcvbuf_, /*locked=*/true);
      break;
    case SockOpt::kSndBuf:
      sndbuf_ = std::clamp<uint32_t>(static_cast<uint32_t>(std::max(value, 0)) * 2, 4608,
                                     protocol_.config().wmem_max * 2);
      max_sndbuf_ = std::max(max_sndbuf_, sndbuf_);
      sndbuf_locked_ = true;
      break;
    case SockOpt::kReuseAddr:
      reuse_addr_ = value != 0;
      break;
    case SockOpt::kFastOpen:
      // Linux do_tcp_setsockopt(): a closed or listening socket only.
      if (value < 0 || (state_ != State::kClosed && state_ != State::kListen)) return EINVAL;
      fastopen_max_qlen_ = static_cast<uint32_t>(value);
      break;
    case SockOpt::kFastOpenConnect:
      if (value < 0 || value > 1) return EINVAL;
      if ((protocol_.config().fastopen & Config::kFastOpenClient) == 0) return EOPNOTSUPP;
      if (state_ != State::kClosed) return EINVAL;
      fastopen_connect_ = value != 0;
      break;
    case SockOpt::kFastOpenNoCookie:
      if (value < 0 || value > 1) return EINVAL;
      if (state_ != State::kClosed && state_ != State::kListen) return EINVAL;
      fastopen_no_cookie_ = value != 0;
      break;
    case SockOpt::kSynCnt:
      if (value < 1 || value > 127) return EINVAL;  // Linux MAX_TCP_SYNCNT
      syn_count_ = static_cast<uint32_t>(value);
      break;
    case SockOpt::kInq:
      inq_ = value != 0;
      break;
    case SockOpt::kZerocopy:
      // Linux sock_setsockopt(): SO_ZEROCOPY takes 0 or 1.
      if (value != 0 && value != 1) return EINVAL;
      zerocopy_ = value != 0;
      break;
    case SockOpt::kMark:
      mark_ = value;
      break;
    case SockOpt::kOobInline:
      oob_inline_ = value != 0;
      break;
    case SockOpt::kFreeBind:
      free_bind_ = value != 0;
      break;
    case SockOpt::kTimestamping: {
      const seqnum::Value write_seq =
          snd_una_.add(seqnum::Size(static_cast<uint32_t>(send_queue_.size())));
      return tx_stamps_.configure(static_cast<uint32_t>(value),
                                  state_ != State::kClosed && state_ != State::kListen, snd_una_,
                                  write_seq);
    }
    case SockOpt::kNotSentLowat:
      // Linux do_tcp_setsockopt(): any value, kept as unsigned; writers
      // are woken as the limit may have risen (sk_write_space()).
      notsent_lowat_ = static_cast<uint32_t>(value);
      ++wakeups_.writable;
      break;
    case SockOpt::kError:
      return ENOPROTOOPT;
  }
  return 0;
}

Expected<int, Errno> Endpoint::get_option_impl(SockOpt opt) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  switch (opt) {
    case SockOpt::kNoDelay:
      return int{nodelay_};
    case SockOpt::kCork:
      return int{cork_};
    case SockOpt::kKeepAlive:
      return int{keepalive_};
    case SockOpt::kKeepIdle:
      return static_cast<int>(duration_cast<seconds>(keep_idle_).count());
    case SockOpt::kKeepIntvl:
      return static_cast<int>(duration_cast<seconds>(keep_intvl_).count());
    case SockOpt::kKeepCnt:
      return static_cast<int>(keep_cnt_);
    case SockOpt::kUserTimeout:
      return static_cast<int>(duration_cast<milliseconds>(user_timeout_).count());
    case SockOpt::kDeferAccept:
      return static_cast<int>(duration_cast<seconds>(defer_accept_).count());
    case SockOpt::kMaxSeg:
      // Linux reports the current send MSS once connected, else the user's value
      // (or the 536 default).
      if (is_synchronized(state_)) return static_cast<int>(snd_mss_);
      return user_mss_ != 0 ? int{user_mss_} : 536;
    case SockOpt::kLinger2:
      return linger2_ < Duration(0) ? -1
                                    : static_cast<int>(duration_cast<seconds>(linger2_).count());
    case SockOpt::kLinger:
      return linger_.value_or(-1);
    case SockOpt::kRcvBuf:
      return static_cast<int>(rcvbuf_);
    case SockOpt::kSndBuf:
      return static_cast<int>(sndbuf_);
    case SockOpt::kError: {
      const Errno e = pending_error_;
      pending_error_ = 0;
      return e;
    }
    case SockOpt::kReuseAddr:
      return int{reuse_addr_};
    case SockOpt::kFastOpen:
      return static_cast<int>(fastopen_max_qlen_);
    case SockOpt::kFastOpenConnect:
      return int{fastopen_connect_};
    case SockOpt::kFastOpenNoCookie:
      return int{fastopen_no_cookie_};
    case SockOpt::kSynCnt:
      // Linux: the socket's own count, else net.ipv4.tcp_syn_retries.
      return static_cast<int>(syn_count_ != 0 ? syn_count_ : protocol_.config().syn_retries);
    case SockOpt::kInq:
      return int{inq_};
    case SockOpt::kZerocopy:
      return int{zerocopy_};
    case SockOpt::kOobInline:
      return int{oob_inline_};
    case SockOpt::kFreeBind:
      return int{free_bind_};
    case SockOpt::kMark:
      return mark_;
    case SockOpt::kNotSentLowat:
      return static_cast<int>(notsent_lowat_);
    case SockOpt::kTimestamping:
      return static_cast<int>(tx_stamps_.flags());
  }
  return Unexpected{ENOPROTOOPT};
}

TcpInfo Endpoint::info() const {
  TcpInfo i;
  i.state = state_;
  i.snd_una = snd_una_.raw();
  i.snd_nxt = snd_nxt_.raw();
  i.snd_max = snd_max_.raw();
  i.rcv_nxt = rcv_nxt_.raw();
  i.snd_wnd = snd_wnd_;
  i.rcv_wnd = receive_window();
  i.snd_mss = snd_mss_;
  i.rcv_mss = rcv_mss_;
  i.advmss = advertised_mss_ != 0 ? advertised_mss_ : mss_to_advertise();
  i.probes = std::max(probes_out_, keepalive_unacked_);
  i.backoff = rtt_.backoffs();
  i.cwnd = recovery_.window().cwnd;
  i.ssthresh = recovery_.window().ssthresh;
  i.ca_state = recovery_.state();
  i.unacked = sent_.packets_out();
  i.sacked = sent_.sacked_out();
  i.lost = sent_.lost_out();
  i.retrans = sent_.retrans_out();
  i.reordering = recovery_.reordering();
  i.min_rtt = recovery_.min_rtt().value_or(Duration(0));
  i.rto = rtt_.rto();
  i.srtt = rtt_.srtt();
  i.retransmits = consecutive_timeouts_;
  i.total_retransmits = total_retransmits_;
  i.snd_wscale = snd_wscale_;
  i.rcv_wscale = rcv_wscale_;
  i.timestamps = ts_enabled_;
  i.sack = sack_enabled_;
  i.send_queue_bytes = send_queue_.size();
  i.readable_bytes = receive_queue_.size();
  i.reassembly_bytes = reassembly_.bytes();
  i.syn_data = syn_data_acked_;
  i.delivered = delivered_;
  i.last_data_recv = now() - last_data_received_at_;
  return i;
}

Errno Endpoint::set_congestion_control(CongestionAlgorithm a) {
  recovery_.set_algorithm(a);
  return 0;
}

}  // namespace netstack::tcp
