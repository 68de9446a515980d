// A conversation as a segment_fuzzer seed (fuzz/harness/segment_target.h):
// the peer's packets after its handshake, moved onto the harness's
// connection. Addresses and ports become the harness's (IPv4 192.0.2.1:48000
// to 192.168.0.1:8080, whatever the capture's family), sequence and ack
// numbers are renumbered from the harness's ISNs, TSvals count from 0 like
// the harness peer's and TSecr is 0 (the stack's live TSvals are not known
// in advance; a zero TSecr only costs an RTT sample). Each record's delay
// is the capture's gap to the previous one, in whole milliseconds. The payload
// bytes are the captured ones.
#pragma once

#include <cstdint>
#include <vector>

#include "fuzz/import/conversation.h"

namespace tcpfuzz::import {

std::vector<uint8_t> conversation_segments(const Conversation& c);

}  // namespace tcpfuzz::import
