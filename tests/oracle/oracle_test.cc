// Each rule of the reference oracle, on hand-built traces (oracle_fixture.h):
// the wrong trace is caught with the rule's name, the right one passes.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "tests/oracle/oracle_fixture.h"

namespace tcpfuzz::oracle {
namespace {

namespace flag = netstack::header::tcp_flag;
using namespace test_support;  // NOLINT(google-build-using-namespace)

TEST_F(OracleTest, ACorrectExchangePasses) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .len = 300});
  stack(40, {.seq = 5101, .ack = 1301, .window = 500});
  call(50, "read", 300);
  peer(60, {.flags = flag::kFin | flag::kAck, .seq = 1301, .ack = 5101});
  stack(60, {.seq = 5101, .ack = 1302, .window = 502});
  call(70, "read", 0);
  EXPECT_EQ(rule(), "none");
}

// ---- what the stack acknowledges ----

TEST_F(OracleTest, AckOfBytesNeverSent) {
  establish();
  stack(40, {.seq = 5101, .ack = 1101});
  EXPECT_EQ(rule(), "oracle: ack-of-unreceived");
}

TEST_F(OracleTest, AckOfBytesBehindAGap) {
  establish();
  peer(40, {.seq = 1101, .ack = 5101, .len = 100});
  stack(40, {.seq = 5101, .ack = 1201});
  EXPECT_EQ(rule(), "oracle: ack-of-unreceived");
}

TEST_F(OracleTest, SynAckOfASynNeverSent) {
  peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535});
  stack(0, {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1000, .window = 65535});
  EXPECT_EQ(rule(), "oracle: ack-of-unreceived");
}

TEST_F(OracleTest, AckOfDataThatStartedBeyondTheWindow) {
  establish(1);                                      // right edge 1001 + 128 = 1129
  peer(50, {.seq = 1130, .ack = 5101, .len = 100});  // starts beyond it
  stack(50, {.seq = 5101, .ack = 1001, .window = 1});
  peer(60, {.seq = 1001, .ack = 5101, .len = 129});
  stack(60, {.seq = 5101, .ack = 1230, .window = 1});
  EXPECT_EQ(rule(), "oracle: accepted-unacceptable-data");
}

TEST_F(OracleTest, DataStartingAtTheRightEdgeIsNotTaken) {
  establish(1);  // right edge 1129
  peer(50, {.seq = 1001, .ack = 5101, .len = 128});
  // seq == edge: tcp_sequence() lets it through, tcp_data_queue() drops it
  // (a zero window, TCPZEROWINDOWDROP).
  peer(50, {.seq = 1129, .ack = 5101, .len = 1});
  stack(50, {.seq = 5101, .ack = 1130, .window = 0});
  EXPECT_EQ(rule(), "oracle: accepted-unacceptable-data");
}

TEST_F(OracleTest, ABareFinAtTheRightEdgeIsTaken) {
  establish(1);  // right edge 1129
  peer(50, {.seq = 1001, .ack = 5101, .len = 128});
  peer(50, {.flags = flag::kFin | flag::kAck, .seq = 1129, .ack = 5101});
  stack(50, {.seq = 5101, .ack = 1130, .window = 0});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, DataAtTheRightEdgeOwesAnAck) {
  establish(1);  // RCV.WUP 1001, right edge 1129
  // Out of order inside the window: Linux may drop it unanswered (memory).
  peer(50, {.seq = 1029, .ack = 5101, .len = 100});
  // Starting at the edge: dropped, and an ACK goes at once (quickack).
  peer(60, {.seq = 1129, .ack = 5101, .len = 10});
  clock(560);
  EXPECT_EQ(rule(), "none");
  clock(561);
  EXPECT_EQ(rule(), "oracle: ack-delayed-too-long");
}

TEST_F(OracleTest, ATsRecentOfZeroRejectsNothing) {
  // Linux tcp_paws_check(): TS.Recent 0 (a peer whose SYN carried TSval 0)
  // lets any TSval through, so data "older" than 0 may be taken.
  establish_with_timestamps(0, 0);
  peer(30, {.seq = 1001, .ack = 5011, .len = 50, .ts_val = 4294967000u, .ts_ecr = 10});
  stack(30, {.seq = 5011, .ack = 1051, .ts_val = 11, .ts_ecr = 4294967000u});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, AckOfDataFailingPaws) {
  establish_with_timestamps();
  peer(30, {.seq = 1001, .ack = 5011, .len = 50, .ts_val = 150, .ts_ecr = 10});  // older
  stack(30, {.seq = 5011, .ack = 1051, .ts_val = 11, .ts_ecr = 200});
  EXPECT_EQ(rule(), "oracle: accepted-unacceptable-data");
}

TEST_F(OracleTest, PawsJudgesAgainstEveryTsRecentThePeerMayHaveSet) {
  establish_with_timestamps();
  // A pure ACK draws no echo, but may move TS.Recent to 2^24; the data's
  // TSval is older than 200 and newer than 2^24 (modular order).
  peer(30, {.seq = 1001, .ack = 5011, .ts_val = 0x01000000u, .ts_ecr = 10});
  peer(30, {.seq = 1001, .ack = 5011, .len = 50, .ts_val = 0x80000100u, .ts_ecr = 10});
  stack(30, {.seq = 5011, .ack = 1051, .ts_val = 11, .ts_ecr = 0x80000100u});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, AckGoingBack) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .len = 100});
  stack(40, {.seq = 5101, .ack = 1101});
  stack(50, {.seq = 5101, .ack = 1051});
  EXPECT_EQ(rule(), "oracle: ack-went-back");
}

TEST_F(OracleTest, WindowRightEdgeMovingLeft) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .len = 100});
  stack(40, {.seq = 5101, .ack = 1101, .window = 501});  // 1101 + 501 * 128 < 1001 + 502 * 128
  EXPECT_EQ(rule(), "oracle: window-shrunk");
}

