// A model of one TCP connection as RFC 9293, RFC 5961 and Linux (where the
// RFCs leave a choice) say it behaves: its abstract state, and for each
// segment the peer may send, the class of reply (the oracle's reply model)
// and the next state. It
// knows no sequence numbers: a segment is described by where it falls
// relative to the receive window, which the property realises on the live
// connection.
#pragma once

#include <cstdint>
#include <optional>

#include "oracle/reply_model.h"
#include "stack/tcp/state.h"

namespace tcpfuzz::props {

// The reply table is the reference oracle's (oracle/reply_model.h): the
// properties and the fuzzers judge replies by the same rules.
using oracle::kPlacementCount;
using oracle::kSegmentKindCount;
using oracle::Placement;
using oracle::Reply;
using oracle::SegmentKind;

struct ConnectionModel {
  netstack::tcp::State state = netstack::tcp::State::kClosed;
  bool user_closed = false;  // close() was called
  bool unread_data = false;  // in-order data the application has not read
  int64_t now_ms = 0;
  // When the stack last answered an out-of-window segment or sent a
  // challenge ACK (Linux's per-socket tcp_invalid_ratelimit, 500 ms).
  std::optional<int64_t> last_oow_reply_ms;

  // Whether the model covers `kind` at `placement` in the current state.
  bool covers(SegmentKind kind, Placement placement) const;
  // The reply to the segment, updating the model (state, rate limit).
  Reply receive(SegmentKind kind, Placement placement);
  // close() in a synchronized state or SYN-SENT.
  void close();
  void read_all() { unread_data = false; }
  void advance(int64_t ms) { now_ms += ms; }

 private:
  // An ACK that only the rate limit may suppress: kind `reply`, or silence.
  Reply rate_limited(Reply reply);
};

}  // namespace tcpfuzz::props
