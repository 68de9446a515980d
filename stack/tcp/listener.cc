// The LISTEN state: SYN queue, accept queue and SYN cookies (gVisor
// accept.go; Linux tcp_conn_request(), inet_csk_reqsk_queue_*, syncookies.c).
#include <algorithm>
#include <array>

#include "stack/header/tcp_packet.h"
#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

namespace {

// Linux msstab: the MSS values a SYN cookie can encode (2 bits).
constexpr std::array<uint16_t, 4> kCookieMss{536, 1300, 1440, 1460};
// A cookie is valid for the minute it was made and the next one (Linux
// MAX_SYNCOOKIE_AGE = 2 counter periods of 60 s).
constexpr int64_t kCookiePeriodNs = 60'000'000'000;
constexpr uint32_t kCookieMaxAge = 2;
// Linux TSBITS: the low 6 bits of a cookie SYN-ACK's TSval: 4 for the peer's
// window scale (all ones: none) and one for SACK.
constexpr uint32_t kCookieTsMask = 0x3f;
constexpr uint32_t kCookieNoWscale = 0x0f;
constexpr uint32_t kCookieSack = 0x10;

uint32_t cookie_counter(Instant t) {
  return static_cast<uint32_t>(t.nanos() / kCookiePeriodNs);
}

uint32_t make_cookie(const IsnGenerator& keys, const FourTuple& t, seqnum::Value peer_isn,
                     uint32_t counter, uint32_t mss_index) {
  // Linux secure_tcp_syn_cookie(): hash + peer ISN + counter in the top 8
  // bits, and a second counter-keyed hash carrying the MSS index in the low 24.
  const uint32_t h1 = keys.keyed_hash(t, 0x636b3131u);
  const uint32_t h2 = keys.keyed_hash(t, 0x636b3232u ^ counter);
  return h1 + peer_isn.raw() + (counter << 24) + ((h2 + mss_index) & 0x00ffffffu);
}

// The MSS index a cookie carries, or -1 if it is not one of ours.
int check_cookie(const IsnGenerator& keys, const FourTuple& t, seqnum::Value peer_isn,
                 uint32_t cookie, uint32_t now_counter) {
  const uint32_t h1 = keys.keyed_hash(t, 0x636b3131u);
  const uint32_t rest = cookie - h1 - peer_isn.raw();
  const uint32_t counter = (now_counter - (rest >> 24)) & 0xffu;
  if (counter >= kCookieMaxAge) return -1;
  const uint32_t made_at = now_counter - counter;
  const uint32_t h2 = keys.keyed_hash(t, 0x636b3232u ^ made_at);
  const uint32_t index = ((rest & 0x00ffffffu) - h2) & 0x00ffffffu;
  return index < kCookieMss.size() ? static_cast<int>(index) : -1;
}

}  // namespace

