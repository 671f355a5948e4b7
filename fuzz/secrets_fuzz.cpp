// secrets_fuzz.cpp -- libFuzzer target for the secret registry
// (core/common/secrets.h): header, Basic, OAuth and query parsing and
// masking on arbitrary bytes.
// Input: NAME '\n' HEADER-VALUE '\n' URL '\n' TEXT (missing parts empty).
// Invariants checked: no crash; a value registered with add() (>= 6 bytes,
// no '*') never survives mask() of a text that contains it; mask() is
// idempotent; text without any registered form comes back unchanged; the
// registry stays within its bounds.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/secrets.h"

namespace {

std::string_view next_part(std::string_view &rest) {
  const size_t nl = rest.find('\n');
  std::string_view part = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  std::string_view rest(reinterpret_cast<const char *>(data), size);
  const std::string_view name = next_part(rest);
  const std::string_view header = next_part(rest);
  const std::string_view url = next_part(rest);
  const std::string_view text = rest;

  halo::SecretRegistry registry;
  if (!registry.contains_secret(text) && registry.mask(text) != text) std::abort();
  registry.add_header(name, header);
  registry.add_url_query(url);
  const bool added = registry.add(header);
  if (added != (header.size() >= halo::kMinSecretBytes)) std::abort();
  if (registry.form_count() > halo::kMaxPinnedForms + halo::kMaxEphemeralForms) std::abort();

  const std::string with_value = std::string(text) + std::string(header) + std::string(text);
  const std::string masked = registry.mask(with_value);
  if (added && header.find('*') == std::string_view::npos &&
      masked.find(header) != std::string::npos) {
    std::abort();
  }
  // Idempotent when no registered value holds '*' (only then can the mask
  // itself help spell a form).
  const std::string_view all(reinterpret_cast<const char *>(data), size);
  if (all.find('*') == std::string_view::npos && registry.mask(masked) != masked) std::abort();
  if (!registry.contains_secret(text) && registry.mask(text) != text) std::abort();
  (void)halo::mask_values(text, {header, url});
  return 0;
}
