// Result<T>: a value or an Error, the return type of everything in lib/ that can fail.
//
//   Result<Catalogue> c = Catalogue::parse(text, "rules.toml");
//   if (!c) return c.error();          // propagate
//   use(*c);
//
// Expected conditions (an unborn HEAD, an empty input) are values, not errors. Exceptions
// never cross lib/'s public interface.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace leakgate {

// An error is one human-readable line that says what failed and where.
struct Error {
  std::string message;
};

template <class... Args>
Error make_error(fmt::format_string<Args...> f, Args&&... args) {
  return Error{fmt::format(f, std::forward<Args>(args)...)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

// Returns the error of a failed Status (or Result<T>) expression from the enclosing function.
#define LEAKGATE_TRY(expr)                          \
  do {                                              \
    if (auto s_ = (expr); !s_) return s_.error(); \
  } while (0)

}  // namespace leakgate
