#include "fuzz/scenario/binary_scenario.h"

#include <algorithm>
#include <array>

#include "stack/header/tcp.h"

namespace tcpfuzz::scenario {

namespace {

constexpr size_t kInjectBody = 11;
constexpr size_t kAdvanceBody = 2;
constexpr size_t kCallBody = 3;

uint16_t u16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

// The extended format an input's first record names, if any.
const ExtendedFormat* extended_format(std::span<const uint8_t> b) {
  if (b.size() < kExtendedMarker.size() ||
      !std::equal(kExtendedMarker.begin(), kExtendedMarker.end() - 1, b.begin())) {
    return nullptr;
  }
  const auto* it =
      std::ranges::find(kExtendedFormats, b[kExtendedMarker.size() - 1], &ExtendedFormat::tag);
  return it == kExtendedFormats.end() ? nullptr : it;
}

}  // namespace

std::vector<BinaryEvent> decode_binary(std::span<const uint8_t> b) {
  std::vector<BinaryEvent> out;
  const ExtendedFormat* format = extended_format(b);
  const uint8_t call_ops = format != nullptr ? format->call_ops : kClassicCallOpCount;
  size_t i = format != nullptr ? kExtendedMarker.size() : 0;
  while (i < b.size()) {
    const uint8_t op = b[i] % 3;
    const size_t body = op == 0 ? kInjectBody : op == 1 ? kAdvanceBody : kCallBody;
    if (i + 1 + body > b.size()) break;
    const uint8_t* p = &b[i + 1];
    if (op == 0) {
      InjectSegment s;
      s.flags = p[0];
      s.seq_delta = static_cast<int16_t>(u16(p + 1));
      s.ack_delta = static_cast<int16_t>(u16(p + 3));
      s.window = u16(p + 5);
      s.payload = p[7];
      s.options = p[8];
      s.absolute = (p[9] & 1) != 0;
      s.urgent = p[10];
      out.emplace_back(s);
    } else if (op == 1) {
      out.emplace_back(AdvanceClock{u16(p)});
    } else {
      out.emplace_back(SocketCall{static_cast<CallOp>(p[0] % call_ops), u16(p + 1)});
    }
    i += 1 + body;
  }
  return out;
}

size_t encoded_size(const BinaryEvent& e) {
  const size_t body = std::holds_alternative<InjectSegment>(e)  ? kInjectBody
                      : std::holds_alternative<AdvanceClock>(e) ? kAdvanceBody
                                                                : kCallBody;
  return 1 + body;
}

bool needs_extended_marker(const std::vector<BinaryEvent>& events) {
  return std::ranges::any_of(events, [](const BinaryEvent& e) {
    const auto* c = std::get_if<SocketCall>(&e);
    return c != nullptr && static_cast<uint8_t>(c->op) >= kClassicCallOpCount;
  });
}

std::vector<uint8_t> encode_binary(const std::vector<BinaryEvent>& events) {
  std::vector<uint8_t> out;
  if (needs_extended_marker(events)) {
    // The oldest format that has every call: inputs made before a format
    // was added encode as they always did.
    uint8_t highest = 0;
    for (const BinaryEvent& e : events) {
      if (const auto* c = std::get_if<SocketCall>(&e)) {
        highest = std::max(highest, static_cast<uint8_t>(c->op));
      }
    }
    const auto* format = std::ranges::find_if(
        kExtendedFormats, [&](const ExtendedFormat& f) { return highest < f.call_ops; });
    out.assign(kExtendedMarker.begin(), kExtendedMarker.end());
    out.back() = format->tag;
  }
  for (const BinaryEvent& e : events) {
    if (const auto* s = std::get_if<InjectSegment>(&e)) {
      out.push_back(0);
      out.push_back(s->flags);
      put16(out, static_cast<uint16_t>(s->seq_delta));
      put16(out, static_cast<uint16_t>(s->ack_delta));
      put16(out, s->window);
      out.push_back(s->payload);
      out.push_back(s->options);
      out.push_back(s->absolute ? 1 : 0);
      out.push_back(s->urgent);
    } else if (const auto* a = std::get_if<AdvanceClock>(&e)) {
      out.push_back(1);
      put16(out, a->ms);
    } else {
      const auto& c = std::get<SocketCall>(e);
      out.push_back(2);
      out.push_back(static_cast<uint8_t>(c.op));
      put16(out, c.arg);
    }
  }
  return out;
}

std::string_view to_string(CallOp op) {
  static constexpr std::array<std::string_view, kCallOpCount> kNames{"listen",
                                                                     "connect",
                                                                     "accept",
                                                                     "read",
                                                                     "write",
                                                                     "shutdown-write",
                                                                     "shutdown-read",
                                                                     "close",
                                                                     "abort",
                                                                     "nodelay",
                                                                     "keepalive",
                                                                     "user-timeout",
                                                                     "linger2",
                                                                     "linger-zero",
                                                                     "rcvbuf",
                                                                     "cork",
                                                                     "inq",
                                                                     "siocinq",
                                                                     "zerocopy",
                                                                     "send-zerocopy",
                                                                     "errqueue",
                                                                     "epoll-wait",
                                                                     "mark",
                                                                     "notsent-lowat",
                                                                     "timestamping",
                                                                     "fastopen-sendto",
                                                                     "fastopen-connect",
                                                                     "fastopen-queue",
                                                                     "poll",
                                                                     "send-oob",
                                                                     "recv-oob",
                                                                     "siocatmark",
                                                                     "oob-inline",
                                                                     "splice"};
  return kNames[static_cast<size_t>(op) % kCallOpCount];
}

std::string describe(const BinaryEvent& e) {
  if (const auto* s = std::get_if<InjectSegment>(&e)) {
    std::string flags = netstack::header::flags_to_string(s->flags);
    auto relative = [&](int16_t delta) {
      if (s->absolute) return std::to_string(static_cast<uint16_t>(delta));
      return std::string(delta < 0 ? "-" : "+") + std::to_string(delta < 0 ? -delta : delta);
    };
    std::string out = "inject " + (flags.empty() ? std::string("-") : flags) + " seq" +
                      (s->absolute ? " " : "") + relative(s->seq_delta) + " ack" +
                      (s->absolute ? " " : "") + relative(s->ack_delta) + " win " +
                      std::to_string(s->window) + " len " + std::to_string(s->payload);
    if ((s->flags & netstack::header::tcp_flag::kUrg) != 0) {
      out += " urg " + std::to_string(s->urgent);
    }
    static constexpr std::array<std::string_view, 5> kOptions{"mss", "wscale", "sackOK", "TS",
                                                              "sack"};
    std::string options;
    for (size_t bit = 0; bit < kOptions.size(); ++bit) {
      if ((s->options & (1U << bit)) == 0) continue;
      options += (options.empty() ? "" : ",") + std::string(kOptions[bit]);
    }
    return options.empty() ? out : out + " <" + options + ">";
  }
  if (const auto* a = std::get_if<AdvanceClock>(&e))
    return "advance " + std::to_string(a->ms) + " ms";
  const auto& c = std::get<SocketCall>(e);
  return "call " + std::string(to_string(c.op)) + " " + std::to_string(c.arg);
}

}  // namespace tcpfuzz::scenario
