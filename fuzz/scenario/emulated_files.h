// The files a script's process reads beside its sockets, for sendfile().
// packetdrill scripts make them with shell commands (`dd if=/dev/zero
// of=FILE`, `rm -f FILE`) and open() them; every byte is zero, as every
// payload packetdrill sends and expects is, so a file is only a size.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tcpfuzz::scenario {

class EmulatedFiles {
 public:
  // A shell line that makes or removes a file (`[/bin/]dd bs=N count=M
  // if=/dev/zero of=PATH [status=none]`, `[/bin/]rm -f PATH`): true when it
  // was one, and it is done.
  bool run_command(std::string_view line);
  // open(path, O_RDONLY) at descriptor `fd`: false (ENOENT) when there is
  // no such file.
  bool open(int fd, const std::string& path);
  bool is_open(int fd) const { return open_.contains(fd); }
  bool close(int fd) { return open_.erase(fd) == 1; }
  // The size of the file open at `fd`.
  std::optional<size_t> size(int fd) const;

 private:
  std::map<std::string, size_t, std::less<>> files_;  // path -> size
  std::map<int, std::string> open_;                   // descriptor -> path
};

}  // namespace tcpfuzz::scenario
