// unsubscribe_link.h -- the signed one-click unsubscribe link of a message
// (docs/consent.md):
//
//   <consent.unsubscribe.url>?m=<message id>&t=<token>
//   token = base64url, unpadded, of HMAC-SHA256(secret, "<id>\n<channel>\n<address>")
//
// The token binds the link to the address the message went to: a link
// cannot be altered to name another message, and a store recreated since
// (ids given again) cannot turn an old link against someone else, whose
// address differs. The id keeps links short and free of personal data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/consent_config.h"

namespace halo::consent {

struct LinkParams {
  uint64_t message_id = 0;
  std::string token;
};

std::string unsubscribe_token(std::string_view secret, uint64_t message_id,
                              std::string_view channel, std::string_view address);

// The link for message `message_id`, sent on `channel` to `address`; ""
// when `config.url` is empty.
std::string unsubscribe_link(const UnsubscribeConfig &config, uint64_t message_id,
                             std::string_view channel, std::string_view address);

// `m` and `t` of a link's query string ("m=12&t=..."); nullopt when either
// is missing, repeated or malformed (m: 1 to 20 digits; t: base64url).
std::optional<LinkParams> parse_link_query(std::string_view query);

// True when `token` signs (message_id, channel, address); constant time.
bool token_valid(std::string_view secret, const LinkParams &link, std::string_view channel,
                 std::string_view address);

}  // namespace halo::consent
