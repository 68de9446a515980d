#include "fuzz/diff/divergence.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace tcpfuzz::diff {

namespace {

std::string trimmed(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const size_t last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

// The word after `marker` in `text` (letters, digits, '_'), or "".
std::string word_after(std::string_view text, std::string_view marker) {
  const size_t at = text.find(marker);
  if (at == std::string_view::npos) return {};
  std::string word;
  for (size_t i = at + marker.size(); i < text.size(); ++i) {
    const char c = text[i];
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      break;
    }
    word += c;
  }
  return word;
}

// "script.pkt:16: message" -> (16, "message").
std::optional<std::pair<int, std::string>> located_error(const std::string& line) {
  const size_t pkt = line.find(".pkt:");
  if (pkt == std::string::npos) return std::nullopt;
  size_t i = pkt + 5;
  int number = 0;
  const size_t digits = i;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) {
    number = number * 10 + (line[i] - '0');
    ++i;
  }
  if (i == digits || line.compare(i, 2, ": ") != 0) return std::nullopt;
  return std::make_pair(number, trimmed(std::string_view(line).substr(i + 2)));
}

// The text between '<' and '>' of a packet as packetdrill prints it.
std::string options_of(std::string_view packet) {
  const size_t open = packet.find('<');
  const size_t close = packet.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return {};
  return std::string(packet.substr(open + 1, close - open - 1));
}

// "1461:1561 1461:1561" from "...,nop,nop,sack 1461:1561 1461:1561".
std::string sack_blocks_of(const std::string& options) {
  const size_t at = options.find("sack ");
  if (at == std::string::npos) return {};
  const size_t end = options.find(',', at);
  return options.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
}

// Whether `ours` is `theirs` with a D-SACK block in front (RFC 2883 4: a
// first block at or below the ACK, or inside the second block), as in
// "1134:1179 879:1389" against "879:1389".
bool extra_leading_dsack(std::string_view packet, const std::string& ours,
                         const std::string& theirs) {
  const size_t space = ours.find(' ');
  const std::string rest = space == std::string::npos ? std::string() : ours.substr(space + 1);
  if (rest != theirs) return false;
  const auto block = [](std::string_view text) {
    const size_t colon = text.find(':');
    return std::make_pair(std::strtoul(std::string(text.substr(0, colon)).c_str(), nullptr, 10),
                          std::strtoul(std::string(text.substr(colon + 1)).c_str(), nullptr, 10));
  };
  const auto [start, end] = block(ours.substr(0, space));
  const size_t ack_at = packet.find(" ack ");
  const unsigned long ack =
      ack_at == std::string_view::npos
          ? 0
          : std::strtoul(std::string(packet.substr(ack_at + 5)).c_str(), nullptr, 10);
  const auto seq_le = [](unsigned long a, unsigned long b) {
    return static_cast<int32_t>(static_cast<uint32_t>(b - a)) >= 0;
  };
  if (ack_at != std::string_view::npos && seq_le(end, ack)) return true;
  if (rest.empty()) return false;
  const auto [second_start, second_end] = block(rest.substr(0, rest.find(' ')));
  return seq_le(second_start, start) && seq_le(end, second_end);
}

