// Writes scenarios in the packetdrill dialect: what `tcpfuzz export`,
// property-test failures and `tcpfuzz diff` print. Every line written
// parses back to the same event (tests/scenario/pkt_writer_test.cc).
#pragma once

#include <string>
#include <string_view>

#include "fuzz/scenario/scenario.h"

namespace tcpfuzz::scenario {

// "1.5", "0", "0.000250": seconds with no trailing zeros.
std::string format_seconds(int64_t us);
std::string format_expr(const Expr& e);
// "read(4, ..., 100) = -1 EAGAIN (Resource temporarily unavailable)"
std::string format_syscall(const SyscallSpec& sc);
// One script line: time, then the action.
std::string format_event(const Event& e);
// The whole script; `comment` lines (without "//") go first.
std::string write_script(const Scenario& s, std::string_view comment);

}  // namespace tcpfuzz::scenario
