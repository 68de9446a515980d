// TCP_INQ, SIOCINQ, MSG_ZEROCOPY notifications, TCP_NOTSENT_LOWAT,
// SO_TIMESTAMPING TX timestamps and epoll on endpoints,
// each expectation Linux's (the Linux function is named beside it).
#include "stack/tcp/epoll.h"
#include "stack/tcp/tx_timestamps.h"
#include "stack/tcp/zerocopy.h"
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

constexpr uint32_t kEpollIn = poll_event::kIn;
constexpr uint32_t kEpollOut = poll_event::kOut;
constexpr uint32_t kEpollErr = poll_event::kErr;

std::vector<uint8_t> bytes(size_t n) {
  return std::vector<uint8_t>(n, 0x5a);
}

ErrorQueueEntry zerocopy_range(uint32_t lo, uint32_t hi) {
  return ErrorQueueEntry{.origin = ErrorQueueEntry::Origin::kZerocopy, .info = lo, .data = hi};
}

TEST(ZerocopyNotifier, CompletesWhenAckedAndMergesConsecutiveIds) {
  ZerocopyNotifier n;
  ErrorQueue q;
  n.on_send(seqnum::Value(100));
  n.on_send(seqnum::Value(200));
  n.on_send(seqnum::Value(300));
  EXPECT_FALSE(n.on_acked(seqnum::Value(99), q));
  EXPECT_TRUE(n.on_acked(seqnum::Value(200), q));  // ids 0 and 1
  EXPECT_FALSE(q.empty());
  EXPECT_TRUE(n.on_acked(seqnum::Value(300), q));  // id 2 joins [0, 1]
  EXPECT_EQ(q.pop(), zerocopy_range(0, 2));
  EXPECT_EQ(q.pop(), std::nullopt);
}

TEST(ZerocopyNotifier, AReadRangeIsNotExtended) {
  ZerocopyNotifier n;
  ErrorQueue q;
  n.on_send(seqnum::Value(10));
  n.on_send(seqnum::Value(20));
  n.on_acked(seqnum::Value(10), q);
  EXPECT_EQ(q.pop(), zerocopy_range(0, 0));
  n.on_acked(seqnum::Value(20), q);
  EXPECT_EQ(q.pop(), zerocopy_range(1, 1));
}

TEST(ZerocopyNotifier, ATimestampBetweenCompletionsStartsANewRange) {
  // Linux skb_zerocopy_notify_extend() extends only a zerocopy tail.
  ZerocopyNotifier n;
  ErrorQueue q;
  n.on_send(seqnum::Value(10));
  n.on_send(seqnum::Value(20));
  n.on_acked(seqnum::Value(10), q);
  q.push(ErrorQueueEntry{.origin = ErrorQueueEntry::Origin::kTimestamping});
  n.on_acked(seqnum::Value(20), q);
  EXPECT_EQ(q.pop(), zerocopy_range(0, 0));
  EXPECT_EQ(q.pop()->origin, ErrorQueueEntry::Origin::kTimestamping);
  EXPECT_EQ(q.pop(), zerocopy_range(1, 1));
}

TEST(TxTimestamps, OptIdNeedsAConnectedSocketAndOptIdTcpNeedsOptId) {
  // Linux sock_set_timestamping().
  using namespace timestamping;
  TxTimestamps t;
  EXPECT_EQ(t.configure(kOptId, /*connected=*/false, seqnum::Value(1), seqnum::Value(1)), EINVAL);
  EXPECT_EQ(t.configure(kOptIdTcp, true, seqnum::Value(1), seqnum::Value(1)), EINVAL);
  EXPECT_EQ(t.configure(1u << 20, true, seqnum::Value(1), seqnum::Value(1)), EINVAL);
  EXPECT_EQ(t.configure(kTxAck, false, seqnum::Value(1), seqnum::Value(1)), 0);
  EXPECT_EQ(t.flags(), kTxAck);
}

TEST(TxTimestamps, TheLastByteOfAWriteIsStampedOnEachTransmissionAndOnItsAck) {
  using namespace timestamping;
  TxTimestamps t;
  ErrorQueue q;
  // OPT_ID at snd_una 101: keys count from there.
  ASSERT_EQ(t.configure(kTxSched | kTxSoftware | kTxAck | kOptId, true, seqnum::Value(101),
                        seqnum::Value(101)),
            0);
  t.on_write(seqnum::Value(301));  // bytes 101..300: byte 300 is marked, key 199
  SendSkbs skbs;
  skbs.add(seqnum::Value(101), seqnum::Value(201));
  skbs.add(seqnum::Value(201), seqnum::Value(301));
  t.on_transmit(seqnum::Value(101), 100, 152, Instant::from_nanos(5), q);  // not the marked byte
  EXPECT_TRUE(q.empty());
  t.on_transmit(seqnum::Value(201), 100, 152, Instant::from_nanos(7), q);
  t.on_transmit(seqnum::Value(201), 100, 152, Instant::from_nanos(9), q);  // a retransmission
  t.on_acked(seqnum::Value(101), seqnum::Value(300), skbs, 50, Instant::from_nanos(10), q);
  t.on_acked(seqnum::Value(300), seqnum::Value(301), skbs, 50, Instant::from_nanos(11), q);
  using O = ErrorQueueEntry::Origin;
  const auto stamp = [](TxStampKind kind, int64_t at, uint32_t length) {
    return ErrorQueueEntry{O::kTimestamping, static_cast<uint32_t>(kind), 199,
                           Instant::from_nanos(at), length};
  };
  // SCHED and SND clone the whole packet; ACK the skb, whose head the
  // partial ACK trimmed to one byte: it held two 50-byte segments.
  EXPECT_EQ(q.pop(), stamp(TxStampKind::kSched, 7, 152));
  EXPECT_EQ(q.pop(), stamp(TxStampKind::kSnd, 7, 152));
  EXPECT_EQ(q.pop(), stamp(TxStampKind::kSched, 9, 152));
  EXPECT_EQ(q.pop(), stamp(TxStampKind::kSnd, 9, 152));
  EXPECT_EQ(q.pop(), stamp(TxStampKind::kAck, 11, 1));
  EXPECT_EQ(q.pop(), std::nullopt);
}

