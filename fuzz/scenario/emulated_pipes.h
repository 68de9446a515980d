// The pipes a script's process makes with pipe(), for splice(). Every
// byte is zero, as every payload packetdrill sends and expects is, so a
// pipe is only a count of bytes, up to Linux's default capacity.
#pragma once

#include <cstddef>
#include <map>
#include <vector>

namespace tcpfuzz::scenario {

class EmulatedPipes {
 public:
  // Linux's default pipe size: 16 pages.
  static constexpr size_t kCapacity = 65536;

  void open(int read_fd, int write_fd);
  bool is_open(int fd) const { return ends_.contains(fd); }
  bool close(int fd) { return ends_.erase(fd) == 1; }
  void clear();
  // The bytes held by the pipe whose write end (read end) is `fd`;
  // nullptr when `fd` is no such end.
  size_t* written_through(int fd) { return held(fd, /*write=*/true); }
  size_t* read_through(int fd) { return held(fd, /*write=*/false); }

 private:
  size_t* held(int fd, bool write);

  struct End {
    size_t pipe;
    bool write;
  };
  std::map<int, End> ends_;
  std::vector<size_t> bytes_;  // per pipe, by the order they were made
};

}  // namespace tcpfuzz::scenario
