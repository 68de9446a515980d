// Reliability over a faulty network: for any data the applications write
// and any fault plan (drop, duplicate, reorder, corrupt, delay, and memory
// pressure on either stack), each side reads exactly the bytes the other
// wrote, in order, once; after the faults stop, delivery and the close
// complete within the bound, and no endpoint, timer or packet is left.
// pair_fuzzer's oracles (fuzz/harness/pair_target.h), with rapidcheck
// generating and shrinking the inputs.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <stdexcept>

#include "props/gen/tcp_gen.h"

namespace tcpfuzz::props {
namespace {

RC_GTEST_PROP(Reliability, EveryByteArrivesOnceInOrderAndTheCloseCompletes, ()) {
  const netstack::FaultPlan plan = *gen::fault_plan();
  const auto ops = *rc::gen::scale(0.5, gen::pair_ops(60));
  harness::PairRun run(plan, nullptr,
                       [](const std::string& report) { throw std::runtime_error(report); });
  try {
    for (const harness::PairOp& op : ops) run.apply(op);
    run.finish();
  } catch (const std::runtime_error& e) {
    RC_FAIL(e.what());
  }
}

}  // namespace
}  // namespace tcpfuzz::props