void Endpoint::handle_listen(Segment& s) {
  const InboundSegment& in = s.wire;
  // RFC 9293 3.10.7.2.
  if (s.has(kRst)) {
    trace_in(s, Verdict::kResetIgnored);
    return;
  }
  if (s.has(kAck)) {
    if (!s.has(kSyn) && accept_cookie(s)) return;
    // Any other ACK: <SEQ=SEG.ACK><CTL=RST>. Traced once answered, like
    // every segment: an observer counts what went out before as its replies.
    protocol_.send_reset_reply(in, id_, state_);
    trace_in(s, Verdict::kBadAck);
    return;
  }
  // Linux tcp_rcv_state_process() in LISTEN: only a SYN opens, and a SYN
  // that also carries FIN is discarded without an answer.
  if (!s.has(kSyn) || s.has(kFin)) {
    trace_in(s, Verdict::kListenDropped);
    return;
  }
  const Config& c = protocol_.config();
  // Linux: a full accept queue drops new SYNs (LISTENOVERFLOWS).
  if (listen_queue_.accept_queue_full()) {
    ++protocol_.stats().listen_overflows;
    trace_in(s, Verdict::kListenDropped);
    return;
  }
  // Linux inet_csk_reqsk_queue_is_full(): more embryonic connections than the
  // backlog turns SYN cookies on (tcp_syncookies=1), or drops the SYN.
  if (listen_queue_.syn_queue_full(c.max_syn_backlog)) {
    if (!c.syncookies) {
      ++protocol_.stats().listen_overflows;
      trace_in(s, Verdict::kListenDropped);
      return;
    }
    // Stateless answer: the cookie is our ISN and carries the peer's MSS as
    // an index; with timestamps, the peer's window scale and SACK ride in
    // the low bits of our TSval (Linux cookie_init_timestamp()).
    const uint16_t peer_mss = s.options.mss.value_or(536);
    uint32_t index = 0;
    for (uint32_t i = 0; i < kCookieMss.size(); ++i) {
      if (kCookieMss[i] <= peer_mss) index = i;
    }
    const uint32_t cookie =
        make_cookie(protocol_.isn(), in.tuple, s.seq, cookie_counter(now()), index);
    header::TcpPacketSpec spec;
    spec.src = in.tuple.local_address;
    spec.dst = in.tuple.remote_address;
    spec.tcp.src_port = in.tuple.local_port;
    spec.tcp.dst_port = in.tuple.remote_port;
    spec.tcp.seq = cookie;
    spec.tcp.ack = s.seq.raw() + 1;
    spec.tcp.flags = kSyn | kAck;
    rwin_.initialize(kCookieMss[index]);
    spec.tcp.window = rwin_.syn_window();
    spec.options.mss = mss_to_advertise();  // Linux advertises its own MSS
    if (c.timestamps && s.options.timestamps) {
      const bool ws = c.window_scaling && s.options.window_scale.has_value();
      const bool sack = c.sack && s.options.sack_permitted;
      const uint32_t encoded =
          (ws ? *s.options.window_scale : kCookieNoWscale) | (sack ? kCookieSack : 0u);
      spec.options.timestamps =
          header::Timestamps{(ts_value() & ~kCookieTsMask) | encoded, s.options.timestamps->value};
      spec.options.sack_permitted = sack;
      if (ws) spec.options.window_scale = window_scale_to_offer();
    }
    ++protocol_.stats().syncookies_sent;
    ++protocol_.stats().segments_sent;
    trace_in(s, Verdict::kSynCookie);
    if (Tracer* t = protocol_.tracer()) {
      t->on_segment_out(now(), id_, state_, SegmentOut{spec.tcp, spec.options, {}});
    }
    protocol_.stack().send(header::build_tcp_packet(spec), spec.src);
    return;
  }
  // Linux tcp_conn_request(): no memory for a request sock drops the SYN;
  // the peer's retransmission tries again.
  if (protocol_.allocation_fails(AllocationSite::kRequestSock)) {
    trace_in(s, Verdict::kListenDropped);
    return;
  }
  const seqnum::Value iss = protocol_.isn().isn(in.tuple, now());
  Endpoint* child = new_child(s, iss);
  if (child == nullptr) {
    trace_in(s, Verdict::kListenDropped);
    return;
  }
  trace_in(s, Verdict::kSynQueued);
  const FastOpenVerdict fast_open = fast_open_verdict(s);
  child->syn_fast_open_ = fast_open.reply;
  if (fast_open.accept) start_fast_open_child(*child, s);
  child->send_syn_ack();
}

