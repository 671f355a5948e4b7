// status.h -- Status and Result<T>: how kernel modules report failure at
// their boundaries.
//
// Inside a module, exceptions are fine; at a module boundary (and never
// across the plugin ABI) failure is a value. A Status carries a code and a
// message written for the person who has to fix it: what went wrong, where
// (file:line:col, field, plugin name) and what to do.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace halo {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input from the user: config, CLI, data
  kNotFound,
  kIo,          // file system or database error
  kCorruption,  // stored data does not decode
  kPlugin,      // a plugin returned an error status
  kInternal,
  kBusy,  // another process holds the resource (e.g. a store's writer lock)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status Io(std::string msg) { return Status(StatusCode::kIo, std::move(msg)); }
  static Status Corruption(std::string msg) {
    return Status(StatusCode::kCorruption, std::move(msg));
  }
  static Status Plugin(std::string msg) { return Status(StatusCode::kPlugin, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }
  static Status Busy(std::string msg) { return Status(StatusCode::kBusy, std::move(msg)); }

  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string &message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status &status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T &value() & { return std::get<T>(v_); }
  const T &value() const & { return std::get<T>(v_); }
  T &&value() && { return std::get<T>(std::move(v_)); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace halo