TEST(TxTimestamps, OptTsonlyStampsCarryNoBytes) {
  // Linux __skb_tstamp_tx(): with OPT_TSONLY the error queue gets an empty skb.
  using namespace timestamping;
  TxTimestamps t;
  ErrorQueue q;
  ASSERT_EQ(
      t.configure(kTxSoftware | kTxAck | kOptTsonly, true, seqnum::Value(1), seqnum::Value(1)), 0);
  t.on_write(seqnum::Value(11));
  SendSkbs skbs;
  skbs.add(seqnum::Value(1), seqnum::Value(11));
  t.on_transmit(seqnum::Value(1), 10, 62, Instant::from_nanos(1), q);
  t.on_acked(seqnum::Value(1), seqnum::Value(11), skbs, 10, Instant::from_nanos(2), q);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q.pop()->length, 0u);
  EXPECT_EQ(q.pop()->length, 0u);
}

TEST(TxTimestamps, WithoutOptIdTheKeyIsZeroAndWritesWithoutRecordFlagsAreNotMarked) {
  using namespace timestamping;
  TxTimestamps t;
  ErrorQueue q;
  t.on_write(seqnum::Value(50));  // no flags yet
  ASSERT_EQ(t.configure(kTxSoftware, true, seqnum::Value(1), seqnum::Value(50)), 0);
  t.on_transmit(seqnum::Value(1), 49, 101, Instant::from_nanos(1), q);
  EXPECT_TRUE(q.empty());
  t.on_write(seqnum::Value(60));
  t.on_transmit(seqnum::Value(50), 10, 62, Instant::from_nanos(2), q);
  const auto e = q.pop();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->info, static_cast<uint32_t>(TxStampKind::kSnd));
  EXPECT_EQ(e->data, 0u);
}

using SocketFeatures = EstablishedFixture;

TEST_F(SocketFeatures, ZerocopyWritesNotifyOnlyWithSoZerocopy) {
  ASSERT_EQ(ep->write(bytes(100), {.zerocopy = true}).value(), 100u);
  h.out();
  h.in(Seg{.seq = 1001, .ack = iss + 101});
  EXPECT_EQ(ep->read_error_queue().error(), EAGAIN);  // flag ignored without SO_ZEROCOPY

  ASSERT_EQ(ep->set_option(SockOpt::kZerocopy, 1), 0);
  EXPECT_EQ(ep->set_option(SockOpt::kZerocopy, 2), EINVAL);
  ASSERT_EQ(ep->write(bytes(100), {.zerocopy = true}).value(), 100u);
  h.out();
  EXPECT_EQ(ep->poll() & kEpollErr, 0u);
  const uint64_t errors_before = ep->wakeups().error;
  h.in(Seg{.seq = 1001, .ack = iss + 201});
  EXPECT_EQ(ep->wakeups().error, errors_before + 1);  // sk_error_report
  EXPECT_NE(ep->poll() & kEpollErr, 0u);
  EXPECT_EQ(ep->read_error_queue().value(), zerocopy_range(0, 0));
  EXPECT_EQ(ep->poll() & kEpollErr, 0u);
}

TEST_F(SocketFeatures, NotSentLowatStopsAWriteAtANewSkbAndHoldsPollout) {
  // tcp_stream_memory_free(): with nothing unsent the socket is writable;
  // ten segments go at once (cwnd 10), and the rest waits unsent.
  EXPECT_EQ(ep->get_option(SockOpt::kNotSentLowat).value(), 0);
  ASSERT_EQ(ep->set_option(SockOpt::kNotSentLowat, 100), 0);
  EXPECT_EQ(ep->get_option(SockOpt::kNotSentLowat).value(), 100);
  ASSERT_EQ(ep->write(bytes(1000)).value(), 1000u);
  EXPECT_NE(ep->poll() & kEpollOut, 0u);
  ASSERT_EQ(ep->write(bytes(20000)).value(), 20000u);  // one new skb, below the limit
  EXPECT_EQ(ep->poll() & kEpollOut, 0u);
  // Raising the limit (and waking writers, sk_write_space()) frees them.
  const uint64_t wakeups = ep->wakeups().writable;
  ASSERT_EQ(ep->set_option(SockOpt::kNotSentLowat, -1), 0);
  EXPECT_EQ(ep->wakeups().writable, wakeups + 1);
  EXPECT_NE(ep->poll() & kEpollOut, 0u);
}

