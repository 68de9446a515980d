#include "fuzz/cli/pcap_export.h"

#include <cstdio>
#include <sstream>

#include "fuzz/cli/input_file.h"
#include "fuzz/harness/child_run.h"
#include "stack/link/pcap_writer.h"

namespace tcpfuzz::cli {

namespace {

// Flushes after every packet, so a run that crashes leaves a pcap of every
// packet up to the crash.
class FlushingRecorder final : public netstack::PacketRecorder {
 public:
  explicit FlushingRecorder(netstack::PcapWriter& writer) : writer_(writer) {}
  void record(netstack::Instant at, std::span<const uint8_t> ip_packet) override {
    writer_.record(at, ip_packet);
    writer_.flush();
  }

 private:
  netstack::PcapWriter& writer_;
};

}  // namespace

PcapExport write_pcap(const harness::Target& target, const std::vector<uint8_t>& input,
                      const std::string& out_path) {
  const std::string partial = temporary_path(out_path);
  const harness::ChildOutcome child = harness::run_in_child(
      [&](int fd) {
        auto w = netstack::PcapWriter::open(partial);
        if (!w) {
          harness::write_all(fd, "error " + w.error());
          return;
        }
        FlushingRecorder each_packet(**w);
        std::ostringstream ignored;
        target.replay(input, harness::ReplayOptions{&each_packet}, ignored);
        harness::write_all(fd, (*w)->flush() ? "ok" : "error " + out_path + ": write failed");
      },
      {.capture_stderr = false, .timeout_seconds = harness::kToolTimeoutSeconds});
  PcapExport result;
  if (child.output.starts_with("error ")) {
    result.error = child.output.substr(6);
    std::remove(partial.c_str());
    return result;
  }
  result.error = commit_output(out_path);
  if (child.crashed) result.crash = child.how;
  return result;
}

}  // namespace tcpfuzz::cli
