// A client and a server host on one link (optionally faulty), and a
// conversation between them that touches every kind of event: handshake,
// data both ways, close from both sides, TIME-WAIT running out.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "testbed/testbed.h"

namespace tcpfuzz::testbed {

struct TwoHosts {
  static inline const netstack::IpAddress kClient = *netstack::IpAddress::parse("198.18.0.1");
  static inline const netstack::IpAddress kServer = *netstack::IpAddress::parse("198.18.0.2");

  explicit TwoHosts(LinkOptions options = {}) {
    client = bed.add_host({.seed = 11});
    server = bed.add_host({.seed = 22});
    link = bed.add_link({client, kClient}, {server, kServer}, std::move(options));
  }

  // Connects, moves `bytes` to the server and back, closes both sides and
  // waits out TIME-WAIT. Returns the bytes the server read.
  size_t converse(size_t bytes) {
    netstack::tcp::Protocol& c = bed.host(client).tcp();
    netstack::tcp::Protocol& s = bed.host(server).tcp();
    netstack::tcp::Endpoint& listener = *s.find(s.open(netstack::IpAddress::Family::kV4));
    EXPECT_EQ(listener.bind(kServer, 80), 0);
    EXPECT_EQ(listener.listen(4), 0);
    netstack::tcp::Endpoint& ce = *c.find(c.open(netstack::IpAddress::Family::kV4));
    EXPECT_EQ(ce.connect(kServer, 80), EINPROGRESS);
    netstack::tcp::Endpoint* se = nullptr;
    EXPECT_TRUE(bed.run_until(
        [&] {
          if (auto a = listener.accept()) se = s.find(*a);
          return se != nullptr;
        },
        std::chrono::seconds(30)));
    if (se == nullptr) return 0;
    std::vector<uint8_t> data(bytes, 0x5a);
    std::vector<uint8_t> buffer(65536);
    size_t written = 0;
    size_t echoed = 0;
    size_t read = 0;
    size_t read_back = 0;
    EXPECT_TRUE(bed.run_until(
        [&] {
          if (written < bytes) {
            if (auto n = ce.write(std::span(data).subspan(written))) written += *n;
          }
          while (auto n = se->read(buffer)) {
            if (*n == 0) break;
            read += *n;
          }
          if (echoed < read) {
            if (auto n = se->write(std::span(data).first(read - echoed))) echoed += *n;
          }
          while (auto n = ce.read(buffer)) {
            if (*n == 0) break;
            read_back += *n;
          }
          return read == bytes && read_back == bytes;
        },
        std::chrono::minutes(10)));
    ce.close();
    EXPECT_TRUE(bed.run_until([&] { return se->state() == netstack::tcp::State::kCloseWait; },
                              std::chrono::seconds(30)));
    se->close();
    listener.close();
    bed.run_for(std::chrono::minutes(2), QueuedPackets::kDeliverFirst);
    c.reap();
    s.reap();
    return read;
  }

  Testbed bed;
  HostId client = 0;
  HostId server = 0;
  LinkId link = 0;
};

}  // namespace tcpfuzz::testbed
