#include "oracle/sequence_coverage.h"

#include <algorithm>

namespace tcpfuzz::oracle {

namespace {

// Offsets within 2^31 of the ISN; anything before it counts as before it.
int64_t offset(uint32_t isn, uint32_t seq) {
  return static_cast<int32_t>(seq - isn);
}

}  // namespace

void SequenceCoverage::reset(uint32_t isn) {
  isn_ = isn;
  contiguous_ = 1;
  pieces_.clear();
}

void SequenceCoverage::add(uint32_t seq, uint32_t length) {
  if (length == 0) return;
  int64_t start = offset(isn_, seq);
  const int64_t end = start + length;
  start = std::max<int64_t>(start, 0);
  if (end <= contiguous_) return;
  if (start <= contiguous_) {
    contiguous_ = end;
  } else {
    pieces_.emplace_back(start, end);
    std::sort(pieces_.begin(), pieces_.end());
  }
  // Merge what now touches: pieces with each other and with the prefix.
  std::vector<std::pair<int64_t, int64_t>> merged;
  for (const auto& piece : pieces_) {
    if (piece.first <= contiguous_) {
      contiguous_ = std::max(contiguous_, piece.second);
    } else if (!merged.empty() && piece.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, piece.second);
    } else {
      merged.push_back(piece);
    }
  }
  pieces_ = std::move(merged);
  if (pieces_.size() > kMaxPieces) {
    // Over-approximate: fill the smallest gap.
    size_t best = 0;
    for (size_t i = 1; i + 1 < pieces_.size(); ++i) {
      if (pieces_[i + 1].first - pieces_[i].second <
          pieces_[best + 1].first - pieces_[best].second) {
        best = i;
      }
    }
    pieces_[best].second = pieces_[best + 1].second;
    pieces_.erase(pieces_.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
}

bool SequenceCoverage::covers_up_to(uint32_t ack) const {
  const int64_t at = offset(isn_, ack);
  return at >= 0 && at <= contiguous_;
}

}  // namespace tcpfuzz::oracle
