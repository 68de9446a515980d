// The close's exits (oracle/connection_close.cc): TIME-WAIT keeps the
// connection for 60 s and answers it; after LAST-ACK, and after TIME-WAIT,
// the connection is gone and a segment draws a RST.
#include <gtest/gtest.h>

#include "tests/oracle/oracle_fixture.h"

namespace tcpfuzz::oracle {
namespace {

namespace flag = netstack::header::tcp_flag;
using namespace test_support;  // NOLINT(google-build-using-namespace)

class ActiveCloseTest : public OracleTest {
 protected:
  // The stack's FIN leaves first (FIN-WAIT-1); the peer's FIN acknowledges
  // it and the stack acknowledges the peer's: TIME-WAIT from 50 ms on,
  // RCV.NXT 1002, SND.NXT 5102.
  void enter_time_wait() {
    establish();
    call(40, "close", 0);
    stack(40, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1001});
    peer(50, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5102});
    stack(50, {.seq = 5102, .ack = 1002});
  }
  // FIN-WAIT-2 at 50 ms, RCV.NXT 1001: after close() an orphan (Linux: a
  // timewait sock), after shutdown(SHUT_WR) the full socket.
  void enter_fin_wait_2(bool orphan) {
    establish();
    if (orphan) {
      call(40, "close", 0);
    } else {
      call(40, "shutdown", 0, {.value = static_cast<int>(netstack::tcp::ShutdownHow::kWrite)});
    }
    stack(40, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1001});
    peer(50, {.seq = 1001, .ack = 5102});
  }
};

TEST_F(ActiveCloseTest, RetransmittedFinInTimeWaitAckedPasses) {
  enter_time_wait();
  peer(30000, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5102});
  stack(30000, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "none");
}

TEST_F(ActiveCloseTest, RetransmittedFinInTimeWaitResetIsCaught) {
  enter_time_wait();
  peer(30000, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5102});
  stack(30000, {.flags = flag::kRst, .seq = 5102});
  EXPECT_EQ(rule(), "oracle: time-wait-not-kept");
}

TEST_F(ActiveCloseTest, RetransmittedFinInTimeWaitUnansweredIsCaught) {
  enter_time_wait();
  peer(59000, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5102});
  EXPECT_EQ(rule(), "oracle: time-wait-not-kept");
}

TEST_F(ActiveCloseTest, ThroughClosingToo) {
  // Simultaneous close: the FINs cross, then the peer acknowledges the stack's.
  establish();
  call(40, "close", 0);
  stack(40, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1001});
  peer(41, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5101});
  stack(41, {.seq = 5102, .ack = 1002});
  peer(60, {.seq = 1002, .ack = 5102});
  peer(1000, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5102});
  EXPECT_EQ(rule(), "oracle: time-wait-not-kept");
}

// Linux tcp_timewait_state_process(): an orphaned FIN-WAIT-2 is a timewait
// sock, which takes the FIN at RCV.NXT whatever its ACK says.
TEST_F(ActiveCloseTest, AnOrphanedFinWait2TakesAFinThatAcksUnsentData) {
  enter_fin_wait_2(/*orphan=*/true);
  peer(100, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 9999});
  stack(100, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "none");
}

// A FIN of the peer's that came out of order and was never acknowledged
// leaves the close active (close/orphan-fin-wait-2-after-out-of-order-fin.pkt).
TEST_F(ActiveCloseTest, AnOrphanedFinWait2AfterAnOutOfOrderFinTakesTheFin) {
  establish();
  peer(30, {.flags = flag::kFin | flag::kAck, .seq = 1002, .ack = 5101});
  stack(30, {.seq = 5101, .ack = 1001});
  call(40, "close", 0);
  stack(40, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1001});
  peer(50, {.seq = 1001, .ack = 5102});
  peer(100, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 9999});
  stack(100, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "none");
}

// It resets only a SYN at or past RCV.NXT: a SYN one below it whose FIN
// lands at RCV.NXT is a FIN it takes (close/orphan-fin-wait-2-syn-fin-below-rcv-nxt.pkt).
TEST_F(ActiveCloseTest, AnOrphanedFinWait2TakesTheFinOfASynBelowRcvNxt) {
  enter_fin_wait_2(/*orphan=*/true);
  peer(100, {.flags = flag::kSyn | flag::kFin | flag::kAck, .seq = 1000, .ack = 5102});
  stack(100, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "none");
}

// A full socket's SYN check drops such a segment (and challenges it).
TEST_F(ActiveCloseTest, AFullFinWait2DoesNotTakeTheFinOfASyn) {
  enter_fin_wait_2(/*orphan=*/false);
  peer(100, {.flags = flag::kSyn | flag::kFin | flag::kAck, .seq = 1000, .ack = 5102});
  stack(100, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "oracle: accepted-unacceptable-data");
}

// After shutdown(SHUT_WR) the full socket stays: tcp_ack() drops the FIN.
TEST_F(ActiveCloseTest, AFullFinWait2DropsAFinThatAcksUnsentData) {
  enter_fin_wait_2(/*orphan=*/false);
  peer(100, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 9999});
  stack(100, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "oracle: accepted-unacceptable-data");
}

TEST_F(ActiveCloseTest, BareAckAtRcvNxtInTimeWaitDrawsNothing) {
  enter_time_wait();
  peer(1000, {.seq = 1002, .ack = 5102});
  EXPECT_EQ(rule(), "none");
}

TEST_F(ActiveCloseTest, APureAckMayBeRateLimitedInTimeWait) {
  enter_time_wait();
  peer(100, {.seq = 900, .ack = 5102});  // old: an ACK owed, but the last left 50 ms ago
  EXPECT_EQ(rule(), "none");
}

