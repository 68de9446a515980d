#include "stack/tcp/allocation_faults.h"

namespace netstack::tcp {

std::string_view to_string(AllocationSite site) {
  switch (site) {
    case AllocationSite::kRequestSock:
      return "request-sock";
    case AllocationSite::kReceiveQueue:
      return "receive-queue";
    case AllocationSite::kOutOfOrder:
      return "out-of-order";
    case AllocationSite::kSendBuffer:
      return "send-buffer";
    case AllocationSite::kOutputSegment:
      return "output-segment";
  }
  return "?";
}

}  // namespace netstack::tcp