TEST_F(SocketFeatures, UnreadBytesCountDataNotTheFinAndTheInqHintSaysEof) {
  EXPECT_EQ(ep->unread_bytes().value(), 0u);
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = iss + 1, .payload = bytes(300)});
  EXPECT_EQ(ep->unread_bytes().value(), 300u);
  EXPECT_EQ(ep->inq_hint(), 300u);
  h.in(Seg{.flags = kAck | kFin, .seq = 1301, .ack = iss + 1});
  EXPECT_EQ(ep->unread_bytes().value(), 300u);
  std::array<uint8_t, 300> buf{};
  ASSERT_EQ(ep->read(buf).value(), 300u);
  EXPECT_EQ(ep->unread_bytes().value(), 0u);
  EXPECT_EQ(ep->inq_hint(), 1u);  // tcp_inq_hint(): drained and closed
}

TEST(SocketFeaturesListener, UnreadBytesOnAListenerIsEinval) {
  PeerHarness h;
  const EndpointId l = h.listen();
  EXPECT_EQ(h.tcp.find(l)->unread_bytes().error(), EINVAL);
}

TEST_F(SocketFeatures, TcpInfoLastDataRecvCountsFromTheLastData) {
  h.advance(300ms);
  EXPECT_EQ(ep->info().last_data_recv, 300ms);
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = iss + 1, .payload = bytes(10)});
  EXPECT_EQ(ep->info().last_data_recv, 0ms);
}

struct EpollTest : EstablishedFixture {
  Epoll epoll;
  std::vector<Epoll::Event> wait() {
    return epoll.wait(8, [this](int fd) -> const Endpoint* { return fd == 4 ? ep : nullptr; });
  }
  void data(uint32_t seq, size_t n) {
    h.in(Seg{.flags = kAck | kPsh, .seq = seq, .ack = iss + 1, .payload = bytes(n)});
  }
};

TEST_F(EpollTest, LevelTriggeredReportsWhileReady) {
  ASSERT_EQ(epoll.add(4, *ep, kEpollIn, 4), 0);
  EXPECT_TRUE(wait().empty());
  data(1001, 10);
  for (int i = 0; i < 2; ++i) {
    const auto ready = wait();
    ASSERT_EQ(ready.size(), 1u);
    EXPECT_EQ(ready[0].events, kEpollIn);
    EXPECT_EQ(ready[0].data, 4u);
  }
}

TEST_F(EpollTest, EdgeTriggeredReportsOncePerMatchingWakeup) {
  ASSERT_EQ(epoll.add(4, *ep, kEpollOut | epoll_flag::kEdge, 4), 0);
  EXPECT_EQ(wait().size(), 1u);  // ready when added
  EXPECT_TRUE(wait().empty());
  data(1001, 10);  // sk_data_ready: its key misses EPOLLOUT
  EXPECT_TRUE(wait().empty());
  ASSERT_EQ(epoll.modify(4, *ep, kEpollIn | kEpollOut | epoll_flag::kEdge, 4), 0);
  EXPECT_EQ(wait().size(), 1u);  // ep_modify() re-polls
  data(1011, 10);
  const auto ready = wait();
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].events, kEpollIn | kEpollOut);
  EXPECT_TRUE(wait().empty());
}

TEST_F(EpollTest, OneshotDisarmsUntilModified) {
  ASSERT_EQ(epoll.add(4, *ep, kEpollOut | epoll_flag::kOneshot, 4), 0);
  EXPECT_EQ(wait().size(), 1u);
  EXPECT_TRUE(wait().empty());
  ASSERT_EQ(epoll.modify(4, *ep, kEpollOut | epoll_flag::kOneshot, 4), 0);
  EXPECT_EQ(wait().size(), 1u);
}

TEST_F(EpollTest, ControlErrorsAreLinuxs) {
  EXPECT_EQ(epoll.modify(4, *ep, kEpollIn, 4), ENOENT);
  EXPECT_EQ(epoll.remove(4), ENOENT);
  // do_epoll_ctl(): EPOLLEXCLUSIVE with EPOLLONESHOT, or on MOD, is EINVAL.
  EXPECT_EQ(epoll.add(4, *ep, kEpollIn | epoll_flag::kExclusive | epoll_flag::kOneshot, 4), EINVAL);
  ASSERT_EQ(epoll.add(4, *ep, kEpollIn | epoll_flag::kExclusive, 4), 0);
  EXPECT_EQ(epoll.add(4, *ep, kEpollIn, 4), EEXIST);
  EXPECT_EQ(epoll.modify(4, *ep, kEpollIn, 4), EINVAL);
  EXPECT_EQ(epoll.remove(4), 0);
}

}  // namespace
}  // namespace netstack::tcp::testing