TEST_F(OracleTest, SynAckWindowRoundedToTheScaleUnitIsNoShrink) {
  peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7});
  stack(0,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 65535, .wscale = 7});
  peer(10, {.seq = 5000, .ack = 5001});                  // out of window in SYN-RECEIVED
  stack(10, {.seq = 5001, .ack = 1001, .window = 511});  // 65408: rounded down, Linux's way
  EXPECT_EQ(rule(), "none");
}

// ---- what the stack sends ----

// The peer offers 128 bytes: its right edge is 5001 + 1 * 128 = 5129.
TEST_F(OracleTest, DataBeyondThePeersWindow) {
  peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7});
  stack(0,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 64256, .wscale = 7});
  peer(10, {.seq = 1001, .ack = 5001, .window = 1});
  stack(20, {.seq = 5001, .ack = 1001, .len = 129});
  EXPECT_EQ(rule(), "oracle: sent-beyond-peer-window");
}

TEST_F(OracleTest, DataFillingThePeersWindowExactly) {
  peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7});
  stack(0,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 64256, .wscale = 7});
  peer(10, {.seq = 1001, .ack = 5001, .window = 1});
  stack(20, {.seq = 5001, .ack = 1001, .len = 128});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, DataOnTheSynsSequenceNumber) {
  establish();
  stack(40, {.seq = 5000, .ack = 1001, .len = 10});
  EXPECT_EQ(rule(), "oracle: data-on-syn-sequence");
}

TEST_F(OracleTest, DataAfterTheFin) {
  establish();
  stack(40, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1001});
  stack(50, {.seq = 5102, .ack = 1001, .len = 10});
  EXPECT_EQ(rule(), "oracle: data-after-fin");
}

TEST_F(OracleTest, FinResentAtItsPlace) {
  establish();
  stack(40, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1001});
  stack(250, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1001});
  EXPECT_EQ(rule(), "none");
}

// ---- RFC 9293 3.10.7.4: acceptability ----

TEST_F(OracleTest, OldDataDrawsNoAck) {
  establish();
  peer(40, {.seq = 900, .ack = 5101, .len = 100});  // ends at 1000 < RCV.NXT 1001
  EXPECT_EQ(rule(), "oracle: unacceptable-not-acked");
}

TEST_F(OracleTest, DataBeyondTheWindowDrawsNoAck) {
  establish();
  peer(40, {.seq = 65258, .ack = 5101, .len = 10});  // right edge 65257
  EXPECT_EQ(rule(), "oracle: unacceptable-not-acked");
}

TEST_F(OracleTest, UnacceptableDataAcked) {
  establish();
  peer(40, {.seq = 900, .ack = 5101, .len = 100});
  stack(40, {.seq = 5101, .ack = 1001});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, DataAtTheRightEdgeNeedsNoAck) {
  establish();
  peer(40, {.seq = 65257, .ack = 5101, .len = 10});  // acceptable (Linux): no ACK owed now
  EXPECT_EQ(rule(), "none");
}

// A keepalive probe (RCV.NXT - 1, no data) is below the window: Linux
// answers it unless it answered another out-of-window ACK in the last 500 ms.
TEST_F(OracleTest, KeepaliveProbeUnanswered) {
  establish();
  peer(40, {.seq = 1000, .ack = 5101});
  EXPECT_EQ(rule(), "oracle: unacceptable-not-acked");
}

TEST_F(OracleTest, KeepaliveProbeAnswered) {
  establish();
  peer(40, {.seq = 1000, .ack = 5101});
  stack(40, {.seq = 5101, .ack = 1001});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, KeepaliveProbeWithinTheRateLimitOfAnAck) {
  establish();
  peer(40, {.seq = 1000, .ack = 5101});
  stack(40, {.seq = 5101, .ack = 1001});
  peer(300, {.seq = 1000, .ack = 5101});
  EXPECT_EQ(rule(), "none");
}

// Linux 6.16+: a pure ACK failing PAWS is an old ACK, dropped in silence.
TEST_F(OracleTest, PureAckFailingPawsNeedsNoReply) {
  peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7, .ts_val = 100});
  stack(0, {.flags = flag::kSyn | flag::kAck,
            .seq = 5000,
            .ack = 1001,
            .window = 65535,
            .wscale = 7,
            .ts_val = 1,
            .ts_ecr = 100});
  peer(10, {.seq = 1001, .ack = 5001, .ts_val = 200, .ts_ecr = 1});
  stack(20, {.seq = 5001, .ack = 1001, .window = 512, .len = 100, .ts_val = 2, .ts_ecr = 200});
  peer(30, {.seq = 1000, .ack = 5101, .ts_val = 150, .ts_ecr = 2});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, NoAckOwedWhenAllocationsMayFail) {
  establish();
  oracle_.set_replies_may_fail(true);
  peer(40, {.seq = 900, .ack = 5101, .len = 100});
  EXPECT_EQ(rule(), "none");
}

// ---- RFC 5961 3.2: RST ----

TEST_F(OracleTest, InWindowRstDrawsNoChallengeAck) {
  establish();
  peer(600, {.flags = flag::kRst, .seq = 2000});
  EXPECT_EQ(rule(), "oracle: in-window-rst-not-challenged");
}

TEST_F(OracleTest, InWindowRstAtRcvNxtPlusOne) {
  establish();
  peer(600, {.flags = flag::kRst, .seq = 1002});  // the boundary next to the exact match
  EXPECT_EQ(rule(), "oracle: in-window-rst-not-challenged");
}

