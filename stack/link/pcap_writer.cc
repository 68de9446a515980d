#include "stack/link/pcap_writer.h"

#include <pcap/pcap.h>

namespace netstack {

namespace {
constexpr int kSnapLength = 262144;
}  // namespace

struct PcapWriter::Handles {
  pcap_t* pcap = nullptr;
  pcap_dumper_t* dumper = nullptr;
  ~Handles() {
    if (dumper != nullptr) pcap_dump_close(dumper);
    if (pcap != nullptr) pcap_close(pcap);
  }
};

PcapWriter::PcapWriter(std::unique_ptr<Handles> h) : h_(std::move(h)) {}
PcapWriter::~PcapWriter() = default;

Expected<std::unique_ptr<PcapWriter>, std::string> PcapWriter::open(const std::string& path) {
  auto h = std::make_unique<Handles>();
  h->pcap = pcap_open_dead_with_tstamp_precision(DLT_RAW, kSnapLength, PCAP_TSTAMP_PRECISION_NANO);
  if (h->pcap == nullptr) return Unexpected{path + ": cannot create a pcap handle"};
  h->dumper = pcap_dump_open(h->pcap, path.c_str());
  if (h->dumper == nullptr) return Unexpected{path + ": " + pcap_geterr(h->pcap)};
  return std::unique_ptr<PcapWriter>(new PcapWriter(std::move(h)));
}

void PcapWriter::record(Instant at, std::span<const uint8_t> ip_packet) {
  pcap_pkthdr hdr{};
  const int64_t ns = at.nanos();
  hdr.ts.tv_sec = ns / 1'000'000'000;
  // With nanosecond precision libpcap stores tv_usec as nanoseconds.
  hdr.ts.tv_usec = ns % 1'000'000'000;
  hdr.caplen = static_cast<bpf_u_int32>(std::min<size_t>(ip_packet.size(), kSnapLength));
  hdr.len = static_cast<bpf_u_int32>(ip_packet.size());
  pcap_dump(reinterpret_cast<u_char*>(h_->dumper), &hdr, ip_packet.data());
  ++written_;
}

bool PcapWriter::flush() {
  return pcap_dump_flush(h_->dumper) == 0;
}

}  // namespace netstack
