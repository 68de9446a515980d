// The scenario model: one timed list of events against one stack, shared by
// packetdrill-dialect scripts, binary fuzz inputs, property tests and the
// tcpfuzz tools. An event injects a packet, expects an outbound packet,
// makes a socket call, or runs a (configuration) command.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tcpfuzz::scenario {

// When an event happens, in microseconds of script time.
struct EventTime {
  enum class Kind : uint8_t { kAbsolute, kRelative, kAny };
  Kind kind = Kind::kAbsolute;
  int64_t start_us = 0;
  // A range "a~b": the event may happen anywhere in [start, end].
  std::optional<int64_t> end_us;
  bool end_relative = false;
};

// One TCP option as written in a script, in order.
struct OptionSpec {
  enum class Kind : uint8_t {
    kNop,
    kEol,
    kMss,
    kWindowScale,
    kSackPermitted,
    kSack,
    kTimestamp,
    kFastOpen,     // "FO [cookie]": kind 34 (RFC 7413)
    kFastOpenExp,  // "FOEXP [cookie]": kind 254 with the magic 0xF989
    kMd5,          // "md5 <32 hex digits>": kind 19 (RFC 2385), the digest in cookie
  };
  Kind kind = Kind::kNop;
  uint32_t value = 0;   // MSS, window scale
  uint32_t value2 = 0;  // timestamp echo reply (value is TSval)
  std::vector<std::pair<uint32_t, uint32_t>> sack_blocks;
  std::vector<uint8_t> cookie;  // Fast Open (empty: a cookie request); MD5 digest
  bool operator==(const OptionSpec&) const = default;
};

// IP header fields a packet line states in "[...]" or "(...)" before its
// flags (packetdrill's ip_info): an ECN codepoint or the whole TOS byte,
// and the TTL. Outbound lines check them; inbound lines send them.
struct IpInfo {
  enum class TosCheck : uint8_t {
    kNone,
    kEcn,    // "[noecn]", "[ect0]", "[ect1]", "[ce]": value is the codepoint
    kEct01,  // "[ect01]": ECT(0) or ECT(1), outbound only
    kTos,    // "[tos 0x..]": value is the whole byte
  };
  TosCheck check = TosCheck::kNone;
  uint8_t value = 0;
  uint8_t ttl = 0;  // 0: not stated
  bool operator==(const IpInfo&) const = default;
};

// An ICMP line: "icmp TYPE [CODE] [mtu N] [[start:end(len)]]", an error
// about the segment the stack sent with that (script) sequence number.
struct IcmpSpec {
  std::string type;  // as written: "unreachable", "type_3", ...
  std::string code;  // empty: code 0
  uint8_t type_byte = 0;
  uint8_t code_byte = 0;
  std::optional<uint32_t> mtu;
  uint32_t quoted_seq = 0;
  uint32_t quoted_length = 0;
  bool operator==(const IcmpSpec&) const = default;
};

struct PacketSpec {
  enum class Direction : uint8_t { kInbound, kOutbound };
  Direction direction = Direction::kInbound;
  uint8_t flags = 0;
  uint32_t seq_start = 0;
  uint32_t seq_end = 0;
  uint32_t payload_length = 0;
  std::optional<uint32_t> ack;
  std::optional<uint32_t> window;
  std::optional<uint32_t> urgent;
  // "src>dst" written before the flags: the ports of an inbound packet.
  std::optional<std::pair<uint16_t, uint16_t>> ports;
  // nullopt: "<...>", options not checked (outbound) / none sent (inbound).
  std::optional<std::vector<OptionSpec>> options = std::vector<OptionSpec>{};
  IpInfo ip;
  // Set for an ICMP line; the TCP fields above are then unused.
  std::optional<IcmpSpec> icmp;
};

// A syscall argument or result expression.
struct Expr {
  enum class Kind : uint8_t { kEllipsis, kInteger, kSymbol, kString, kArray, kStruct, kOr };
  Kind kind = Kind::kEllipsis;
  int64_t integer = 0;
  std::string text;                // symbol name, string contents, struct field name
  std::vector<Expr> elements;      // array elements, struct fields, or-ed terms
  std::vector<std::string> names;  // struct field names, parallel to elements

  static Expr ellipsis() { return Expr{}; }
  static Expr number(int64_t v) { return of(Kind::kInteger, v, {}, {}); }
  static Expr symbol(std::string name) { return of(Kind::kSymbol, 0, std::move(name), {}); }
  static Expr array(std::vector<Expr> items) { return of(Kind::kArray, 0, {}, std::move(items)); }
  static Expr any_of(std::vector<Expr> terms) { return of(Kind::kOr, 0, {}, std::move(terms)); }
  static Expr fields(std::vector<std::string> field_names, std::vector<Expr> values) {
    Expr e = of(Kind::kStruct, 0, {}, std::move(values));
    e.names = std::move(field_names);
    return e;
  }

  static Expr of(Kind k, int64_t n, std::string text, std::vector<Expr> items) {
    Expr e;
    e.kind = k;
    e.integer = n;
    e.text = std::move(text);
    e.elements = std::move(items);
    return e;
  }
};

struct SyscallSpec {
  std::string name;
  std::vector<Expr> args;
  Expr result;  // an integer, or ellipsis
  std::optional<std::string> errno_name;
  std::optional<int64_t> end_us;  // "start...end" for calls that block
};

struct CommandSpec {
  std::string command;  // the text between backticks
};

// A %{ python }% block: packetdrill snapshots TCP_INFO at this point and
// runs the code afterwards.
struct CodeSpec {
  std::string code;
};

struct Event {
  EventTime time;
  int line = 0;
  std::variant<PacketSpec, SyscallSpec, CommandSpec, CodeSpec> action;
};

// A construct the runner cannot honour, with where it was found.
struct Unsupported {
  std::string construct;
  int line = 0;
};

struct Scenario {
  std::string path;
  std::vector<std::pair<std::string, std::string>> options;  // --name=value lines
  std::vector<Event> events;
  std::vector<Unsupported> unsupported;
};

}  // namespace tcpfuzz::scenario
