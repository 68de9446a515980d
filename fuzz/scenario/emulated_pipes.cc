#include "fuzz/scenario/emulated_pipes.h"

namespace tcpfuzz::scenario {

void EmulatedPipes::open(int read_fd, int write_fd) {
  ends_[read_fd] = End{bytes_.size(), false};
  ends_[write_fd] = End{bytes_.size(), true};
  bytes_.push_back(0);
}

void EmulatedPipes::clear() {
  ends_.clear();
  bytes_.clear();
}

size_t* EmulatedPipes::held(int fd, bool write) {
  const auto it = ends_.find(fd);
  if (it == ends_.end() || it->second.write != write) return nullptr;
  return &bytes_[it->second.pipe];
}

}  // namespace tcpfuzz::scenario
