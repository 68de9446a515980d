// TCP Fast Open on the server side (RFC 7413 4.2; Linux tcp_try_fastopen(),
// tcp_fastopen_create_child(), tcp_fastopen_queue_check()).
#include "stack/header/tcp_packet.h"
#include "stack/tcp/endpoint.h"
#include "stack/tcp/fast_open.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

Endpoint::FastOpenVerdict Endpoint::fast_open_verdict(const Segment& syn) {
  const Config& c = protocol_.config();
  const std::optional<header::FastOpenCookie>& offered = syn.options.fast_open;
  FastOpenVerdict v;
  // Linux: only with the server bit, a listener that asked for Fast Open
  // (TCP_FASTOPEN, or listen() with TFO_SERVER_WO_SOCKOPT1), room in its
  // pending queue, and data or a Fast Open option in the SYN.
  if ((c.fastopen & Config::kFastOpenServer) == 0 || fastopen_max_qlen_ == 0 ||
      (syn.payload.empty() && !offered) || fastopen_qlen_ >= fastopen_max_qlen_) {
    return v;
  }
  if ((c.fastopen & Config::kFastOpenServerNoCookie) != 0) {
    v.accept = true;
    return v;
  }
  if (!offered) return v;
  const header::FastOpenCookie valid = server_cookie(
      protocol_.fast_open_key(), syn.wire.tuple.remote_address, syn.wire.tuple.local_address);
  if (offered->length > 0 && offered->value().size() == valid.value().size() &&
      std::ranges::equal(offered->value(), valid.value())) {
    v.accept = true;
    return v;
  }
  // A cookie request, or a cookie that is not ours: the SYN-ACK hands out
  // the right one, in the form the client used.
  v.reply = valid;
  v.reply->experimental = offered->experimental;
  return v;
}

void Endpoint::start_fast_open_child(Endpoint& child, const Segment& syn) {
  ++fastopen_qlen_;
  child.passive_fastopen_ = true;
  child.fastopen_listener_ = id_;
  // The child can send before its SYN-ACK is acknowledged, so its data
  // starts after the SYN-ACK (Linux tcp_sendmsg() allows a passive Fast Open
  // socket to send in SYN-RECEIVED).
  child.snd_una_ = child.snd_nxt_ = child.snd_max_ = child.iss_.add(seqnum::Size(1));
  child.snd_sml_ = child.pushed_seq_ = child.snd_una_;
  child.snd_wl1_ = syn.seq;
  child.snd_wl2_ = child.snd_una_;
  if (!syn.payload.empty()) {
    // Linux tcp_fastopen_add_skb(): the data is queued and acknowledged.
    const auto len = static_cast<uint32_t>(syn.payload.size());
    child.rwin_.queued(len);
    child.receive_queue_.append(syn.payload);
    child.rcv_nxt_ = child.rcv_nxt_.add(seqnum::Size(len));
    child.syn_data_acked_ = true;
  }
  listen_queue_.established(child.id_);
}

void Endpoint::end_passive_fast_open() {
  if (!passive_fastopen_) return;
  passive_fastopen_ = false;
  if (Endpoint* l = protocol_.find(fastopen_listener_)) {
    if (l->fastopen_qlen_ > 0) --l->fastopen_qlen_;
  }
  fastopen_listener_ = kNoEndpoint;
}

}  // namespace netstack::tcp