// The payload length packetdrill prints in parentheses after the sequence
// numbers ("1:1461(1460)").
std::string payload_of(std::string_view packet) {
  const size_t open = packet.find('(');
  const size_t close = packet.find(')', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  return std::string(packet.substr(open + 1, close - open - 1));
}

// A length or option difference named by what differs, when both packets
// are known: "ts" (timestamps on one side only), "sack" (SACK blocks),
// "payload"; otherwise as classified.
// The '|'-separated names in `text` up to the first space.
std::vector<std::string> flag_names(std::string_view text) {
  std::vector<std::string> names;
  text = text.substr(0, std::min(text.find(' '), text.size()));
  while (!text.empty()) {
    const size_t bar = std::min(text.find('|'), text.size());
    names.emplace_back(text.substr(0, bar));
    text.remove_prefix(std::min(bar + 1, text.size()));
  }
  return names;
}

std::string refined(const Divergence& d) {
  if (d.what == "result" && d.message.find("Expected revents of ") != std::string::npos) {
    // "Expected revents of POLLIN but got POLLIN|POLLOUT": named by the
    // events that differ ("revents-pollout").
    const std::string_view m = d.message;
    const size_t expected = m.find("revents of ") + 11;
    const size_t got = m.find(" but got ", expected);
    if (got == std::string_view::npos) return d.what;
    std::vector<std::string> ours = flag_names(m.substr(expected));
    std::vector<std::string> theirs = flag_names(m.substr(got + 9));
    std::string what = "revents";
    for (const auto* side : {&ours, &theirs}) {
      const auto* other = side == &ours ? &theirs : &ours;
      for (const std::string& name : *side) {
        if (std::ranges::find(*other, name) != other->end()) continue;
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        what += "-" + lower;
      }
    }
    return what;
  }
  if (d.what == "timing") {
    // "expected outbound packet at X sec but happened at Y sec": Linux
    // "early" (Y < X), "lag" (later by under 50 ms: timer ticks, pacing),
    // or "late" (later still).
    const size_t at = d.message.find("packet at ");
    const size_t happened = d.message.find("happened at ");
    if (at == std::string::npos || happened == std::string::npos) return d.what;
    const double expected = std::strtod(d.message.c_str() + at + 10, nullptr);
    const double actual = std::strtod(d.message.c_str() + happened + 12, nullptr);
    if (actual < expected) return "early";
    return actual - expected < 0.05 ? "lag" : "late";
  }
  if ((d.what != "length" && d.what != "options") || d.ours.empty() || d.linux_sent.empty()) {
    return d.what;
  }
  if (payload_of(d.ours) != payload_of(d.linux_sent)) return "payload";
  const std::string ours = options_of(d.ours);
  const std::string theirs = options_of(d.linux_sent);
  if ((ours.find("TS val") == std::string::npos) != (theirs.find("TS val") == std::string::npos)) {
    return "ts";
  }
  const std::string our_blocks = sack_blocks_of(ours);
  const std::string their_blocks = sack_blocks_of(theirs);
  if (our_blocks != their_blocks) {
    // Our D-SACK that Linux left out, the blocks otherwise the same.
    if (extra_leading_dsack(d.ours, our_blocks, their_blocks)) return "dsack-omitted";
    return "sack";
  }
  return d.what;
}

}  // namespace

std::string classify(std::string_view message) {
  if (auto field = word_after(message, "live packet field tcp_"); !field.empty()) return field;
  // The IP length differs when the TCP options or the payload do.
  if (message.find("live packet field ipv4_total_length") != std::string_view::npos ||
      message.find("live packet field ipv6_payload_len") != std::string_view::npos) {
    return "length";
  }
  if (message.find("runtime error in ") != std::string_view::npos) return "result";
  if (message.find("outbound TCP option") != std::string_view::npos) return "options";
  if (message.find("TCP timestamp") != std::string_view::npos) return "timestamp";
  if (message.find("payload") != std::string_view::npos) return "payload";
  if (message.find("Timed out waiting for packet") != std::string_view::npos) return "missing";
  if (message.find("timing error") != std::string_view::npos) return "timing";
  if (message.find("error executing code") != std::string_view::npos ||
      message.find("AssertionError") != std::string_view::npos) {
    return "tcp_info";
  }
  return "other";
}

std::optional<Divergence> parse_packetdrill_report(std::string_view output) {
  std::istringstream lines{std::string(output)};
  std::string line;
  std::optional<Divergence> found;
  while (std::getline(lines, line)) {
    if (!found) {
      // The error can follow other output on the same line: packetdrill
      // does not end what the script printed with a newline.
      auto error = located_error(line);
      if (!error) continue;
      found = Divergence{};
      found->line = error->first;
      found->message = error->second;
      found->what = classify(found->message);
      continue;
    }
    const std::string text = trimmed(line);
    if (text.starts_with("script packet:")) {
      found->ours = trimmed(text.substr(14));
    } else if (text.starts_with("actual packet:")) {
      found->linux_sent = trimmed(text.substr(14));
    } else if (found->what == "tcp_info" || found->what == "other") {
      // Code errors put the Python exception on the following lines.
      if (!text.empty() && found->message.size() < 400) found->message += " | " + text;
    }
  }
  if (found) found->what = refined(*found);
  return found;
}

}  // namespace tcpfuzz::diff