TEST_F(OracleTest, InWindowRstChallenged) {
  establish();
  peer(600, {.flags = flag::kRst, .seq = 2000});
  stack(600, {.seq = 5101, .ack = 1001});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, InWindowRstWithinTheRateLimit) {
  establish();
  stack(500, {.seq = 5101, .ack = 1001});  // an ACK 100 ms before
  peer(600, {.flags = flag::kRst, .seq = 2000});
  EXPECT_EQ(rule(), "none");
}

// Linux tcp_validate_incoming(): the highest SACK block's right edge resets too.
TEST_F(OracleTest, RstAtTheHighestSackEdgeMayReset) {
  establish();
  peer(40, {.seq = 2001, .ack = 5101, .len = 1000});
  stack(40, {.seq = 5101, .ack = 1001, .sack_edge = 3001});
  peer(600, {.flags = flag::kRst, .seq = 3001});
  call(610, "read", -ECONNRESET);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, RstInsideASackBlockIsChallenged) {
  establish();
  peer(40, {.seq = 2001, .ack = 5101, .len = 1000});
  stack(40, {.seq = 5101, .ack = 1001, .sack_edge = 3001});
  peer(600, {.flags = flag::kRst, .seq = 3000});  // the boundary next to the edge
  EXPECT_EQ(rule(), "oracle: in-window-rst-not-challenged");
}

TEST_F(OracleTest, AFullSackOptionMayHideTheHighestEdge) {
  establish();
  peer(40, {.seq = 2001, .ack = 5101, .len = 1000});
  stack(40, {.seq = 5101, .ack = 1001, .sack_edge = 3001, .sack_full = true});
  peer(600, {.flags = flag::kRst, .seq = 9001});
  call(610, "read", -ECONNRESET);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, ExactRstNeedsNoReply) {
  establish();
  peer(600, {.flags = flag::kRst, .seq = 1001});
  call(610, "read", -ECONNRESET);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, OutOfWindowRstNeedsNoReply) {
  establish();
  peer(600, {.flags = flag::kRst, .seq = 70000});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, OutOfWindowRstAnswered) {
  establish();
  peer(40, {.flags = flag::kRst | flag::kAck, .seq = 70000, .ack = 5101});
  stack(40, {.seq = 5101, .ack = 1001});
  traced(40);
  EXPECT_EQ(rule(), "oracle: out-of-window-rst-answered");
}

TEST_F(OracleTest, OutOfWindowRstBelowTheWindowAnswered) {
  establish();
  peer(40, {.flags = flag::kRst, .seq = 900});
  stack(40, {.seq = 5101, .ack = 1001});
  traced(40);
  EXPECT_EQ(rule(), "oracle: out-of-window-rst-answered");
}

TEST_F(OracleTest, OutOfWindowRstDroppedInSilence) {
  establish();
  peer(40, {.flags = flag::kRst | flag::kAck, .seq = 70000, .ack = 5101});
  traced(40);
  EXPECT_EQ(rule(), "none");
}

// What the stack sends after it processed the RST (a call's or timer's
// segment at the same instant) is no answer.
TEST_F(OracleTest, SegmentAfterAnOutOfWindowRstIsNoAnswer) {
  establish();
  peer(40, {.flags = flag::kRst | flag::kAck, .seq = 70000, .ack = 5101});
  traced(40);
  stack(40, {.seq = 5101, .ack = 1001, .len = 10});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, ResetByAnInWindowRst) {
  establish();
  peer(600, {.flags = flag::kRst, .seq = 2000});
  stack(600, {.seq = 5101, .ack = 1001});
  call(610, "read", -ECONNRESET);
  EXPECT_EQ(rule(), "oracle: reset-without-exact-rst");
}

TEST_F(OracleTest, RstAnsweredWithRst) {
  establish();
  peer(600, {.flags = flag::kRst, .seq = 70000});
  stack(600, {.flags = flag::kRst, .seq = 5101});
  EXPECT_EQ(rule(), "oracle: rst-answered-with-rst");
}

// ---- RFC 5961 4.2: SYN in a synchronized state ----

TEST_F(OracleTest, SynDrawsNoChallengeAck) {
  establish();
  peer(600, {.flags = flag::kSyn, .seq = 3000});
  EXPECT_EQ(rule(), "oracle: syn-not-challenged");
}

TEST_F(OracleTest, SynAnsweredWithRst) {
  establish();
  peer(600, {.flags = flag::kSyn, .seq = 3000});
  stack(600, {.flags = flag::kRst | flag::kAck, .seq = 5101, .ack = 1001});
  EXPECT_EQ(rule(), "oracle: syn-not-challenged");
}

TEST_F(OracleTest, SynChallenged) {
  establish();
  peer(600, {.flags = flag::kSyn, .seq = 3000});
  stack(600, {.seq = 5101, .ack = 1001});
  EXPECT_EQ(rule(), "none");
}

// ---- RFC 9293 3.10.7.3: SYN-SENT ----

class SynSentTest : public OracleTest {
 protected:
  void connect() { stack(0, {.flags = flag::kSyn, .seq = 5000, .window = 65535, .wscale = 7}); }
};

TEST_F(SynSentTest, AckOfTheIssNotReset) {
  connect();
  peer(10, {.flags = flag::kSyn | flag::kAck, .seq = 1000, .ack = 5000, .window = 65535});
  EXPECT_EQ(rule(), "oracle: syn-sent-bad-ack-not-reset");
}

TEST_F(SynSentTest, AckBeyondSndNxtNotReset) {
  connect();
  peer(10, {.flags = flag::kSyn | flag::kAck, .seq = 1000, .ack = 5002, .window = 65535});
  EXPECT_EQ(rule(), "oracle: syn-sent-bad-ack-not-reset");
}

