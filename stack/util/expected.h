// A value or an error, for parsers and socket calls that never throw.
// (std::expected is C++23; this is the subset the stack needs.)
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace netstack {

template <class E>
struct Unexpected {
  E error;
};
template <class E>
Unexpected(E) -> Unexpected<E>;

template <class T, class E>
class Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Expected(Unexpected<E> e) : v_(std::in_place_index<1>, std::move(e.error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const {
    assert(has_value());
    return std::get<0>(v_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T value_or(T fallback) const { return has_value() ? std::get<0>(v_) : fallback; }
  E error() const {
    assert(!has_value());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, E> v_;
};

}  // namespace netstack
