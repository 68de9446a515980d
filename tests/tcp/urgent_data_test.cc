// Urgent data (MSG_OOB) as Linux handles it: the receiver's urgent byte
// (UrgentReceiver, and the socket around it) and the sender's urgent
// pointer. Each behaviour is also pinned, against Linux, by the scripts in
// corpus/scripts/urgent/.
#include "stack/tcp/urgent_data.h"

#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

seqnum::Value at(uint32_t v) {
  return seqnum::Value(v);
}

// A reader that has read up to `copied` of data received up to `rcv_nxt`.
UrgentReceiver::Stream reader(uint32_t copied, uint32_t rcv_nxt, bool inline_urgent) {
  return {at(copied), at(rcv_nxt), rcv_nxt - copied, inline_urgent};
}

std::vector<uint8_t> counting(size_t n, uint8_t first = 0) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(first + i);
  return v;
}

TEST(UrgentReceiver, ThePointerNamesTheByteBeforeIt) {
  UrgentReceiver u;
  const std::vector<uint8_t> payload = counting(10);
  EXPECT_FALSE(u.on_segment(at(100), false, 10, payload, reader(100, 100, false)));
  EXPECT_TRUE(u.byte_waiting());
  uint8_t byte = 0;
  EXPECT_EQ(u.read_oob(/*peek=*/true, &byte), UrgentReceiver::OobRead::kByte);
  EXPECT_EQ(byte, 9);  // sequence number 109, the last of the segment
  EXPECT_EQ(u.read_oob(false, &byte), UrgentReceiver::OobRead::kByte);
  EXPECT_EQ(u.read_oob(false, &byte), UrgentReceiver::OobRead::kNone);
  // Read or not out of band, the byte's place in the stream stays marked.
  EXPECT_TRUE(u.at_mark(at(109)));
  EXPECT_FALSE(u.at_mark(at(108)));
}

TEST(UrgentReceiver, AZeroPointerNamesTheFirstByte) {
  UrgentReceiver u;
  const std::vector<uint8_t> payload = counting(10, 50);
  u.on_segment(at(100), false, 0, payload, reader(100, 100, false));
  uint8_t byte = 0;
  ASSERT_EQ(u.read_oob(false, &byte), UrgentReceiver::OobRead::kByte);
  EXPECT_EQ(byte, 50);
}

TEST(UrgentReceiver, APointerAheadWaitsForTheSegmentThatBringsItsByte) {
  UrgentReceiver u;
  u.on_segment(at(100), false, 150, counting(100), reader(100, 100, false));
  uint8_t byte = 0;
  EXPECT_EQ(u.read_oob(false, &byte), UrgentReceiver::OobRead::kNotYet);
  EXPECT_FALSE(u.byte_waiting());
  // A segment without URG carries the byte (sequence number 249).
  u.on_segment(at(200), false, std::nullopt, counting(100, 100), reader(100, 200, false));
  ASSERT_EQ(u.read_oob(false, &byte), UrgentReceiver::OobRead::kByte);
  EXPECT_EQ(byte, 149);
}

TEST(UrgentReceiver, OnlyANewerPointerReplacesTheKnownOne) {
  UrgentReceiver u;
  u.on_segment(at(100), false, 10, counting(10), reader(100, 100, false));
  // Older, equal, or already received in order: no news.
  u.on_segment(at(100), false, 5, counting(10), reader(100, 110, false));
  u.on_segment(at(105), false, 0, counting(5), reader(100, 110, false));
  EXPECT_TRUE(u.at_mark(at(109)));
  // Newer: the unread urgent byte at the head of the stream must go.
  EXPECT_TRUE(u.on_segment(at(110), false, 5, counting(5), reader(109, 110, false)));
  EXPECT_TRUE(u.at_mark(at(114)));
  // With SO_OOBINLINE the old byte stays in the stream.
  UrgentReceiver inline_u;
  inline_u.on_segment(at(100), false, 10, counting(10), reader(100, 100, true));
  EXPECT_FALSE(inline_u.on_segment(at(110), false, 5, counting(5), reader(109, 110, true)));
}

