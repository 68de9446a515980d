// The integer Python expressions of packetdrill's %{ }% blocks, evaluated
// without an interpreter: decimal and hex literals, names, parentheses,
// unary -, ~ and not, * // %, + -, << >>, & ^ |, comparison chains
// (990 <= x <= 1010, as Python chains them), and, or. Booleans are 1 and 0.
// Anything else (calls, strings, floats, attributes) is refused with the
// construct named, so a script using it is skipped, never passed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "stack/util/expected.h"

namespace tcpfuzz::scenario {

// The value of a name; nullopt when it has none.
using NameLookup = std::function<std::optional<long>(std::string_view name)>;

// The expression's value, or why it cannot be evaluated.
netstack::Expected<long, std::string> evaluate_python(std::string_view expression,
                                                      const NameLookup& names);

}  // namespace tcpfuzz::scenario
