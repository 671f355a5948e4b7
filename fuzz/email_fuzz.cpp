// email_fuzz.cpp -- libFuzzer target for the email identifier normalizer.
// Invariants checked: any byte string is refused or becomes a value with
// exactly one '@', non-empty local and domain parts, no ASCII whitespace or
// upper-case letters, that normalizes to itself (identifiers.h).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "normalize/identifiers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char *>(data), size);
  std::string out;
  if (!halo::normalize_email_to(raw, out)) {
    if (!out.empty()) std::abort();  // *_to appends only on success
    return 0;
  }
  const size_t at = out.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == out.size()) std::abort();
  if (out.find('@', at + 1) != std::string::npos) std::abort();
  for (char c : out) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c >= 'A' && c <= 'Z')) std::abort();
  }
  std::string again;
  if (!halo::normalize_email_to(out, again) || again != out) std::abort();
  return 0;
}
