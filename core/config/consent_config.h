// consent_config.h -- the pipeline's optional `consent:` section
// (docs/consent.md): the signed one-click unsubscribe link that every
// message carries and `halo serve` answers, and the channels' frequency
// caps.
//
//   consent:
//     unsubscribe:
//       url: https://shop.example/halo/unsubscribe  # what recipients open
//       path: /unsubscribe     # route on halo serve's listener (default: url's path)
//       secret: ${HALO_UNSUBSCRIBE_SECRET}          # 16+ characters
//     frequency_caps:           # per profile and channel, across triggers
//       email: { messages: 3, within: 7d }
//       sms: { messages: 1, within: 1d }
//
// Invariant: when `url` is set it is an http(s) URL of at most 300
// characters without spaces, quotes or angle brackets, `path` starts with
// '/', and `secret` has at least kMinUnsubscribeSecret bytes.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "config/diagnostics.h"
#include "config/map_reader.h"
#include "config/message_cap.h"

namespace halo {

inline constexpr size_t kMinUnsubscribeSecret = 16;

struct UnsubscribeConfig {
  std::string url;     // empty: messages carry no unsubscribe link
  std::string path;    // the route's path, e.g. "/unsubscribe"
  std::string secret;  // the HMAC key of the links
};

struct ConsentConfig {
  UnsubscribeConfig unsubscribe;
  std::map<std::string, MessageCap> frequency_caps;  // channel -> cap
};

void read_consent(const MapReader &top, Diagnostics &diags, ConsentConfig &out);

}  // namespace halo