TEST_F(SynSentTest, BadAckReset) {
  connect();
  peer(10, {.flags = flag::kSyn | flag::kAck, .seq = 1000, .ack = 5000, .window = 65535});
  stack(10, {.flags = flag::kRst, .seq = 5000});
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynSentTest, ResetWithTheWrongSequenceNumber) {
  connect();
  peer(10, {.flags = flag::kSyn | flag::kAck, .seq = 1000, .ack = 5002, .window = 65535});
  stack(10, {.flags = flag::kRst, .seq = 5001});
  EXPECT_EQ(rule(), "oracle: syn-sent-bad-ack-not-reset");
}

TEST_F(SynSentTest, AckWithoutSynAnswered) {
  connect();
  peer(10, {.seq = 1000, .ack = 5001});
  stack(10, {.flags = flag::kRst, .seq = 5001});
  EXPECT_EQ(rule(), "oracle: syn-sent-no-syn-answered");
}

// Linux PAWSACTIVEREJECTED: an ACK whose TSecr is no TSval the stack can
// have sent since its first SYN draws a RST; one echoing the SYN's does not.
TEST_F(SynSentTest, AckEchoingATsvalNeverSentReset) {
  stack(0, {.flags = flag::kSyn, .seq = 5000, .window = 65535, .wscale = 7, .ts_val = 100});
  peer(10, {.seq = 1000, .ack = 5001, .ts_val = 7, .ts_ecr = 50});
  stack(10, {.flags = flag::kRst, .seq = 5001});
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynSentTest, AckEchoingTheSynsTsvalAnswered) {
  stack(0, {.flags = flag::kSyn, .seq = 5000, .window = 65535, .wscale = 7, .ts_val = 100});
  peer(10, {.seq = 1000, .ack = 5001, .ts_val = 7, .ts_ecr = 100});
  stack(10, {.flags = flag::kRst, .seq = 5001});
  EXPECT_EQ(rule(), "oracle: syn-sent-no-syn-answered");
}

TEST_F(SynSentTest, AckWithoutSynIgnored) {
  connect();
  peer(10, {.seq = 1000, .ack = 5001});
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynSentTest, AckingASynAckNeverSent) {
  connect();
  peer(10, {.seq = 1000, .ack = 5001});
  stack(10, {.seq = 5001, .ack = 1001});
  EXPECT_EQ(rule(), "oracle: ack-of-unreceived");
}

TEST_F(SynSentTest, RefusedWithoutARst) {
  connect();
  call(10, "write", -ECONNREFUSED);
  EXPECT_EQ(rule(), "oracle: refused-without-rst");
}

TEST_F(SynSentTest, RefusedByARstWithoutAck) {
  connect();
  peer(10, {.flags = flag::kRst, .seq = 0});
  call(10, "write", -ECONNREFUSED);
  EXPECT_EQ(rule(), "oracle: refused-without-rst");
}

TEST_F(SynSentTest, RefusedByARstWithAnAcceptableAck) {
  connect();
  peer(10, {.flags = flag::kRst | flag::kAck, .seq = 0, .ack = 5001});
  call(10, "write", -ECONNREFUSED);
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynSentTest, RefusedByIcmp) {
  connect();
  // IPv4 (checksum filled in below) carrying ICMP port unreachable.
  std::array<uint8_t, 28> icmp{0x45, 0, 0,   28,  0, 0, 0, 0, 64, 1, 0, 0, 192, 0,
                               2,    1, 192, 168, 0, 1, 3, 3, 0,  0, 0, 0, 0,   0};
  uint32_t sum = 0;
  for (size_t i = 0; i < 20; i += 2) sum += (icmp[i] << 8) | icmp[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  icmp[10] = static_cast<uint8_t>(~sum >> 8);
  icmp[11] = static_cast<uint8_t>(~sum);
  oracle_.on_packet(at(10), 0, testbed::Direction::kInbound, icmp);
  call(10, "write", -ECONNREFUSED);
  EXPECT_EQ(rule(), "none");
}

// Linux tcp_rcv_state_process(): the SYN-ACK that completes a simultaneous
// open's SYN-RECEIVED has its window scaled, SYN or not: 1 << 7 = 128 bytes.
class SimultaneousWindowTest : public SynSentTest {
 protected:
  void open_with_window_one() {
    connect();
    peer(10, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7});
    stack(
        10,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 65535, .wscale = 7});
    peer(20, {.flags = flag::kSyn | flag::kAck, .seq = 1000, .ack = 5001, .window = 1});
    stack(20, {.seq = 5001, .ack = 1001, .window = 512});
  }
};

TEST_F(SimultaneousWindowTest, DataInsideTheScaledWindow) {
  open_with_window_one();
  stack(20,
        {.flags = flag::kAck | flag::kPsh, .seq = 5001, .ack = 1001, .window = 512, .len = 128});
  EXPECT_EQ(rule(), "none");
}

TEST_F(SimultaneousWindowTest, DataBeyondTheScaledWindow) {
  open_with_window_one();
  stack(20,
        {.flags = flag::kAck | flag::kPsh, .seq = 5001, .ack = 1001, .window = 512, .len = 129});
  EXPECT_EQ(rule(), "oracle: sent-beyond-peer-window");
}

// Linux tcp_reset(): a simultaneous open's SYN-RECEIVED is a full socket,
// reset (ECONNRESET) by an exact RST, not refused.
TEST_F(SynSentTest, SimultaneousOpenResetNotRefused) {
  connect();
  peer(10, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7});
  stack(10,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 65535, .wscale = 7});
  peer(20, {.flags = flag::kRst, .seq = 1001});
  call(20, "write", -ECONNREFUSED);
  EXPECT_EQ(rule(), "oracle: refused-without-rst");
}

