// How much of a recorded run packetdrill can put to Linux with the same
// meaning. A run stays comparable up to the first event it cannot state:
// packetdrill runs on the wall clock (so only the first --max-seconds of
// fake time are asked), numbers outbound segments from the ISN (so a RST
// with sequence number 0, our reply to a segment without ACK, has no
// script line), and rejects segments whose script numbers wrap. What comes
// before such an event does not depend on it, so that part is compared and
// the rest is dropped, with the reason. So is everything from an inbound
// ACK whose TSecr packetdrill cannot map to a TSval it saw.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "fuzz/scenario/runner.h"
#include "fuzz/scenario/scenario.h"

namespace tcpfuzz::diff {

struct ComparablePart {
  size_t events = 0;  // the first `events` of the record are compared
  // Where and why the comparison stops ("" when the whole run is
  // compared), e.g. "1.200000 s: our stack sends a RST with sequence
  // number 0, which no script line can state".
  std::string rest;
};

ComparablePart comparable_part(const scenario::Scenario& recorded,
                               const std::optional<scenario::Unscriptable>& unscriptable,
                               double max_seconds);

// A packet line our stack sent.
bool is_outbound(const scenario::Event& e);

// Whether a part holds something to compare: at least one packet our
// stack sent.
bool has_outbound(const scenario::Scenario& recorded, size_t events);

}  // namespace tcpfuzz::diff
