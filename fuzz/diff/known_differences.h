// The deliberate differences from Linux that `tcpfuzz diff` reports as
// "known": the table under the heading "Known to tcpfuzz diff" in
// docs/linux-differences.md, one row per signature.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stack/util/expected.h"

namespace tcpfuzz::diff {

struct KnownDifference {
  std::string signature;  // as `tcpfuzz diff` prints it, e.g. "window.ack"
  std::string summary;    // the row's description
};

// The rows of the "Known to tcpfuzz diff" table in `markdown` (a file's
// text); an error naming the line when a row has no `signature`.
netstack::Expected<std::vector<KnownDifference>, std::string> parse_known_differences(
    const std::string& markdown, const std::string& path);

const KnownDifference* find_known(const std::vector<KnownDifference>& known,
                                  const std::string& signature);

}  // namespace tcpfuzz::diff
