#include "fuzz/scenario/packet_format.h"

#include <cstdio>

#include "stack/header/byte_order.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"

namespace tcpfuzz::scenario {

namespace opt = netstack::header::tcp_option;
using netstack::header::load_be16;
using netstack::header::load_be32;

std::vector<OptionSpec> options_in_order(std::span<const uint8_t> b) {
  std::vector<OptionSpec> out;
  size_t i = 0;
  while (i < b.size()) {
    OptionSpec o;
    const uint8_t kind = b[i];
    if (kind == opt::kNop || kind == opt::kEol) {
      o.kind = kind == opt::kNop ? OptionSpec::Kind::kNop : OptionSpec::Kind::kEol;
      out.push_back(o);
      ++i;
      continue;
    }
    if (i + 1 >= b.size() || b[i + 1] < 2 || i + b[i + 1] > b.size()) break;
    const uint8_t len = b[i + 1];
    const uint8_t* body = &b[i + 2];
    switch (kind) {
      case opt::kMss:
        o.kind = OptionSpec::Kind::kMss;
        if (len == 4) o.value = load_be16(body);
        break;
      case opt::kWindowScale:
        o.kind = OptionSpec::Kind::kWindowScale;
        if (len == 3) o.value = body[0];
        break;
      case opt::kSackPermitted:
        o.kind = OptionSpec::Kind::kSackPermitted;
        break;
      case opt::kTimestamps:
        o.kind = OptionSpec::Kind::kTimestamp;
        if (len == 10) {
          o.value = load_be32(body);
          o.value2 = load_be32(body + 4);
        }
        break;
      case opt::kSack:
        o.kind = OptionSpec::Kind::kSack;
        for (size_t k = 0; k + 8 <= size_t{len} - 2; k += 8) {
          o.sack_blocks.emplace_back(load_be32(body + k), load_be32(body + k + 4));
        }
        break;
      case opt::kFastOpen:
        o.kind = OptionSpec::Kind::kFastOpen;
        o.cookie.assign(body, body + len - 2);
        break;
      case opt::kMd5Signature:
        o.kind = OptionSpec::Kind::kMd5;
        o.cookie.assign(body, body + len - 2);
        break;
      case opt::kExperimental:
        if (len >= 4 && load_be16(body) == opt::kFastOpenMagic) {
          o.kind = OptionSpec::Kind::kFastOpenExp;
          o.cookie.assign(body + 2, body + len - 2);
          break;
        }
        o.kind = OptionSpec::Kind::kNop;
        o.value = 0x100u | kind;
        break;
      default:
        // An option the dialect cannot name: shown as its kind number.
        o.kind = OptionSpec::Kind::kNop;
        o.value = 0x100u | kind;
        break;
    }
    out.push_back(std::move(o));
    i += len;
  }
  return out;
}

void append_option_bytes(const OptionSpec& o, std::vector<uint8_t>& out) {
  auto be16 = [&](uint32_t v) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
  };
  auto be32 = [&](uint32_t v) {
    be16(v >> 16);
    be16(v & 0xffff);
  };
  switch (o.kind) {
    case OptionSpec::Kind::kNop:
      out.push_back(opt::kNop);
      break;
    case OptionSpec::Kind::kEol:
      out.push_back(opt::kEol);
      break;
    case OptionSpec::Kind::kMss:
      out.insert(out.end(), {opt::kMss, 4});
      be16(o.value);
      break;
    case OptionSpec::Kind::kWindowScale:
      out.insert(out.end(), {opt::kWindowScale, 3, static_cast<uint8_t>(o.value)});
      break;
    case OptionSpec::Kind::kSackPermitted:
      out.insert(out.end(), {opt::kSackPermitted, 2});
      break;
    case OptionSpec::Kind::kTimestamp:
      out.insert(out.end(), {opt::kTimestamps, 10});
      be32(o.value);
      be32(o.value2);
      break;
    case OptionSpec::Kind::kSack:
      out.insert(out.end(), {opt::kSack, static_cast<uint8_t>(2 + 8 * o.sack_blocks.size())});
      for (const auto& [a, b] : o.sack_blocks) {
        be32(a);
        be32(b);
      }
      break;
    case OptionSpec::Kind::kFastOpen:
      out.insert(out.end(), {opt::kFastOpen, static_cast<uint8_t>(2 + o.cookie.size())});
      out.insert(out.end(), o.cookie.begin(), o.cookie.end());
      break;
    case OptionSpec::Kind::kFastOpenExp:
      out.insert(out.end(), {opt::kExperimental, static_cast<uint8_t>(4 + o.cookie.size())});
      be16(opt::kFastOpenMagic);
      out.insert(out.end(), o.cookie.begin(), o.cookie.end());
      break;
    case OptionSpec::Kind::kMd5:
      out.insert(out.end(), {opt::kMd5Signature, static_cast<uint8_t>(2 + o.cookie.size())});
      out.insert(out.end(), o.cookie.begin(), o.cookie.end());
      break;
  }
}

