#include "stack/link/tun_link.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace netstack {

namespace {

std::string failure(const std::string& name, const char* step) {
  return "tun " + name + ": " + step + ": " + std::strerror(errno);
}

// The device's MTU, asked through any socket (SIOCGIFMTU needs one).
Expected<uint32_t, std::string> device_mtu(const std::string& name) {
  const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return Unexpected{failure(name, "socket for SIOCGIFMTU")};
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  const int rc = ::ioctl(s, SIOCGIFMTU, &ifr);
  const int saved = errno;
  ::close(s);
  errno = saved;
  if (rc < 0) return Unexpected{failure(name, "SIOCGIFMTU")};
  return static_cast<uint32_t>(ifr.ifr_mtu);
}

}  // namespace

Expected<std::unique_ptr<TunLink>, std::string> TunLink::open(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ) {
    return Unexpected{"tun '" + name + "': the name must have 1 to " +
                      std::to_string(IFNAMSIZ - 1) + " characters"};
  }
  const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return Unexpected{failure(name, "open /dev/net/tun")};
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
    std::string error = failure(name, "TUNSETIFF (IFF_TUN | IFF_NO_PI)");
    ::close(fd);
    return Unexpected{std::move(error)};
  }
  auto mtu = device_mtu(name);
  if (!mtu) {
    ::close(fd);
    return Unexpected{mtu.error()};
  }
  return std::unique_ptr<TunLink>(new TunLink(fd, name, *mtu));
}

TunLink::~TunLink() {
  ::close(fd_);
}

void TunLink::send(View packet) {
  const std::span<const uint8_t> bytes = packet.bytes();
  if (::write(fd_, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size())) {
    ++stats_.sent;
  } else {
    ++stats_.send_errors;
  }
}

size_t TunLink::drain(PacketReceiver& to, size_t max_packets) {
  size_t n = 0;
  while (n < max_packets) {
    View packet = View::allocate(mtu_);
    const ssize_t got = ::read(fd_, packet.mutable_bytes().data(), mtu_);
    // EAGAIN: nothing more queued. Any other error leaves the packets to
    // the next poll, which reports a broken device as POLLERR.
    if (got <= 0) break;
    packet.truncate(static_cast<size_t>(got));
    ++stats_.received;
    ++n;
    to.receive(std::move(packet));
  }
  return n;
}

}  // namespace netstack
