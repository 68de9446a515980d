// Delta debugging (Zeller and Hildebrandt's ddmin) in its complement-only
// form: remove chunks of the list, halving the chunk size whenever no chunk
// can go, until no single item can go. Removing chunks is what shrinks a
// scenario; keeping only one chunk almost never fails (the handshake sits in
// one chunk, the bug in another), so those tests are not spent.
#pragma once

#include <cstddef>
#include <vector>

namespace tcpfuzz::minimize {

// The smallest list ddmin reaches from `items` for which fails(list) holds;
// `items` itself is assumed to fail. `fails` may return false for every
// candidate once a budget runs out, which ends the search.
template <class T, class Fails>
std::vector<T> ddmin(std::vector<T> items, Fails&& fails) {
  size_t chunk = items.size() / 2;
  if (chunk == 0) chunk = 1;
  while (!items.empty()) {
    bool removed = false;
    for (size_t start = 0; start < items.size();) {
      std::vector<T> candidate(items.begin(), items.begin() + static_cast<ptrdiff_t>(start));
      const size_t end = start + chunk < items.size() ? start + chunk : items.size();
      candidate.insert(candidate.end(), items.begin() + static_cast<ptrdiff_t>(end), items.end());
      if (fails(candidate)) {
        items = std::move(candidate);
        removed = true;
      } else {
        start += chunk;
      }
    }
    if (chunk == 1) {
      if (!removed) break;
    } else if (!removed || chunk > items.size() / 2) {
      chunk = chunk / 2 > 0 ? chunk / 2 : 1;
    }
  }
  return items;
}

}  // namespace tcpfuzz::minimize