std::string format_options(const std::vector<OptionSpec>& options) {
  std::string s = "<";
  for (size_t i = 0; i < options.size(); ++i) {
    const OptionSpec& o = options[i];
    if (i > 0) s += ",";
    switch (o.kind) {
      case OptionSpec::Kind::kNop:
        s += o.value > 0xff ? "kind " + std::to_string(o.value & 0xff) : "nop";
        break;
      case OptionSpec::Kind::kEol:
        s += "eol";
        break;
      case OptionSpec::Kind::kMss:
        s += "mss " + std::to_string(o.value);
        break;
      case OptionSpec::Kind::kWindowScale:
        s += "wscale " + std::to_string(o.value);
        break;
      case OptionSpec::Kind::kSackPermitted:
        s += "sackOK";
        break;
      case OptionSpec::Kind::kTimestamp:
        s += "TS val " + std::to_string(o.value) + " ecr " + std::to_string(o.value2);
        break;
      case OptionSpec::Kind::kSack:
        s += "sack";
        for (const auto& [a, b] : o.sack_blocks)
          s += " " + std::to_string(a) + ":" + std::to_string(b);
        break;
      case OptionSpec::Kind::kFastOpen:
      case OptionSpec::Kind::kFastOpenExp:
      case OptionSpec::Kind::kMd5:
        s += o.kind == OptionSpec::Kind::kFastOpen      ? "FO"
             : o.kind == OptionSpec::Kind::kFastOpenExp ? "FOEXP"
                                                        : "md5";
        if (!o.cookie.empty()) s += " ";
        for (const uint8_t b : o.cookie) {
          static constexpr char kHex[] = "0123456789abcdef";
          s += kHex[b >> 4];
          s += kHex[b & 0xf];
        }
        break;
    }
  }
  return s + ">";
}

namespace {

std::string format_ip_info(const IpInfo& ip) {
  using C = IpInfo::TosCheck;
  static constexpr const char* kEcn[] = {"noecn", "ect1", "ect0", "ce"};
  std::string s;
  switch (ip.check) {
    case C::kNone:
      break;
    case C::kEcn:
      s = kEcn[ip.value & 0x3];
      break;
    case C::kEct01:
      s = "ect01";
      break;
    case C::kTos: {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%x", ip.value);
      s = std::string("tos ") + hex;
      break;
    }
  }
  if (ip.ttl != 0) s += (s.empty() ? "" : ", ") + std::string("ttl ") + std::to_string(ip.ttl);
  return s.empty() ? s : "[" + s + "] ";
}

std::string format_icmp(const IcmpSpec& icmp) {
  std::string s = "icmp " + icmp.type;
  if (!icmp.code.empty()) s += " " + icmp.code;
  if (icmp.mtu) s += " mtu " + std::to_string(*icmp.mtu);
  if (icmp.quoted_length != 0 || icmp.quoted_seq != 0) {
    s += " [" + std::to_string(icmp.quoted_seq) + ":" +
         std::to_string(icmp.quoted_seq + icmp.quoted_length) + "(" +
         std::to_string(icmp.quoted_length) + ")]";
  }
  return s;
}

}  // namespace

std::string format_packet(const PacketSpec& p) {
  if (p.icmp) return format_ip_info(p.ip) + format_icmp(*p.icmp);
  std::string flags = netstack::header::flags_to_string(p.flags);
  // packetdrill's grammar wants the ACK dot after the letters ("FUEW.").
  if (const size_t dot = flags.find('.'); dot != std::string::npos && dot + 1 < flags.size()) {
    flags.erase(dot, 1);
    flags += '.';
  }
  if (flags.empty()) flags = "-";
  std::string s = format_ip_info(p.ip) + flags + " " + std::to_string(p.seq_start) + ":" +
                  std::to_string(p.seq_end) + "(" + std::to_string(p.payload_length) + ")";
  // An ack number only says something with the ACK flag or when nonzero.
  if (p.ack && ((p.flags & netstack::header::tcp_flag::kAck) != 0 || *p.ack != 0))
    s += " ack " + std::to_string(*p.ack);
  if (p.window) s += " win " + std::to_string(*p.window);
  if (p.urgent && *p.urgent != 0) s += " urg " + std::to_string(*p.urgent);
  if (!p.options) {
    s += " <...>";
  } else if (!p.options->empty()) {
    s += " " + format_options(*p.options);
  }
  return s;
}

}  // namespace tcpfuzz::scenario
