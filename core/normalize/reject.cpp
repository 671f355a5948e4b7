// reject.cpp -- Rejection helpers.
#include "normalize/reject.h"

namespace halo {

void reject(Rejection *why, std::string_view reason, std::string message) {
  if (why == nullptr) return;
  why->reason.assign(reason);
  why->message = std::move(message);
}

std::string_view json_type_name(simdjson::ondemand::json_type t) {
  using T = simdjson::ondemand::json_type;
  switch (t) {
    case T::object:
      return "object";
    case T::array:
      return "array";
    case T::number:
      return "number";
    case T::string:
      return "string";
    case T::boolean:
      return "boolean";
    case T::null:
      return "null";
  }
  return "unknown";
}

}  // namespace halo
