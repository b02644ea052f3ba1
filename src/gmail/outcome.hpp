#pragma once
// outcome<T>: a typed Gmail answer or a classified api_error. Shaped like gc::result<T>:
//   client.get_profile(mb, [](gmail::outcome<gmail::profile> p) {
//     if (!p) return handle(p.error().kind);          // retryable, auth, ...
//     use(p->history_id);
//   });
#include "gmail/errors.hpp"

#include <stdexcept>
#include <utility>
#include <variant>

namespace gc::gmail {

template <class T>
class outcome {
public:
  outcome(T value) : v_{std::in_place_index<0>, std::move(value)} {}
  outcome(api_error err) : v_{std::in_place_index<1>, std::move(err)} {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { check(); return std::get<0>(v_); }
  const T& value() const& { check(); return std::get<0>(v_); }
  T&& value() && { check(); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const api_error& error() const& {
    if (ok()) throw std::logic_error("outcome holds a value, not an error");
    return std::get<1>(v_);
  }
  api_error&& error() && {
    if (ok()) throw std::logic_error("outcome holds a value, not an error");
    return std::get<1>(std::move(v_));
  }
  error_kind kind() const { return error().kind; }

private:
  void check() const {
    if (!ok()) throw std::logic_error("outcome has no value: " + std::get<1>(v_).message);
  }
  std::variant<T, api_error> v_;
};

} // namespace gc::gmail
