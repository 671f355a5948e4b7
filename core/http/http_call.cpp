// http_call.cpp -- HttpResult's case-insensitive header lookup.
#include "http/http_call.h"

#include <algorithm>
#include <cctype>

namespace halo {

const std::string *HttpResult::header(std::string_view name) const {
  for (const auto &[n, v] : headers) {
    if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return &v;
    }
  }
  return nullptr;
}

}  // namespace halo
