// tun_forward: copies IP packets between two TUN devices, both ways, through
// user space. ci/interop_bench.sh uses it for its Linux-to-Linux baseline:
// two namespaces whose only path to each other is this process, so the
// kernel's TCP pays the same TUN reads and writes as when it talks to our
// stack.
//
//   tun_forward DEVICE_A DEVICE_B   (runs until killed)
#include <poll.h>

#include <array>
#include <cstdio>
#include <memory>

#include "stack/link/link_adapters.h"
#include "stack/link/tun_link.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: tun_forward DEVICE_A DEVICE_B\n", stderr);
    return 2;
  }
  std::array<std::unique_ptr<netstack::TunLink>, 2> tun;
  for (int i = 0; i < 2; ++i) {
    auto link = netstack::TunLink::open(argv[i + 1]);
    if (!link) {
      std::fprintf(stderr, "tun_forward: %s\n", link.error().c_str());
      return 2;
    }
    tun[static_cast<size_t>(i)] = std::move(*link);
  }
  netstack::LinkReceiver to_b(*tun[1]);
  netstack::LinkReceiver to_a(*tun[0]);
  std::puts("forwarding");
  std::fflush(stdout);
  std::array<pollfd, 2> fds = {pollfd{.fd = tun[0]->fd(), .events = POLLIN, .revents = 0},
                               pollfd{.fd = tun[1]->fd(), .events = POLLIN, .revents = 0}};
  while (::poll(fds.data(), fds.size(), -1) >= 0) {
    if ((fds[0].revents & POLLIN) != 0) tun[0]->drain(to_b);
    if ((fds[1].revents & POLLIN) != 0) tun[1]->drain(to_a);
  }
  std::perror("tun_forward: poll");
  return 1;
}
