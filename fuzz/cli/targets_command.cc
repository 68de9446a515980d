// tcpfuzz targets: the fuzz targets, one per line, tab-separated: name, what
// its inputs export to ("pkt,pcap", "pcap" or "-"), and what it fuzzes.
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/harness/targets.h"

namespace tcpfuzz::cli {

int targets_command(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "usage: tcpfuzz targets\n");
    return 2;
  }
  for (const harness::Target& t : harness::targets()) {
    std::string exports;
    if (t.to_script != nullptr) exports = "pkt";
    if (t.writes_pcap) exports += exports.empty() ? "pcap" : ",pcap";
    std::printf("%s\t%s\t%s\n", std::string(t.name).c_str(),
                exports.empty() ? "-" : exports.c_str(), std::string(t.summary).c_str());
  }
  return 0;
}

}  // namespace tcpfuzz::cli
