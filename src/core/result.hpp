#pragma once
// result<T>: a value or an error, returned at module edges (style.md §4a "Result at the boundary").
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace gc {

// An error as a value: a short machine code ("bad_config", "sqlite", "not_found", ...) and a
// message for humans. Messages never contain secrets.
struct error {
  std::string code;
  std::string message;
};

template <class T>
class result {
public:
  result(T value) : v_{std::move(value)} {}
  result(gc::error err) : v_{std::move(err)} {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { check(); return std::get<0>(v_); }
  const T& value() const& { check(); return std::get<0>(v_); }
  T&& value() && { check(); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const gc::error& error() const { return std::get<1>(v_); }

private:
  void check() const {
    if (!ok()) throw std::logic_error("result has no value: " + std::get<1>(v_).message);
  }
  std::variant<T, gc::error> v_;
};

// result<void> spelled as result<ok_t>.
struct ok_t {};
inline constexpr ok_t ok_v{};
using status = result<ok_t>;

} // namespace gc
