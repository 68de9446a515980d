#include "oracle/peer_stream.h"

#include <algorithm>
#include <cstring>

namespace tcpfuzz::oracle {

void PeerStream::clear() {
  base_ = 0;
  bytes_.clear();
  marks_.clear();
}

void PeerStream::offer(uint32_t offset, std::span<const uint8_t> bytes) {
  // Offsets are below 2^32 for any stream a run carries: no wrap to mind.
  if (offset < base_) {
    const uint64_t skip = base_ - offset;
    if (skip >= bytes.size()) return;
    bytes = bytes.subspan(skip);
    offset = base_;
  }
  const uint64_t start = offset - base_;
  const uint64_t end = std::min<uint64_t>(start + bytes.size(), kSpan);
  if (start >= end) return;
  const size_t old_size = bytes_.size();
  if (end > old_size) {
    bytes_.resize(end);
    marks_.resize(end, kNever);
  }
  // New bytes past the end of the record are copied whole; bytes already
  // offered are compared one by one.
  const size_t fresh_from = std::max<size_t>(start, old_size);
  if (fresh_from < end) {
    std::memcpy(bytes_.data() + fresh_from, bytes.data() + (fresh_from - start), end - fresh_from);
    std::memset(marks_.data() + fresh_from, kOne, end - fresh_from);
  }
  const size_t seen_end = std::min<size_t>(end, fresh_from);
  // A copy of what was offered before (a retransmission) changes nothing.
  if (start < seen_end && std::memcmp(bytes_.data() + start, bytes.data(), seen_end - start) == 0 &&
      std::memchr(marks_.data() + start, kNever, seen_end - start) == nullptr) {
    return;
  }
  for (size_t i = start; i < seen_end; ++i) {
    const uint8_t b = bytes[i - start];
    if (marks_[i] == kNever) {
      bytes_[i] = b;
      marks_[i] = kOne;
    } else if (marks_[i] == kOne && bytes_[i] != b) {
      marks_[i] = kConflicting;
    }
  }
}

bool PeerStream::offered(uint32_t offset) const {
  if (offset < base_) return true;
  const uint64_t i = offset - base_;
  return i >= kSpan || (i < marks_.size() && marks_[i] != kNever);
}

std::optional<uint32_t> PeerStream::first_mismatch(uint32_t offset,
                                                   std::span<const uint8_t> bytes) const {
  if (bytes.empty()) return std::nullopt;
  // The common case, bytes as recorded, in one comparison.
  if (offset >= base_ && uint64_t{offset} - base_ + bytes.size() <= bytes_.size() &&
      std::memcmp(bytes_.data() + (offset - base_), bytes.data(), bytes.size()) == 0) {
    return std::nullopt;
  }
  for (size_t k = 0; k < bytes.size(); ++k) {
    const uint64_t at = uint64_t{offset} + k;
    if (at < base_) continue;
    const uint64_t i = at - base_;
    if (i >= marks_.size()) break;
    if (marks_[i] == kOne && bytes_[i] != bytes[k]) return static_cast<uint32_t>(at);
  }
  return std::nullopt;
}

void PeerStream::consume_to(uint32_t offset) {
  if (offset <= base_) return;
  const size_t n = std::min<uint64_t>(offset - base_, bytes_.size());
  // Dropping the front moves what is left: only once it is worth it.
  if (n < 4096 && 2 * n < bytes_.size()) return;
  bytes_.erase(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(n));
  marks_.erase(marks_.begin(), marks_.begin() + static_cast<std::ptrdiff_t>(n));
  base_ += static_cast<uint32_t>(n);
}

}  // namespace tcpfuzz::oracle
