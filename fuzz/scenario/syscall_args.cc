#include "fuzz/scenario/syscall_args.h"

#include "fuzz/scenario/linux_symbols.h"

namespace tcpfuzz::scenario {

std::optional<long> evaluate(const Expr& x) {
  switch (x.kind) {
    case Expr::Kind::kInteger:
      return x.integer;
    case Expr::Kind::kSymbol:
      if (auto v = symbol_value(x.text)) return *v;
      if (auto v = errno_value(x.text)) return *v;
      return std::nullopt;
    case Expr::Kind::kOr: {
      long v = 0;
      for (const Expr& term : x.elements) {
        auto term_value = evaluate(term);
        if (!term_value) return std::nullopt;
        v |= *term_value;
      }
      return v;
    }
    case Expr::Kind::kArray:
      if (x.elements.size() == 1) return evaluate(x.elements[0]);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<std::string> unknown_symbol(const Expr& x) {
  if (x.kind == Expr::Kind::kSymbol && !symbol_value(x.text) && !errno_value(x.text) &&
      x.elements.empty()) {
    return x.text;
  }
  for (const Expr& sub : x.elements) {
    if (auto u = unknown_symbol(sub)) return u;
  }
  return std::nullopt;
}

long struct_field(const Expr& s, std::string_view name, long absent) {
  long value = absent;
  for (size_t i = 0; i < s.names.size() && i < s.elements.size(); ++i) {
    if (s.names[i] == name) value = evaluate(s.elements[i]).value_or(0);
  }
  return value;
}

long linux_constant(std::string_view name) {
  return *symbol_value(name);
}

}  // namespace tcpfuzz::scenario
