// Reading the arguments of a script's call line: packetdrill expressions
// (numbers, Linux constants, "A|B", "[N]", "{name=value, ...}") as the
// integers the call is made with.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fuzz/scenario/scenario.h"

namespace tcpfuzz::scenario {

// The integer `x` stands for: a number, a known constant or errno name, an
// or of those, or a one-element array ("[1]", as setsockopt values are
// written). nullopt for anything else ("...", strings, structs, unknown names).
std::optional<long> evaluate(const Expr& x);

// A symbol no table knows, anywhere in `x` (struct field names aside): a
// call that names one cannot be honoured faithfully.
std::optional<std::string> unknown_symbol(const Expr& x);

// The value of field `name` in the struct `s` ("{onoff=1, linger=0}"), 0 if
// it does not evaluate; `absent` when the struct has no such field.
long struct_field(const Expr& s, std::string_view name, long absent);

// A constant this code names itself, so always in the table (MSG_PEEK, ...).
long linux_constant(std::string_view name);

}  // namespace tcpfuzz::scenario