Endpoint* Endpoint::new_child(const Segment& syn, seqnum::Value iss) {
  const InboundSegment& in = syn.wire;
  Endpoint& child = protocol_.create(family_);
  if (!protocol_.stack().tcp_demuxer().add_connection(in.tuple, &child)) {
    child.user_closed_ = true;
    return nullptr;
  }
  ++protocol_.stats().passive_opens;
  child.user_closed_ = true;  // until accept() hands it to a user
  child.listener_ = id_;
  child.tuple_ = in.tuple;
  child.nic_ = in.nic;
  child.bound_ = true;
  child.registered_connection_ = true;
  child.ecn_on_passive_syn(syn);
  // Inherited socket options (Linux copies the listener's settings).
  child.reuse_addr_ = reuse_addr_;
  child.nodelay_ = nodelay_;
  child.keepalive_ = keepalive_;
  child.keep_idle_ = keep_idle_;
  child.keep_intvl_ = keep_intvl_;
  child.keep_cnt_ = keep_cnt_;
  child.user_timeout_ = user_timeout_;
  child.defer_accept_ = defer_accept_;
  child.user_mss_ = user_mss_;
  child.linger2_ = linger2_;
  child.linger_ = linger_;
  child.inq_ = inq_;
  child.zerocopy_ = zerocopy_;
  child.mark_ = mark_;
  child.oob_inline_ = oob_inline_;
  child.rcvbuf_ = rcvbuf_;
  child.max_rcvbuf_ = max_rcvbuf_;
  child.rcvbuf_locked_ = rcvbuf_locked_;
  child.rwin_.configure(rcvbuf_, rcvbuf_locked_);
  child.sndbuf_ = sndbuf_;
  child.max_sndbuf_ = max_sndbuf_;
  child.sndbuf_locked_ = sndbuf_locked_;
  child.reassembly_.set_max_bytes(rcvbuf_);
  child.recovery_.set_algorithm(recovery_.algorithm());  // TCP_CONGESTION too
  child.iss_ = iss;
  child.snd_una_ = child.snd_nxt_ = child.snd_max_ = iss;
  child.irs_ = syn.seq;
  child.rcv_nxt_ = syn.seq.add(seqnum::Size(1));
  child.handshake_started_ = now();
  child.advertised_mss_ = child.mss_to_advertise();
  child.rcv_wscale_ = child.window_scale_to_offer();
  child.negotiate_syn_options(syn.options);
  // Linux tcp_openreq_init_rwin(): whole segments of what a segment carries.
  child.rwin_.initialize(child.advertised_mss_ - (child.ts_enabled_ ? 12u : 0u));
  child.snd_wnd_ = syn.window;
  // The child starts as a copy of the listener, so its first edge is the
  // RFC's LISTEN -> SYN-RECEIVED.
  child.state_ = State::kListen;
  child.transition(State::kSynRcvd, "rcv SYN");
  listen_queue_.add_embryonic(child.id_);
  return &child;
}

bool Endpoint::take_reopening_syn(const Segment& syn, seqnum::Value iss) {
  if (state_ != State::kListen) return false;
  // The listener takes the SYN as any other (a SYN with FIN is discarded).
  if (syn.has(kFin) || listen_queue_.accept_queue_full()) return true;
  if (Endpoint* child = new_child(syn, iss)) child->send_syn_ack();
  return true;
}

bool Endpoint::accept_cookie(Segment& s) {
  const InboundSegment& in = s.wire;
  const Config& c = protocol_.config();
  if (!c.syncookies || s.has(kRst) || s.has(kSyn)) return false;
  const seqnum::Value peer_isn = s.seq.sub(seqnum::Size(1));
  const int index =
      check_cookie(protocol_.isn(), in.tuple, peer_isn, s.ack.raw() - 1, cookie_counter(now()));
  if (index < 0) {
    ++protocol_.stats().syncookies_failed;
    return false;
  }
  if (listen_queue_.accept_queue_full()) {
    ++protocol_.stats().listen_overflows;
    trace_in(s, Verdict::kListenDropped);
    return true;
  }
  Segment syn{.wire = in, .seq = peer_isn, .window = s.window};
  syn.options.mss = kCookieMss[static_cast<size_t>(index)];
  if (c.timestamps && s.options.timestamps && s.options.timestamps->echo_reply != 0) {
    // The options the SYN had, from the echoed TSval (Linux cookie_timestamp_decode()).
    const uint32_t encoded = s.options.timestamps->echo_reply & kCookieTsMask;
    if ((encoded & kCookieNoWscale) != kCookieNoWscale) {
      syn.options.window_scale = static_cast<uint8_t>(encoded & kCookieNoWscale);
    }
    syn.options.sack_permitted = (encoded & kCookieSack) != 0;
    syn.options.timestamps = header::Timestamps{s.options.timestamps->value, 0};
  }
  Endpoint* child = new_child(syn, s.ack.sub(seqnum::Size(1)));
  if (child == nullptr) return false;
  ++protocol_.stats().syncookies_accepted;
  trace_in(s, Verdict::kCookieAccepted);
  // Linux cookie_v4_check(): the window is sized by the decoded MSS, with no
  // allowance for timestamps.
  child->rwin_.initialize(kCookieMss[static_cast<size_t>(index)]);
  child->snd_max_ = child->snd_nxt_ = s.ack;
  child->rcv_adv_ = s.seq.add(seqnum::Size(child->rwin_.rcv_wnd()));
  child->rcv_wup_ = child->rcv_nxt_;
  // The child takes the ACK as its own; the listener has traced it.
  s.traced_by_listener = true;
  child->handle_syn_rcvd(s);
  return true;
}

}  // namespace netstack::tcp
