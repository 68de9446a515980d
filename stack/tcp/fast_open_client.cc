// TCP Fast Open on the client side (RFC 7413 4.1; Linux
// tcp_sendmsg_fastopen(), tcp_fastopen_defer_connect(),
// tcp_send_syn_data(), tcp_rcv_fastopen_synack()).
#include <algorithm>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/fast_open.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

namespace {

// Linux MAX_TCP_OPTION_SPACE: SYN data leaves room for every option a
// middlebox might add.
constexpr uint32_t kOptionSpace = 40;

}  // namespace

Expected<size_t, Errno> Endpoint::send_fast_open(const IpAddress& address, uint16_t port,
                                                 std::span<const uint8_t> data, bool zerocopy) {
  auto result = send_fast_open_impl(address, port, data, zerocopy);
  const CallArgs args{.bytes = result ? data.first(*result) : std::span<const uint8_t>{}};
  return finish_call("sendto", std::move(result), args);
}

Expected<size_t, Errno> Endpoint::send_fast_open_impl(const IpAddress& address, uint16_t port,
                                                      std::span<const uint8_t> data,
                                                      bool zerocopy) {
  // Linux tcp_sendmsg_fastopen(), then the rest of tcp_sendmsg_locked().
  if ((protocol_.config().fastopen & Config::kFastOpenClient) == 0) return Unexpected{EOPNOTSUPP};
  // This call sends the SYN: a deferred TCP_FASTOPEN_CONNECT's now, or
  // the connect() below starts one.
  const bool sends_syn =
      defer_connect_ || (socket_state_ == SocketState::kUnconnected && state_ == State::kClosed);
  if (defer_connect_) {
    prepare_fast_open_syn(data);
    send_syn();
  }
  fast_open_data_ = data;
  const Errno err = stream_connect(address, port, /*from_sendmsg=*/true);
  fast_open_data_.reset();
  defer_connect_ = false;  // Linux clears DEFER_CONNECT after the connect
  const size_t copied = sends_syn ? syn_data_.size() : 0;
  if (err == EINPROGRESS && copied > 0) {
    // Linux tcp_sendmsg_locked(): the SYN's data is copied into its own
    // buffer, so a MSG_ZEROCOPY send completes at once (net_zcopy_put());
    // a SYN without data takes no id (net_zcopy_put_abort()).
    if (zerocopy && zerocopy_) {
      zerocopy_notes_.on_send(snd_una_);
      if (zerocopy_notes_.on_acked(snd_una_, error_queue_)) ++wakeups_.error;
    }
    return copied;
  }
  if (err != 0) return Unexpected{err};
  // Connected already (the socket never saw connect() succeed, so the
  // socket layer still said "connecting"): an ordinary write.
  return write_impl(data.subspan(copied), {.zerocopy = zerocopy});
}

bool Endpoint::fast_open_cookie_check(std::optional<header::FastOpenCookie>* option,
                                      uint16_t* mss) const {
  const uint32_t fastopen = protocol_.config().fastopen;
  const std::optional<FastOpenCacheEntry> cached =
      protocol_.fast_open_cache().get(tuple_.remote_address);
  if (cached) *mss = cached->mss;
  // Linux tcp_fastopen_no_cookie(): data without any cookie.
  if ((fastopen & Config::kFastOpenClientNoCookie) != 0 || fastopen_no_cookie_) {
    option->reset();
    return true;
  }
  if (cached && cached->cookie && cached->cookie->length > 0) {
    *option = cached->cookie;
    return true;
  }
  // A cookie request, in the experimental option if the RFC one went
  // unanswered last time (Linux tcp_fastopen_cache_get()).
  header::FastOpenCookie request;
  request.experimental = cached && cached->try_exp == 1;
  *option = request;
  return false;
}

void Endpoint::prepare_fast_open_syn(std::span<const uint8_t> data) {
  uint16_t cached_mss = 0;
  const bool with_data = fast_open_cookie_check(&syn_fast_open_, &cached_mss);
  // Linux syn_fastopen: the SYN carries the option (not so without a cookie
  // in no-cookie mode, whose SYN-ACK's cookie is then unsolicited).
  syn_fastopen_ = syn_fast_open_.has_value();
  syn_data_.clear();
  if (!with_data) return;
  // The MSS the server announced last time (or ours), bounded by the path,
  // less the whole option space.
  uint32_t clamp = cached_mss != 0 ? cached_mss : mss_to_advertise();
  if (user_mss_ != 0) clamp = std::min<uint32_t>(clamp, user_mss_);
  const uint32_t mss = std::min<uint32_t>(mss_to_advertise(), clamp);
  const size_t space = mss > kOptionSpace ? mss - kOptionSpace : 0;
  syn_data_.assign(data.begin(), data.begin() + static_cast<long>(std::min(space, data.size())));
}

bool Endpoint::on_fast_open_synack(const Segment& s) {
  std::optional<header::FastOpenCookie> cookie = s.options.fast_open;
  uint8_t try_exp = 0;
  if (!syn_fastopen_) {
    cookie.reset();  // an unsolicited cookie is ignored
  } else if (syn_retries_ == 0 && !cookie && syn_data_.empty()) {
    // Asked for a cookie, got none: try the other option next time.
    try_exp = syn_fastopen_exp_ ? 2 : 1;
  }
  if (syn_fastopen_ || !syn_data_.empty()) {
    protocol_.fast_open_cache().set(tuple_.remote_address, s.options.mss.value_or(0), cookie,
                                    try_exp);
  }
  const bool had_data = !syn_data_.empty();
  const bool data_again = settle_syn_data(s.ack, /*mark_lost=*/true);
  syn_data_acked_ = had_data && !data_again;  // TCPI_OPT_SYN_DATA
  return data_again;
}

bool Endpoint::settle_syn_data(seqnum::Value ack, bool mark_lost) {
  const seqnum::Value data_start = iss_.add(seqnum::Size(1));
  const size_t acked = std::min<size_t>(
      data_start.size_to(ack).bytes() * size_t{ack.greater_than(iss_)}, syn_data_.size());
  const bool data_lost = acked < syn_data_.size();
  if (data_lost) {
    // The data the ACK did not cover was sent with the SYN: it is queued as
    // sent, and goes again as a retransmission.
    const std::span<const uint8_t> rest = std::span(syn_data_).subspan(acked);
    queue_write(rest, /*more=*/false, /*eor=*/false);
    const seqnum::Value end = snd_una_.add(seqnum::Size(static_cast<uint32_t>(rest.size())));
    send_skbs_.add(snd_una_, end);
    sent_.on_transmit(snd_una_, end, /*fin=*/false, handshake_started_);
    snd_nxt_ = snd_max_ = end;
    if (mark_lost) {
      // Linux tcp_mark_skb_lost(), then tcp_non_congestion_loss_retransmit().
      sent_.mark_lost(sent_.entries().back());
      recovery_.on_non_congestion_loss(snd_nxt_);
    } else {
      arm_retransmit();
    }
  }
  syn_data_.clear();
  return data_lost;
}

}  // namespace netstack::tcp