TEST_F(SynSentTest, SimultaneousOpenResetByAnExactRst) {
  connect();
  peer(10, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7});
  stack(10,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 65535, .wscale = 7});
  peer(20, {.flags = flag::kRst, .seq = 1001});
  call(20, "write", -ECONNRESET);
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynSentTest, SimultaneousOpenRefusedWithoutAnyRst) {
  connect();
  peer(10, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7});
  stack(10,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 65535, .wscale = 7});
  call(20, "write", -ECONNREFUSED);
  EXPECT_EQ(rule(), "oracle: refused-without-rst");
}

TEST_F(SynSentTest, HandshakeCompletes) {
  connect();
  peer(10,
       {.flags = flag::kSyn | flag::kAck, .seq = 1000, .ack = 5001, .window = 65535, .wscale = 7});
  stack(10, {.seq = 5001, .ack = 1001, .window = 502});
  peer(20, {.seq = 1001, .ack = 5001, .len = 10});
  stack(20, {.seq = 5001, .ack = 1011, .window = 502});
  EXPECT_EQ(rule(), "none");
}

// ---- RFC 9293 3.10.7.4 fifth: SYN-RECEIVED ----

class SynReceivedTest : public OracleTest {
 protected:
  void accept_syn() {
    peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .wscale = 7});
    stack(
        0,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 65535, .wscale = 7});
  }
};

// RFC 7413: a Fast Open server's SYN-ACK acknowledges the SYN's data.
TEST_F(OracleTest, FastOpenSynAckAcksTheSynsData) {
  peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .len = 100, .wscale = 7});
  stack(0,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1101, .window = 65535, .wscale = 7});
  call(0, "read", 100);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, FastOpenSynAckAcksBeyondTheSynsData) {
  peer(0, {.flags = flag::kSyn, .seq = 1000, .window = 65535, .len = 100, .wscale = 7});
  stack(0,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1102, .window = 65535, .wscale = 7});
  EXPECT_EQ(rule(), "oracle: ack-of-unreceived");
}

// Linux tcp_fastopen_add_skb(): a FIN on the SYN is taken with its data.
TEST_F(OracleTest, FastOpenSynAckAcksTheSynsDataAndFin) {
  peer(0,
       {.flags = flag::kSyn | flag::kFin, .seq = 1000, .window = 65535, .len = 100, .wscale = 7});
  stack(0,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1102, .window = 65535, .wscale = 7});
  call(0, "read", 100);
  call(0, "read", 0);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, FastOpenSynAckAcksBeyondTheSynsDataAndFin) {
  peer(0,
       {.flags = flag::kSyn | flag::kFin, .seq = 1000, .window = 65535, .len = 100, .wscale = 7});
  stack(0,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1103, .window = 65535, .wscale = 7});
  EXPECT_EQ(rule(), "oracle: ack-of-unreceived");
}

TEST_F(SynReceivedTest, AckOfTheIssNotReset) {
  accept_syn();
  peer(10, {.seq = 1001, .ack = 5000});
  EXPECT_EQ(rule(), "oracle: syn-received-bad-ack-not-reset");
}

TEST_F(SynReceivedTest, AckBeyondSndNxtNotReset) {
  accept_syn();
  peer(10, {.seq = 1001, .ack = 5002});
  EXPECT_EQ(rule(), "oracle: syn-received-bad-ack-not-reset");
}

TEST_F(SynReceivedTest, BadAckReset) {
  accept_syn();
  peer(10, {.seq = 1001, .ack = 5002});
  stack(10, {.flags = flag::kRst, .seq = 5002});
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynReceivedTest, GoodAckNeedsNoReply) {
  accept_syn();
  peer(10, {.seq = 1001, .ack = 5001});
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynReceivedTest, RetransmittedSynAckAfterManyOtherSyns) {
  accept_syn();
  for (uint32_t i = 0; i < 6; ++i) peer(10, {.flags = flag::kSyn, .seq = 20000 + i * 100});
  stack(1000,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 65535, .wscale = 7});
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynReceivedTest, RetransmittedSynAckAfterARstThatMayHaveEndedIt) {
  accept_syn();
  for (uint32_t i = 0; i < 6; ++i) peer(10, {.flags = flag::kSyn, .seq = 20000 + i * 100});
  peer(10, {.flags = flag::kRst | flag::kAck, .seq = 1001, .ack = 5001});
  peer(20, {.seq = 1001, .ack = 6000});
  stack(20, {.flags = flag::kRst, .seq = 6000});
  stack(1000,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 65535, .wscale = 7});
  EXPECT_EQ(rule(), "none");
}

// A RST the stack may have dropped (Linux tcp_check_req() rejects one whose
// TSecr echoes no SYN-ACK), then the handshake's ACK: established, so a
// bad ACK after it owes no RST.
TEST_F(SynReceivedTest, HandshakeCompletedAfterARstThatMayHaveEndedIt) {
  accept_syn();
  peer(10, {.flags = flag::kRst, .seq = 1001});
  peer(20, {.seq = 1101, .ack = 5001, .len = 10});
  stack(20, {.seq = 5001, .ack = 1001, .window = 512});
  peer(30, {.seq = 1001, .ack = 6000});
  EXPECT_EQ(rule(), "none");
}

// An in-window ACK the stack may have dropped (Linux tcp_check_req():
// TSecr of no SYN-ACK, or TCP_DEFER_ACCEPT), then a bad ACK: the stack's RST
// answers it in SYN-RECEIVED, and its SYN-ACK sent again still names the
// first SYN, however many SYNs came since.
TEST_F(SynReceivedTest, RetransmittedSynAckAfterRstingABadAck) {
  accept_syn();
  peer(10, {.seq = 8000, .ack = 5001});
  for (uint32_t i = 0; i < 6; ++i) peer(10, {.flags = flag::kSyn, .seq = 20000 + i * 100});
  peer(10, {.seq = 1002, .ack = 5003});
  stack(10, {.flags = flag::kRst, .seq = 5003});
  stack(1000,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 1001, .window = 65535, .wscale = 7});
  EXPECT_EQ(rule(), "none");
}