// Found by scenario_fuzzer and segment_fuzzer: with the stream read to its
// end and only the peer's FIN after it, a newer pointer had the stack drop
// an urgent byte from an empty receive queue.
TEST(UrgentReceiver, NoByteIsDroppedWhenNothingIsUnread) {
  UrgentReceiver u;
  u.on_segment(at(100), false, 10, counting(10), reader(100, 100, false));
  UrgentReceiver::Stream after_fin{at(109), at(111), 0, false};  // byte 109 skipped, FIN at 110
  EXPECT_FALSE(u.on_segment(at(111), false, 5, {}, after_fin));
}

TEST(UrgentReceiver, AReadStopsAtTheMarkAndStepsOverTheByte) {
  UrgentReceiver u;
  u.on_segment(at(100), false, 10, counting(10), reader(100, 100, false));
  const auto before = u.plan_read(at(100), false);
  EXPECT_FALSE(before.skip_urgent_byte);
  EXPECT_EQ(before.limit, 9u);
  EXPECT_TRUE(u.plan_read(at(109), false).skip_urgent_byte);
  // Inline, the byte is read as data.
  EXPECT_FALSE(u.plan_read(at(109), true).skip_urgent_byte);
  EXPECT_EQ(u.plan_read(at(109), true).limit, SIZE_MAX);
  u.on_read(at(110));
  EXPECT_FALSE(u.at_mark(at(110)));
  uint8_t byte = 0;
  EXPECT_EQ(u.read_oob(false, &byte), UrgentReceiver::OobRead::kNone);
}

TEST(UrgentReceiver, SequenceNumbersWrap) {
  UrgentReceiver u;
  u.on_segment(at(0xfffffffa), false, 10, counting(10), reader(0xfffffffa, 0xfffffffa, false));
  EXPECT_TRUE(u.at_mark(at(3)));
  EXPECT_EQ(u.plan_read(at(0xfffffffa), false).limit, 9u);
}

struct Urgent : EstablishedFixture {
  // The peer's first data, `bytes` of them counting from 0, with URG and
  // the urgent pointer.
  void send_urgent(uint16_t pointer, size_t bytes) {
    h.in(Seg{.flags = kAck | kPsh | kUrg,
             .seq = 1001,
             .ack = iss + 1,
             .urgent = pointer,
             .payload = counting(bytes)});
  }
};

TEST_F(Urgent, TheUrgentByteLeavesTheStreamForRecvOob) {
  ep->set_option(SockOpt::kRcvBuf, 65536);
  send_urgent(/*pointer=*/5, /*bytes=*/10);
  h.out();
  EXPECT_NE(ep->poll() & poll_event::kPri, 0u);
  std::array<uint8_t, 100> buf{};
  ASSERT_EQ(ep->read(buf).value(), 4u);  // stops at the mark
  EXPECT_EQ(ep->at_urgent_mark().value(), 1);
  std::array<uint8_t, 1> oob{};
  ASSERT_EQ(ep->read_urgent(oob).value(), 1u);
  EXPECT_EQ(oob[0], 4);
  EXPECT_EQ(ep->read_urgent(oob).error(), EINVAL);
  EXPECT_EQ(ep->poll() & poll_event::kPri, 0u);
  ASSERT_EQ(ep->read(buf).value(), 5u);  // steps over byte 4
  EXPECT_EQ(buf[0], 5);
  EXPECT_EQ(ep->at_urgent_mark().value(), 0);
}

TEST_F(Urgent, OobInlineKeepsTheByteInTheStream) {
  ASSERT_EQ(ep->set_option(SockOpt::kOobInline, 1), 0);
  send_urgent(/*pointer=*/5, /*bytes=*/10);
  std::array<uint8_t, 100> buf{};
  std::array<uint8_t, 1> oob{};
  EXPECT_EQ(ep->read_urgent(oob).error(), EINVAL);
  ASSERT_EQ(ep->read(buf).value(), 4u);
  ASSERT_EQ(ep->read(buf).value(), 6u);
  EXPECT_EQ(buf[0], 4);
}

