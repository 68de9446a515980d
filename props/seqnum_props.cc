// Laws of sequence-number arithmetic, with values drawn to cluster around the
// 2^32 wrap.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>

#include "stack/seqnum/seqnum.h"

namespace netstack::seqnum {
namespace {

constexpr uint32_t kHalf = 1u << 31;

rc::Gen<Value> value_near_wrap() {
  return rc::gen::map(rc::gen::oneOf(rc::gen::arbitrary<uint32_t>(),
                                     rc::gen::inRange<uint32_t>(0xffffff00u, 0xffffffffu),
                                     rc::gen::inRange<uint32_t>(0, 0x100)),
                      [](uint32_t raw) { return Value(raw); });
}

rc::Gen<Size> any_size() {
  return rc::gen::map(rc::gen::arbitrary<uint32_t>(), [](uint32_t n) { return Size(n); });
}

RC_GTEST_PROP(SeqnumProps, LessThanAntisymmetricBelowHalfTheSpace, ()) {
  const Value a = *value_near_wrap();
  const Value b = a.add(Size(*rc::gen::inRange<uint32_t>(1, kHalf)));
  RC_ASSERT(a.less_than(b));
  RC_ASSERT(!b.less_than(a));
  RC_ASSERT(b.greater_than(a));
  RC_ASSERT(!a.less_than(a));
}

RC_GTEST_PROP(SeqnumProps, LessThanMeansAShortForwardDistance, ()) {
  const Value a = *value_near_wrap();
  const Value b = *value_near_wrap();
  const uint32_t forward = a.size_to(b).bytes();
  RC_ASSERT(a.less_than(b) == (forward != 0 && forward <= kHalf));
  RC_ASSERT(a.less_equal(b) == (a.less_than(b) || a == b));
}

RC_GTEST_PROP(SeqnumProps, AddAndSizeToAreInverse, ()) {
  const Value a = *value_near_wrap();
  const Value b = *value_near_wrap();
  const Size s = *any_size();
  RC_ASSERT(a.add(a.size_to(b)) == b);
  RC_ASSERT(a.size_to(a.add(s)) == s);
  RC_ASSERT(a.add(s).sub(s) == a);
}

RC_GTEST_PROP(SeqnumProps, InWindowAgreesWithInRange, ()) {
  const Value v = *value_near_wrap();
  const Value first = *value_near_wrap();
  const Size size = *rc::gen::oneOf(any_size(), rc::gen::map(rc::gen::inRange<uint32_t>(0, 0x200),
                                                             [](uint32_t n) { return Size(n); }));
  RC_ASSERT(v.in_window(first, size) == v.in_range(first, first.add(size)));
  RC_ASSERT(v.in_window(first, size) == (first.size_to(v) < size));
}

RC_GTEST_PROP(SeqnumProps, UpdateForwardNeverMovesBack, ()) {
  Value v = *value_near_wrap();
  const Value before = v;
  const Value w = before.add(Size(*rc::gen::inRange<uint32_t>(0, kHalf)));
  const Value back = before.sub(Size(*rc::gen::inRange<uint32_t>(0, kHalf)));
  RC_ASSERT(!v.update_forward(back));
  RC_ASSERT(v == before);
  RC_ASSERT(v.update_forward(w) == (w != before));
  RC_ASSERT(v == w);
}

}  // namespace
}  // namespace netstack::seqnum
