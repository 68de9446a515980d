// TunLink: a NIC on a Linux TUN device (IFF_TUN | IFF_NO_PI), so the stack
// exchanges IP packets with the kernel of the host or of a network namespace.
//
// The device fd is non-blocking: send() writes one packet and never waits,
// and drain() reads whatever the kernel has queued. An event loop polls fd()
// and calls drain(); nothing here reads a clock or spawns a thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "stack/link/link.h"
#include "stack/util/expected.h"

namespace netstack {

struct TunStats {
  uint64_t sent = 0;
  // Writes the kernel refused (a full queue, a device going down): the
  // packet is lost, as on a NIC with a full transmit ring, and TCP resends.
  uint64_t send_errors = 0;
  uint64_t received = 0;
};

class TunLink final : public Link {
 public:
  // Attaches to the TUN device `name` (creating it if it does not exist)
  // and takes the MTU the device has. The error names the device, the step
  // that failed and the errno text.
  static Expected<std::unique_ptr<TunLink>, std::string> open(const std::string& name);
  ~TunLink() override;
  TunLink(const TunLink&) = delete;
  TunLink& operator=(const TunLink&) = delete;

  // Begin Link implementation.
  void send(View packet) override;
  uint32_t mtu() const override { return mtu_; }
  // End Link implementation.

  // Hands every packet queued on the device (at most max_packets) to `to`;
  // returns how many.
  size_t drain(PacketReceiver& to, size_t max_packets = 256);
  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  const TunStats& stats() const { return stats_; }

 private:
  TunLink(int fd, std::string name, uint32_t mtu) : fd_(fd), name_(std::move(name)), mtu_(mtu) {}

  int fd_;
  std::string name_;
  uint32_t mtu_;
  TunStats stats_;
};

}  // namespace netstack