TEST_F(Urgent, AnUnreadUrgentByteAloneIsNotReadable) {
  send_urgent(/*pointer=*/1, /*bytes=*/1);
  EXPECT_EQ(ep->poll() & poll_event::kIn, 0u);
  std::array<uint8_t, 10> buf{};
  EXPECT_EQ(ep->read(buf).error(), EAGAIN);  // the byte is consumed all the same
  EXPECT_EQ(ep->unread_bytes().value(), 0u);
}

TEST_F(Urgent, RecvOobWithoutItsByteNeverBlocks) {
  h.in(Seg{
      .flags = kAck | kUrg, .seq = 1001, .ack = iss + 1, .urgent = 50, .payload = counting(10)});
  std::array<uint8_t, 1> oob{};
  EXPECT_EQ(ep->read_urgent(oob).error(), EAGAIN);
  h.in(Seg{.flags = kAck | kFin, .seq = 1011, .ack = iss + 1});
  EXPECT_EQ(ep->read_urgent(oob).value(), 0u);  // the peer closed: end of stream
}

// Linux tcp_splice_read(): splice() never passes the mark, not even the
// urgent byte, inline or not; a blocking caller stopped there gets 0.
TEST_F(Urgent, SpliceStopsAtTheMark) {
  send_urgent(/*pointer=*/5, /*bytes=*/10);
  std::array<uint8_t, 100> buf{};
  ASSERT_EQ(ep->splice_read(buf, /*nonblocking=*/false).value(), 4u);
  EXPECT_EQ(ep->splice_read(buf, false).value(), 0u);
  EXPECT_EQ(ep->splice_read(buf, /*nonblocking=*/true).error(), EAGAIN);
  // read() steps over the urgent byte; splice() then goes on.
  ASSERT_EQ(ep->read(std::span(buf).first(2)).value(), 2u);
  EXPECT_EQ(buf[0], 5);
  ASSERT_EQ(ep->splice_read(buf, false).value(), 3u);
  EXPECT_EQ(ep->splice_read(buf, true).error(), EAGAIN);
}

// Linux tcp_splice_read(): with nothing to splice it answers as a read
// does: the reset's error first, then end of stream.
TEST_F(Urgent, SpliceAfterAResetReportsIt) {
  h.in(Seg{.flags = kRst, .seq = 1001});
  std::array<uint8_t, 10> buf{};
  EXPECT_EQ(ep->splice_read(buf, /*nonblocking=*/true).error(), ECONNRESET);
  EXPECT_EQ(ep->splice_read(buf, true).value(), 0u);
}

TEST_F(Urgent, EverySegmentBeforeThePointerCarriesIt) {
  ASSERT_EQ(ep->write(counting(5)).value(), 5u);
  EXPECT_EQ(h.out().flags & kUrg, 0);
  // Nagle would hold this one; urgent mode sends it.
  ASSERT_EQ(ep->write(counting(5), {.oob = true}).value(), 5u);
  const Seg urgent = h.out();
  EXPECT_EQ(urgent.flags & kUrg, kUrg);
  EXPECT_EQ(urgent.urgent, 5);  // just past the last byte written
  // A retransmission of the first segment points 10 bytes on.
  h.advance(ep->info().rto);
  const Seg again = h.out();
  ASSERT_EQ(again.seq, iss + 1);
  EXPECT_EQ(again.flags & kUrg, kUrg);
  EXPECT_EQ(again.urgent, 10);
  // Once the peer has the urgent data, urgent mode ends.
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 11});
  ASSERT_EQ(ep->write(counting(5)).value(), 5u);
  EXPECT_EQ(h.out().flags & kUrg, 0);
}

}  // namespace
}  // namespace netstack::tcp::testing
