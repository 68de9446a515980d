// Ready-made starting points for properties on a ConnectionUnderTest.
#pragma once

#include "props/support/connection_under_test.h"

namespace tcpfuzz::props {

// listen(), the peer's SYN (MSS option only: no SACK, timestamps or window
// scaling, so no loss probes or PAWS) and ACK, accept(): an ESTABLISHED
// connection with nothing sent either way.
void establish_passive(ConnectionUnderTest& c);

// Then the peer's FIN: CLOSE-WAIT.
void establish_then_peer_fin(ConnectionUnderTest& c);

}  // namespace tcpfuzz::props