TEST_F(ActiveCloseTest, AfterAResetTimeWaitIsNotJudged) {
  enter_time_wait();
  peer(1000, {.flags = flag::kRst, .seq = 1002});
  peer(2000, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5102});
  EXPECT_EQ(rule(), "none");
}

TEST_F(ActiveCloseTest, ResetOnceTimeWaitIsOverPasses) {
  enter_time_wait();
  peer(70000, {.seq = 1002, .ack = 5102, .len = 10});
  stack(70000, {.flags = flag::kRst, .seq = 5102});
  EXPECT_EQ(rule(), "none");
}

TEST_F(ActiveCloseTest, TimeWaitThatNeverEndsIsCaught) {
  enter_time_wait();
  peer(70000, {.seq = 1002, .ack = 5102, .len = 10});
  stack(70000, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "oracle: closed-not-reset");
}

TEST_F(ActiveCloseTest, ASegmentInTimeWaitRestartsIt) {
  enter_time_wait();
  peer(30000, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5102});
  stack(30000, {.seq = 5102, .ack = 1002});
  peer(70000, {.seq = 1002, .ack = 5102, .len = 10});  // TIME-WAIT may run until 98.5 s
  stack(70000, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, TheUsersCloseNotTheWiresOrderMakesTheActiveSide) {
  // A FIN queued before the peer's (here in SYN-RECEIVED of a passive open
  // not yet confirmed) may leave after the stack acknowledged the peer's:
  // FIN-WAIT-1, CLOSING, then TIME-WAIT all the same.
  establish();
  call(35, "close", 0);
  peer(40, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5101});
  stack(40, {.seq = 5101, .ack = 1002});
  stack(40, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1002});
  peer(50, {.seq = 1002, .ack = 5102});
  peer(1000, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5102});
  stack(1000, {.flags = flag::kRst, .seq = 5102});
  EXPECT_EQ(rule(), "oracle: time-wait-not-kept");
}

TEST_F(OracleTest, ACloseBetweenThePeersFinAndItsAckIsNotJudged) {
  establish();
  peer(40, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5101});
  call(40, "close", 0);  // CLOSE-WAIT or FIN-WAIT-1: the ACK of the FIN has not left
  stack(41, {.seq = 5101, .ack = 1002});
  stack(41, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1002});
  peer(50, {.seq = 1002, .ack = 5102});
  peer(60, {.seq = 1002, .ack = 5102, .len = 10});
  stack(60, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "none");
}

TEST_F(OracleTest, ShuttingDownTheReadSideIsNoClose) {
  establish();
  call(35, "shutdown", 0, {.value = static_cast<int>(netstack::tcp::ShutdownHow::kRead)});
  peer(40, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5101});
  stack(40, {.seq = 5101, .ack = 1002});
  call(45, "close", 0);
  stack(45, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1002});
  peer(50, {.seq = 1002, .ack = 5102});
  peer(60, {.seq = 1002, .ack = 5102, .len = 10});
  stack(60, {.seq = 5102, .ack = 1002});  // LAST-ACK is over: this must be a RST
  EXPECT_EQ(rule(), "oracle: closed-not-reset");
}

class PassiveCloseTest : public OracleTest {
 protected:
  // The peer's FIN comes first (CLOSE-WAIT); the stack's FIN follows
  // (LAST-ACK) and the peer acknowledges it at 60 ms: the connection is gone.
  void leave_last_ack() {
    establish();
    peer(40, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5101});
    stack(40, {.seq = 5101, .ack = 1002});
    call(50, "close", 0);
    stack(50, {.flags = flag::kFin | flag::kAck, .seq = 5101, .ack = 1002});
    peer(60, {.seq = 1002, .ack = 5102});
  }
};

TEST_F(PassiveCloseTest, DataAfterLastAckResetPasses) {
  leave_last_ack();
  peer(70, {.seq = 1002, .ack = 5102, .len = 10});
  stack(70, {.flags = flag::kRst, .seq = 5102});
  EXPECT_EQ(rule(), "none");
}

TEST_F(PassiveCloseTest, DataAfterLastAckStillAnsweredIsCaught) {
  leave_last_ack();
  peer(70, {.seq = 1002, .ack = 5102, .len = 10});
  stack(70, {.seq = 5102, .ack = 1002});
  EXPECT_EQ(rule(), "oracle: closed-not-reset");
}

TEST_F(PassiveCloseTest, AnAckThatMayHaveFailedPawsDoesNotEndLastAck) {
  establish_with_timestamps();
  peer(40, {.flags = flag::kFin | flag::kAck, .seq = 1001, .ack = 5011, .ts_val = 300});
  stack(40, {.seq = 5011, .ack = 1002, .ts_val = 11, .ts_ecr = 300});
  call(50, "close", 0);
  stack(50, {.flags = flag::kFin | flag::kAck, .seq = 5011, .ack = 1002, .ts_val = 12});
  peer(60, {.seq = 1002, .ack = 5012, .ts_val = 100});  // older than TS.Recent 300
  peer(70, {.seq = 1002, .ack = 5012, .len = 10, .ts_val = 310});
  stack(70, {.seq = 5012, .ack = 1002, .ts_val = 13, .ts_ecr = 310});
  EXPECT_EQ(rule(), "none");
}

TEST_F(PassiveCloseTest, ASynAfterLastAckMayOpenAnew) {
  leave_last_ack();
  peer(70, {.flags = flag::kSyn, .seq = 90000});
  EXPECT_EQ(rule(), "none");
}

}  // namespace
}  // namespace tcpfuzz::oracle
