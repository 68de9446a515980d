#include "fuzz/import/capture_file.h"

#include <pcap/pcap.h>

#include <memory>

namespace tcpfuzz::import {

netstack::Expected<CaptureEnd, std::string> read_capture(
    const std::string& path, const std::function<void(const Frame&)>& frame) {
  char error[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, decltype(&pcap_close)> pcap(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, error),
      &pcap_close);
  if (!pcap) return netstack::Unexpected{path + ": " + error};
  const int link_type = pcap_datalink(pcap.get());
  if (!link_type_supported(link_type)) {
    const char* name = pcap_datalink_val_to_name(link_type);
    return netstack::Unexpected{path + ": link type " +
                                (name != nullptr ? name : std::to_string(link_type)) +
                                " not supported (Ethernet, Linux SLL/SLL2, raw IP, null/loopback)"};
  }
  CaptureEnd end;
  pcap_pkthdr* h = nullptr;
  const u_char* bytes = nullptr;
  for (;;) {
    const int status = pcap_next_ex(pcap.get(), &h, &bytes);
    if (status == PCAP_ERROR_BREAK) break;
    if (status != 1) {
      end.stopped = pcap_geterr(pcap.get());
      break;
    }
    ++end.frames;
    // With nanosecond precision libpcap puts nanoseconds in tv_usec.
    frame(Frame{.number = end.frames,
                .time_ns = int64_t{h->ts.tv_sec} * 1'000'000'000 + h->ts.tv_usec,
                .link_type = link_type,
                .wire_length = h->len,
                .bytes = {bytes, h->caplen}});
  }
  return end;
}

}  // namespace tcpfuzz::import