// Linux tcp_check_req() takes the SYN off a segment at the peer's ISN: a
// SYN-ACK there may complete the handshake, so a bad ACK after it owes no RST.
TEST_F(SynReceivedTest, SynAckAtThePeersIsnMayCompleteTheHandshake) {
  accept_syn();
  peer(10, {.flags = flag::kSyn | flag::kAck, .seq = 1000, .ack = 5001, .len = 1});
  peer(20, {.seq = 1001, .ack = 5002});
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynReceivedTest, RetransmittedSynAckOfASynNeverSent) {
  accept_syn();
  stack(1000,
        {.flags = flag::kSyn | flag::kAck, .seq = 5000, .ack = 3001, .window = 65535, .wscale = 7});
  EXPECT_EQ(rule(), "oracle: ack-of-unreceived");
}

// An out-of-window RST draws an ACK (Linux tcp_check_req()): the ACK proves
// the connection alive, but still in SYN-RECEIVED, where a bad ACK draws a RST.
TEST_F(SynReceivedTest, StillSynReceivedAfterAnAckedOutOfWindowRst) {
  accept_syn();
  peer(10, {.flags = flag::kRst | flag::kAck, .seq = 1, .ack = 5001});
  stack(10, {.seq = 5001, .ack = 1001, .window = 512});
  peer(20, {.flags = flag::kSyn | flag::kAck, .seq = 7000, .ack = 6000});
  stack(20, {.flags = flag::kRst, .seq = 6000});
  EXPECT_EQ(rule(), "none");
}

TEST_F(SynReceivedTest, BadAckAfterAnAckedOutOfWindowRstNotReset) {
  accept_syn();
  peer(10, {.flags = flag::kRst | flag::kAck, .seq = 1, .ack = 5001});
  stack(10, {.seq = 5001, .ack = 1001, .window = 512});
  peer(20, {.seq = 1001, .ack = 6000});
  EXPECT_EQ(rule(), "oracle: syn-received-bad-ack-not-reset");
}

// ---- what read() returns ----

TEST_F(OracleTest, ReadingBytesNeverSent) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .len = 100});
  call(50, "read", 101);
  EXPECT_EQ(rule(), "oracle: read-beyond-received");
}

// The peer may address another of the host's addresses from the same
// ports: a socket's calls belong to the connection it traced segments of.
TEST_F(OracleTest, ReadJudgedOnTheSocketsOwnConnection) {
  establish();
  WireSegment elsewhere = make({.seq = 1001, .ack = 5101}, false);
  elsewhere.dst = *netstack::IpAddress::parse("192.168.1.10");
  oracle_.on_segment(at(35), elsewhere, false);
  peer(40, {.seq = 1001, .ack = 5101, .len = 100});
  stack(40, {.seq = 5101, .ack = 1101, .window = 502});
  call(50, "read", 100);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, EndOfFileWithoutAFin) {
  establish();
  call(50, "read", 0);
  EXPECT_EQ(rule(), "oracle: eof-before-data");
}

TEST_F(OracleTest, EndOfFileBeforeAllDataWasRead) {
  establish();
  peer(40, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5101, .len = 100});
  stack(40, {.seq = 5101, .ack = 1102});
  call(50, "read", 50);
  call(50, "read", 0);
  EXPECT_EQ(rule(), "oracle: eof-before-data");
}

// Linux takes the urgent byte out of the stream: one URG segment leaves
// end-of-file due one byte early, never two.
TEST_F(OracleTest, EndOfFileOneUrgentByteEarly) {
  establish();
  peer(40, {.flags = flag::kFin | flag::kAck | flag::kUrg, .seq = 1001, .ack = 5101, .len = 100});
  stack(40, {.seq = 5101, .ack = 1102});
  call(50, "read", 99);
  call(50, "read", 0);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, EndOfFileTwoBytesEarlyAfterOneUrgentSegment) {
  establish();
  peer(40, {.flags = flag::kFin | flag::kAck | flag::kUrg, .seq = 1001, .ack = 5101, .len = 100});
  stack(40, {.seq = 5101, .ack = 1102});
  call(50, "read", 98);
  call(50, "read", 0);
  EXPECT_EQ(rule(), "oracle: eof-before-data");
}

// splice() takes bytes from the stream as read() does.
TEST_F(OracleTest, SplicedBytesCountAsRead) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .len = 100});
  stack(40, {.seq = 5101, .ack = 1101, .window = 502});
  call(50, "splice", 60);
  call(50, "read", 40);
  EXPECT_EQ(rule(), "none");
  call(50, "splice", 1);
  EXPECT_EQ(rule(), "oracle: read-beyond-received");
}

// RFC 9293 3.10.7.4 eighth, CLOSE-WAIT: text and FINs after the peer's FIN
// are ignored (Linux tcp_rcv_state_process()): end-of-file comes at the
// first FIN, however many follow.
TEST_F(OracleTest, EndOfFileAtTheFirstFinDespiteWhatFollows) {
  establish();
  peer(40, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5101});
  stack(40, {.seq = 5101, .ack = 1002});
  for (uint32_t i = 0; i < 8; ++i) {
    peer(45, {.flags = flag::kFin | flag::kAck, .seq = 1002 + i, .ack = 5101});
  }
  peer(45, {.seq = 1010, .ack = 5101, .len = 255});
  call(50, "read", 0);
  EXPECT_EQ(rule(), "none");
}

