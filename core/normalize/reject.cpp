// reject.cpp -- Rejection helpers and a scalar UTF-8 checker that locates
// the first bad byte (only run after simdjson has already said "invalid").
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

size_t first_invalid_utf8(std::string_view s) {
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  size_t n = s.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (p[i + k] & 0x3F);
    bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace halo
