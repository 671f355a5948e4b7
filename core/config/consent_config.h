// consent_config.h -- the pipeline's optional `consent:` section
// (docs/consent.md): the signed one-click unsubscribe link that every
// message carries and `halo serve` answers.
//
//   consent:
//     unsubscribe:
//       url: https://shop.example/halo/unsubscribe  # what recipients open
//       path: /unsubscribe     # route on halo serve's listener (default: url's path)
//       secret: ${HALO_UNSUBSCRIBE_SECRET}          # 16+ characters
//
// Invariant: when `url` is set it is an http(s) URL of at most 300
// characters without spaces, quotes or angle brackets, `path` starts with
// '/', and `secret` has at least kMinUnsubscribeSecret bytes.
#pragma once

#include <cstddef>
#include <string>

#include "config/diagnostics.h"
#include "config/map_reader.h"

namespace halo {

inline constexpr size_t kMinUnsubscribeSecret = 16;

struct UnsubscribeConfig {
  std::string url;     // empty: messages carry no unsubscribe link
  std::string path;    // the route's path, e.g. "/unsubscribe"
  std::string secret;  // the HMAC key of the links
};

struct ConsentConfig {
  UnsubscribeConfig unsubscribe;
};

void read_consent(const MapReader &top, Diagnostics &diags, ConsentConfig &out);

}  // namespace halo
