// Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4).
//
// Value is a position in sequence space, Size a distance. Comparisons are
// wrap-aware: a < b when the signed 32-bit difference b - a is positive, so
// every comparison is meaningful only for values less than 2^31 apart. There
// is deliberately no implicit conversion from or to plain integers.
#pragma once

#include <compare>
#include <cstdint>

namespace netstack::seqnum {

class Size {
 public:
  constexpr Size() = default;
  constexpr explicit Size(uint32_t bytes) : bytes_(bytes) {}
  constexpr uint32_t bytes() const { return bytes_; }
  constexpr auto operator<=>(const Size&) const = default;
  constexpr Size operator+(Size o) const { return Size(bytes_ + o.bytes_); }
  constexpr Size operator-(Size o) const { return Size(bytes_ - o.bytes_); }

 private:
  uint32_t bytes_ = 0;
};

class Value {
 public:
  constexpr Value() = default;
  constexpr explicit Value(uint32_t raw) : raw_(raw) {}
  constexpr uint32_t raw() const { return raw_; }

  constexpr bool operator==(const Value&) const = default;

  // v < w in sequence space.
  constexpr bool less_than(Value w) const { return static_cast<int32_t>(raw_ - w.raw_) < 0; }
  constexpr bool less_equal(Value w) const { return raw_ == w.raw_ || less_than(w); }
  constexpr bool greater_than(Value w) const { return w.less_than(*this); }
  constexpr bool greater_equal(Value w) const { return w.less_equal(*this); }

  // first <= v < first + size. An empty window contains nothing.
  constexpr bool in_window(Value first, Size size) const {
    return size.bytes() != 0 && raw_ - first.raw_ < size.bytes();
  }
  // a <= v < b.
  constexpr bool in_range(Value a, Value b) const { return raw_ - a.raw_ < b.raw_ - a.raw_; }

  constexpr Value add(Size s) const { return Value(raw_ + s.bytes()); }
  constexpr Value sub(Size s) const { return Value(raw_ - s.bytes()); }
  // The distance from this value forward to w (w - v modulo 2^32).
  constexpr Size size_to(Value w) const { return Size(w.raw_ - raw_); }

  // Moves v forward to w if w is later; returns whether it moved.
  constexpr bool update_forward(Value w) {
    if (!less_than(w)) return false;
    raw_ = w.raw_;
    return true;
  }

 private:
  uint32_t raw_ = 0;
};

// Whether segment [seg, seg+len) overlaps the receive window [rcv, rcv+wnd),
// RFC 9293 section 3.10.7.4's four-case acceptability test.
constexpr bool overlaps_window(Value seg, Size len, Value rcv, Size wnd) {
  if (len.bytes() == 0) {
    if (wnd.bytes() == 0) return seg == rcv;
    return seg.in_window(rcv, wnd);
  }
  if (wnd.bytes() == 0) return false;
  Value last = seg.add(len).sub(Size(1));
  return seg.in_window(rcv, wnd) || last.in_window(rcv, wnd);
}

}  // namespace netstack::seqnum
