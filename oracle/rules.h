// The oracle's rules: each a name (what a violation prints after
// "oracle: ") and the RFC section or Linux function it follows. docs/oracle.md
// explains each with its tests.
#pragma once

#include <cstdint>
#include <string_view>

namespace tcpfuzz::oracle {

enum class Rule : uint8_t {
  kAckOfUnreceived,            // RFC 9293 3.10.7.4 seventh: RCV.NXT moves over data received
  kAcceptedUnacceptable,       // RFC 9293 3.10.7.4 first / RFC 7323 5.3 PAWS: that data is dropped
  kAckWentBack,                // RFC 9293 3.3.1: RCV.NXT never moves back
  kWindowShrunk,               // RFC 9293 3.8.6.2.2, Linux tcp_select_window(): never shrink
  kSentBeyondPeerWindow,       // RFC 9293 3.8.6.2.1, Linux tcp_snd_wnd_test()
  kDataOnSynSequence,          // RFC 9293 3.3: the SYN occupies ISS
  kDataAfterFin,               // RFC 9293 3.3: the FIN is the last sequence number
  kUnacceptableNotAcked,       // RFC 9293 3.10.7.4 first, Linux tcp_validate_incoming()
  kRstAnsweredWithRst,         // RFC 9293 3.10.7: a RST is never answered with a RST
  kInWindowRstNotChallenged,   // RFC 5961 3.2, Linux tcp_validate_incoming()
  kResetWithoutExactRst,       // RFC 5961 3.2: only an exact RST resets
  kSynNotChallenged,           // RFC 5961 4.2, Linux tcp_validate_incoming() syn_challenge
  kSynSentBadAckNotReset,      // RFC 9293 3.10.7.3 first, Linux tcp_rcv_synsent_state_process()
  kSynSentNoSynAnswered,       // RFC 9293 3.10.7.3 fourth: neither SYN nor RST, drop
  kSynReceivedBadAckNotReset,  // RFC 9293 3.10.7.4 fifth, Linux tcp_check_req()
  kReadBeyondReceived,         // read() returns only bytes the peer sent, in order
  kEofBeforeData,              // RFC 9293 3.10.7.4 eighth: EOF once the FIN and all before it
  kOutOfWindowRstAnswered,     // RFC 9293 3.10.7.4 first, Linux tcp_validate_incoming(): silence
  kRefusedWithoutRst,          // RFC 9293 3.10.7.3 second, Linux tcp_reset(): ECONNREFUSED
  kAckDelayedTooLong,          // RFC 1122 4.2.3.2, Linux tcp_send_delayed_ack(): within 500 ms
  kRetransmissionMissing,      // RFC 6298 5.1/5.4-5.5, Linux tcp_retransmit_timer(), TCP_RTO_MAX
  kRetransmittedTooEarly,      // RFC 6298 5.3, Linux tcp_rto_delta_us(), TCP_RTO_MIN
  kReadWrongBytes,             // RFC 9293 3.10.7.4 seventh: the user gets the peer's bytes
  kTimeWaitNotKept,            // RFC 9293 3.10.7.4 TIME-WAIT, Linux tcp_timewait_state_process()
  kClosedNotReset,             // RFC 9293 3.10.7.1, Linux tcp_done(): after LAST-ACK and TIME-WAIT
  kUnsentDataStalled,          // RFC 9293 3.8.6.1, Linux tcp_probe_timer(), tcp_write_wakeup()
  kKeepaliveMissing,           // RFC 1122 4.2.3.6, Linux tcp_keepalive_timer()
};
inline constexpr uint8_t kRuleCount = 27;

std::string_view to_string(Rule r);

}  // namespace tcpfuzz::oracle
