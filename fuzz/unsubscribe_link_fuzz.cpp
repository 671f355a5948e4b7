// unsubscribe_link_fuzz.cpp -- the query string of an unsubscribe link
// comes from anyone on the internet (consent/unsubscribe_link.h). For any
// bytes the parser returns nothing or a message id with a base64url token
// of at most 64 characters; a parsed link of a real token verifies, and
// the same link with another address does not.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "consent/unsubscribe_link.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::consent;
  const std::string_view query(reinterpret_cast<const char *>(data), size);
  const std::optional<LinkParams> link = parse_link_query(query);
  if (link) {
    if (link->token.empty() || link->token.size() > 64) std::abort();
    for (char c : link->token) {
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
      if (!ok) std::abort();
    }
  }
  // A link made for the input as an address round-trips.
  const halo::UnsubscribeConfig config{"https://shop.example/u?x=1", "/u", "0123456789abcdef"};
  const std::string made = unsubscribe_link(config, 42, "email", query);
  const auto parsed = parse_link_query(made.substr(made.find('?') + 1));
  if (!parsed || parsed->message_id != 42) std::abort();
  if (!token_valid(config.secret, *parsed, "email", query)) std::abort();
  if (token_valid(config.secret, *parsed, "sms", query)) std::abort();
  return 0;
}
