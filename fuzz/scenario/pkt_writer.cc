#include "fuzz/scenario/pkt_writer.h"

#include <cstring>
#include <sstream>

#include "fuzz/scenario/linux_symbols.h"
#include "fuzz/scenario/packet_format.h"

namespace tcpfuzz::scenario {

std::string format_seconds(int64_t us) {
  const bool negative = us < 0;
  const uint64_t magnitude = negative ? -static_cast<uint64_t>(us) : static_cast<uint64_t>(us);
  std::string s = (negative ? "-" : "") + std::to_string(magnitude / 1'000'000);
  uint64_t fraction = magnitude % 1'000'000;
  if (fraction == 0) return s;
  std::string digits = std::to_string(fraction);
  digits.insert(0, 6 - digits.size(), '0');
  while (digits.back() == '0') digits.pop_back();
  return s + "." + digits;
}

std::string format_expr(const Expr& e) {
  auto list = [](const std::vector<Expr>& items, std::string_view separator) {
    std::string s;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) s += separator;
      s += format_expr(items[i]);
    }
    return s;
  };
  switch (e.kind) {
    case Expr::Kind::kEllipsis:
      return "...";
    case Expr::Kind::kInteger:
      return std::to_string(e.integer);
    case Expr::Kind::kSymbol:
      return e.elements.empty() ? e.text : e.text + "(" + list(e.elements, ", ") + ")";
    case Expr::Kind::kString:
      return "\"" + e.text + "\"";
    case Expr::Kind::kArray:
      return "[" + list(e.elements, ", ") + "]";
    case Expr::Kind::kOr:
      return list(e.elements, "|");
    case Expr::Kind::kStruct: {
      std::string s = "{";
      for (size_t i = 0; i < e.elements.size(); ++i) {
        if (i > 0) s += ", ";
        const std::string name = i < e.names.size() ? e.names[i] : std::string();
        // packetdrill's msghdr grammar annotates two fields: msg_name(...)
        // and msg_iov(N) with the iovec count.
        if (name == "msg_name") {
          s += "msg_name(...)=";
        } else if (name == "msg_iov" && e.elements[i].kind == Expr::Kind::kArray) {
          s += "msg_iov(" + std::to_string(e.elements[i].elements.size()) + ")=";
        } else if (!name.empty()) {
          s += name + "=";
        }
        s += format_expr(e.elements[i]);
      }
      return s + "}";
    }
  }
  return "?";
}

std::string format_syscall(const SyscallSpec& sc) {
  std::string s;
  if (sc.end_us) s += "..." + format_seconds(*sc.end_us) + " ";
  s += sc.name + "(";
  for (size_t i = 0; i < sc.args.size(); ++i) {
    if (i > 0) s += ", ";
    s += format_expr(sc.args[i]);
  }
  s += ") = " + format_expr(sc.result);
  if (sc.errno_name) {
    s += " " + *sc.errno_name;
    if (auto value = errno_value(*sc.errno_name))
      s += " (" + std::string(std::strerror(*value)) + ")";
  }
  return s;
}

std::string format_event(const Event& e) {
  std::string time;
  switch (e.time.kind) {
    case EventTime::Kind::kAny:
      time = "*";
      break;
    case EventTime::Kind::kRelative:
      time = "+" + format_seconds(e.time.start_us);
      break;
    case EventTime::Kind::kAbsolute:
      time = format_seconds(e.time.start_us);
      break;
  }
  if (e.time.end_us)
    time += "~" + std::string(e.time.end_relative ? "+" : "") + format_seconds(*e.time.end_us);
  if (const auto* p = std::get_if<PacketSpec>(&e.action)) {
    std::string ports;
    if (p->ports)
      ports = std::to_string(p->ports->first) + ">" + std::to_string(p->ports->second) + " ";
    const char* arrow = p->direction == PacketSpec::Direction::kInbound ? "<" : ">";
    return time + " " + arrow + " " + ports + format_packet(*p);
  }
  if (const auto* sc = std::get_if<SyscallSpec>(&e.action)) return time + " " + format_syscall(*sc);
  if (const auto* c = std::get_if<CommandSpec>(&e.action)) return time + " `" + c->command + "`";
  return time + " %{" + std::get<CodeSpec>(e.action).code + "}%";
}

std::string write_script(const Scenario& s, std::string_view comment) {
  std::ostringstream out;
  std::istringstream lines{std::string(comment)};
  for (std::string line; std::getline(lines, line);) out << "// " << line << "\n";
  if (!comment.empty()) out << "\n";
  for (const auto& [name, value] : s.options) {
    out << "--" << name << (value.empty() ? "" : "=" + value) << "\n";  // --send_omit_free
  }
  for (const Event& e : s.events) out << format_event(e) << "\n";
  return out.str();
}

}  // namespace tcpfuzz::scenario