// A FIN that in-order data passes is dropped (Linux tcp_ofo_queue()); the
// FIN the stack takes may then be the first of many places a fuzzed peer
// puts FINs at, and the oracle must not forget it among the newer ones.
TEST_F(OracleTest, EndOfFileAtATakenFinAmongManyNewerOnes) {
  establish();
  peer(40, {.flags = flag::kFin | flag::kAck, .seq = 1002, .ack = 5101});
  peer(41, {.seq = 1001, .ack = 5101, .len = 2});
  stack(41, {.seq = 5101, .ack = 1003, .window = 502});
  for (uint32_t i = 0; i < 10; ++i) {
    peer(45, {.flags = flag::kFin | flag::kAck, .seq = 1003 + i, .ack = 5101});
  }
  call(50, "read", 2);
  call(50, "read", 0);
  EXPECT_EQ(rule(), "none");
}

// A FIN on a place already taken (here the SYN's) is an old duplicate
// (Linux tcp_data_queue()): the stream goes on past it.
TEST_F(OracleTest, OldFinDoesNotEndTheStream) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .len = 200});
  stack(40, {.seq = 5101, .ack = 1201});
  peer(45, {.flags = flag::kFin | flag::kAck, .seq = 1000, .ack = 5101});
  stack(45, {.seq = 5101, .ack = 1201});
  peer(50, {.seq = 1201, .ack = 5101, .len = 2});
  stack(50, {.seq = 5101, .ack = 1203});
  EXPECT_EQ(rule(), "none");
}

// A FIN in order as far as the wire tells, but the stack may not have
// taken the data before it (receive memory): when in-order data then covers
// its place, Linux tcp_ofo_queue() drops the queued FIN and the stream goes on.
TEST_F(OracleTest, FinCoveredByDataDoesNotEndTheStream) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .len = 100});
  peer(41, {.flags = flag::kFin | flag::kAck, .seq = 1101, .ack = 5101});
  peer(45, {.seq = 1001, .ack = 5101, .len = 200});
  peer(46, {.seq = 1201, .ack = 5101, .len = 100});
  stack(46, {.seq = 5101, .ack = 1301});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, EndOfFileAfterAShutdownIsTheUsers) {
  establish();
  call(50, "shutdown", 0);
  call(60, "read", 0);
  EXPECT_EQ(rule(), "none");
}

// ---- sequence numbers are modular ----

TEST_F(OracleTest, PeerIsnNearTwoToTheThirtyTwo) {
  peer(0, {.flags = flag::kSyn, .seq = 0xFFFFFFF0u, .window = 65535, .wscale = 7});
  stack(0, {.flags = flag::kSyn | flag::kAck,
            .seq = 5000,
            .ack = 0xFFFFFFF1u,
            .window = 64256,
            .wscale = 7});
  peer(10, {.seq = 0xFFFFFFF1u, .ack = 5001, .len = 100});
  stack(10, {.seq = 5001, .ack = 0x55, .window = 502});
  peer(20, {.seq = 0x20, .ack = 5001, .len = 10});  // old: ends before RCV.NXT 0x55
  EXPECT_EQ(rule(), "oracle: unacceptable-not-acked");
}

TEST_F(OracleTest, AReplyLostToAllocationFailureMayHaveArmedTheRateLimit) {
  establish();
  oracle_.set_replies_may_fail(true);
  peer(100, {.seq = 1000, .ack = 5101});  // a keepalive probe: owed an ACK the stack could not send
  oracle_.set_replies_may_fail(false);
  peer(400, {.seq = 1000, .ack = 5101});  // Linux armed the limit at 100 ms
  EXPECT_EQ(rule(), "none");
  peer(700, {.seq = 1000, .ack = 5101});
  EXPECT_EQ(rule(), "oracle: unacceptable-not-acked");
}

// ---- deadlines: delayed ACKs (RFC 1122 4.2.3.2), retransmissions (RFC 6298) ----

TEST_F(OracleTest, DataAckedWithinHalfASecondPasses) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .len = 300});
  stack(540, {.seq = 5101, .ack = 1301});  // 500 ms: Linux's longest delay
  clock(5000);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, DataUnacknowledgedAfterHalfASecondIsCaught) {
  establish();
  peer(40, {.seq = 1001, .ack = 5101, .len = 300});
  clock(540);
  EXPECT_EQ(rule(), "none");
  clock(541);
  EXPECT_EQ(rule(), "oracle: ack-delayed-too-long");
}

TEST_F(OracleTest, AFinUnacknowledgedAfterHalfASecondIsCaught) {
  establish();
  peer(40, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5101});
  call(600, "read", 0);
  EXPECT_EQ(rule(), "oracle: ack-delayed-too-long");
}

TEST_F(OracleTest, DataOutsideTheWindowOwesAnAckInTimeToo) {
  establish();
  peer(40, {.seq = 900, .ack = 5101, .len = 50});  // an old duplicate
  stack(40, {.seq = 5101, .ack = 1001});
  clock(2000);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, NoAckIsOwedForDataWithoutAckOrAckingUnsentData) {
  establish();
  // Linux discards the first unseen and answers the second with a
  // rate-limited challenge ACK.
  peer(40, {.flags = flag::kPsh, .seq = 1001, .len = 300});
  peer(50, {.seq = 1001, .ack = 5102, .len = 300});
  clock(2000);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, UnacknowledgedDataNotRetransmittedIsCaught) {
  establish();
  stack(100, {.seq = 5101, .ack = 1001, .len = 100});
  // No RTT sample can exceed 30 ms (the peer's last segment came 30 ms
  // after the SYN-ACK): the RTO is at most 3 s, 6 s after a tail loss probe.
  clock(6100);
  EXPECT_EQ(rule(), "none");
  clock(6101);
  EXPECT_EQ(rule(), "oracle: retransmission-missing");
}

