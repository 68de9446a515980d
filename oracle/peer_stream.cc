#include "oracle/peer_stream.h"

#include <algorithm>

namespace tcpfuzz::oracle {

void PeerStream::clear() {
  bytes_.clear();
  marks_.clear();
}

void PeerStream::offer(uint32_t offset, std::span<const uint8_t> bytes) {
  if (offset >= kLimit || bytes.empty()) return;
  const size_t end = std::min<size_t>(size_t{offset} + bytes.size(), kLimit);
  if (end > bytes_.size()) {
    bytes_.resize(end);
    marks_.resize(end, kNever);
  }
  for (size_t i = offset; i < end; ++i) {
    const uint8_t b = bytes[i - offset];
    if (marks_[i] == kNever) {
      bytes_[i] = b;
      marks_[i] = kOne;
    } else if (marks_[i] == kOne && bytes_[i] != b) {
      marks_[i] = kConflicting;
    }
  }
}

bool PeerStream::offered(uint32_t offset) const {
  return offset >= kLimit || (offset < marks_.size() && marks_[offset] != kNever);
}

std::optional<uint32_t> PeerStream::first_mismatch(uint64_t offset,
                                                   std::span<const uint8_t> bytes) const {
  const uint64_t end = std::min<uint64_t>(offset + bytes.size(), marks_.size());
  for (uint64_t i = offset; i < end; ++i) {
    if (marks_[i] == kOne && bytes_[i] != bytes[i - offset]) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

}  // namespace tcpfuzz::oracle
