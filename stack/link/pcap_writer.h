// PcapWriter: raw IP packets into a pcap file through libpcap
// (LINKTYPE_RAW, nanosecond timestamps so fake-clock times survive exactly).
#pragma once

#include <memory>
#include <span>
#include <string>

#include "stack/link/packet_recorder.h"
#include "stack/time/clock.h"
#include "stack/util/expected.h"

namespace netstack {

class PcapWriter final : public PacketRecorder {
 public:
  // The error is libpcap's message, prefixed with the path.
  static Expected<std::unique_ptr<PcapWriter>, std::string> open(const std::string& path);
  ~PcapWriter() override;
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // Begin PacketRecorder implementation.
  void record(Instant at, std::span<const uint8_t> ip_packet) override;
  // End PacketRecorder implementation.
  // Flushes buffered records; returns false if the file could not be written.
  bool flush();
  uint64_t packets_written() const { return written_; }

 private:
  struct Handles;
  explicit PcapWriter(std::unique_ptr<Handles> h);
  std::unique_ptr<Handles> h_;
  uint64_t written_ = 0;
};

}  // namespace netstack