TEST_F(OracleTest, RetransmissionsBackingOffPass) {
  establish();
  stack(100, {.seq = 5101, .ack = 1001, .len = 100});
  stack(1100, {.seq = 5101, .ack = 1001, .len = 100});
  stack(3100, {.seq = 5101, .ack = 1001, .len = 100});
  stack(7100, {.seq = 5101, .ack = 1001, .len = 100});
  clock(30000);  // three timeouts: any RTO up to 8 * 3 s
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, AcknowledgedDataNeedsNoRetransmission) {
  establish();
  stack(100, {.seq = 5101, .ack = 1001, .len = 100});
  peer(150, {.seq = 1001, .ack = 5201});
  clock(300000);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, AnUnretransmittedSynIsCaught) {
  stack(0, {.flags = flag::kSyn, .seq = 5000, .window = 65535});
  stack(1000, {.flags = flag::kSyn, .seq = 5000, .window = 65535});
  clock(13000);  // one timeout: 2 * 3 s, doubled for a loss probe
  EXPECT_EQ(rule(), "none");
  clock(13001);
  EXPECT_EQ(rule(), "oracle: retransmission-missing");
}

TEST_F(OracleTest, AnEchoOfATsvalNeverSentLiftsTheRetransmissionBound) {
  // Linux takes an RTT sample from any echo (tcp_ack_update_rtt()), so an
  // echo of a TSval the stack never sent can make any RTO possible.
  stack(0, {.flags = flag::kSyn, .seq = 5000, .window = 65535, .ts_val = 100, .ts_ecr = 0});
  peer(10, {.flags = flag::kSyn | flag::kAck,
            .seq = 1000,
            .ack = 5001,
            .window = 65535,
            .ts_val = 7,
            .ts_ecr = 100});
  stack(10, {.seq = 5001, .ack = 1001, .ts_val = 110, .ts_ecr = 7});
  stack(20, {.seq = 5001, .ack = 1001, .len = 100, .ts_val = 120, .ts_ecr = 7});
  peer(30, {.seq = 1001, .ack = 5001, .ts_val = 8, .ts_ecr = 5});
  clock(200000);
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, TheFirstUnackedSegmentResentBeforeTheMinimumRtoIsCaught) {
  establish();
  stack(100, {.seq = 5101, .ack = 1001, .len = 100});
  stack(150, {.seq = 5201, .ack = 1001, .len = 100});
  peer(200, {.seq = 1001, .ack = 5201});  // new data acked: the timer restarts
  stack(349, {.seq = 5201, .ack = 1001, .len = 100});
  EXPECT_EQ(rule(), "oracle: retransmitted-too-early");
}

TEST_F(OracleTest, TheFirstUnackedSegmentResentAfterTheMinimumRtoPasses) {
  establish();
  stack(100, {.seq = 5101, .ack = 1001, .len = 100});
  stack(150, {.seq = 5201, .ack = 1001, .len = 100});
  peer(200, {.seq = 1001, .ack = 5201});
  stack(350, {.seq = 5201, .ack = 1001, .len = 100});  // Linux: 200 ms after it left
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, AnEarlyResendAfterADuplicateAckOrSackIsFastRetransmit) {
  establish();
  stack(100, {.seq = 5101, .ack = 1001, .len = 100});
  stack(110, {.seq = 5201, .ack = 1001, .len = 100});
  peer(120, {.seq = 1001, .ack = 5101});  // a duplicate ACK
  stack(130, {.seq = 5101, .ack = 1001, .len = 100});
  EXPECT_EQ(rule(), "none");
  stack(140, {.seq = 5301, .ack = 1001, .len = 100});
  peer(150, {.seq = 1001, .ack = 5401});               // everything acknowledged
  stack(160, {.seq = 5401, .ack = 1001, .len = 100});  // a new epoch
  stack(165, {.seq = 5501, .ack = 1001, .len = 100});
  peer(170, {.seq = 1001, .ack = 5501, .sack = true});
  stack(180, {.seq = 5501, .ack = 1001, .len = 100});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, AnAckThatMayFailPawsDoesNotMoveTheFirstUnacked) {
  establish_with_timestamps();
  peer(30, {.seq = 1001, .ack = 5011, .ts_val = 300, .ts_ecr = 10});
  stack(40, {.seq = 5011, .ack = 1001, .len = 100, .ts_val = 11, .ts_ecr = 300});
  stack(40, {.seq = 5111, .ack = 1001, .len = 100, .ts_val = 11, .ts_ecr = 300});
  stack(40, {.seq = 5211, .ack = 1001, .len = 100, .ts_val = 11, .ts_ecr = 300});
  peer(50, {.seq = 1001, .ack = 5111, .ts_val = 400, .ts_ecr = 11});
  // Older than the TS.Recent of 400 the stack may hold: maybe dropped.
  peer(50, {.seq = 1001, .ack = 5211, .ts_val = 300, .ts_ecr = 11});
  stack(52, {.seq = 5211, .ack = 1001, .len = 100, .ts_val = 13, .ts_ecr = 400});  // a probe
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, ATailLossProbeResendsTheLastSegmentEarly) {
  establish();
  stack(100, {.seq = 5101, .ack = 1001, .len = 100});
  stack(110, {.seq = 5201, .ack = 1001, .len = 100});
  stack(130, {.seq = 5201, .ack = 1001, .len = 100});  // not the first unacknowledged
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, NoDeadlineWhileAllocationsMayFail) {
  establish();
  stack(100, {.seq = 5101, .ack = 1001, .len = 100});
  peer(110, {.seq = 1001, .ack = 5101, .len = 300});
  oracle_.set_replies_may_fail(true);
  clock(100000);
  EXPECT_EQ(rule(), "none");
}

TEST(OracleSwitch, OnInTheFuzzTargetsUnlessTheEnvironmentSaysZero) {
  const char* v = std::getenv("TCPFUZZ_ORACLE");
  EXPECT_EQ(oracle_enabled(), v == nullptr || std::string(v) != "0");
}

}  // namespace
}  // namespace tcpfuzz::oracle
