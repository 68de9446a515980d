// Script packets <-> live packets, for the socket under test, exactly as
// packetdrill maps them (run_packet.c map_inbound_packet() and
// map_outbound_live_packet()). The script runner and the binary runner both
// go through here, which is what makes every binary fuzz input exportable
// as a script that replays bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "fuzz/scenario/scenario.h"
#include "fuzz/scenario/socket_under_test.h"
#include "stack/buffer/view.h"
#include "stack/header/address.h"
#include "stack/header/tcp.h"
#include "stack/util/expected.h"

namespace tcpfuzz::scenario {

struct PeerAddresses {
  netstack::IpAddress local;   // the stack's
  netstack::IpAddress remote;  // the scripted peer's
  uint16_t bind_port = kDefaultBindPort;
};

// The live TSval an outbound packet carried for a script TSval (nullopt:
// none seen), used to fill in the TSecr of inbound ACKs.
using LiveTsVal = std::function<std::optional<uint32_t>(uint32_t script_ts_val)>;

// The packet an inbound script line stands for. Updates `sut` as the line
// does (the first packet to a listener fixes the remote ISN). Errors are
// packetdrill's: missing window, "<...>" inbound, unknown TS ecr, options
// not padded or too long.
netstack::Expected<netstack::View, std::string> live_inbound_packet(const PacketSpec& p,
                                                                    const PeerAddresses& a,
                                                                    SocketUnderTest& sut,
                                                                    const LiveTsVal& live_ts_val);

// The ICMP error an inbound "icmp ..." line stands for (p.icmp is set).
netstack::View live_inbound_icmp(const PacketSpec& p, const PeerAddresses& a,
                                 const SocketUnderTest& sut);

// A live IP packet's TOS byte (traffic class) and TTL (hop limit), as
// IpInfo with TosCheck::kTos.
IpInfo live_ip_fields(const netstack::View& packet);

// An outbound live segment in script numbers: headers from `last`, the
// sequence number from `first_seq` (packetdrill sums TSO segments this
// way), `payload` bytes. TSval/TSecr stay live.
PacketSpec script_outbound_packet(uint32_t first_seq, const netstack::header::TcpHeader& last,
                                  size_t payload, const SocketUnderTest& sut);

}  // namespace tcpfuzz::scenario
