// woo_client.h -- GET requests to the wc/v3 REST API through the host's
// HTTP client: URL building, Basic or OAuth 1.0a signing, and turning the
// final HTTP status into the right halo status.
//
// Invariants: the consumer secret and OAuth signatures travel only in the
// Authorization header, never in a URL or a message; every thrown message
// names the store host and path (no query string); 401/403 are HALO_FATAL
// naming the credential to fix; a final 429/5xx is HALO_RETRY.
#pragma once

#include "oauth1.h"
#include "woo_options.h"

#include <halo/sdk.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace halo::woo {

struct CollectionPage {
  std::string body;          // JSON array of objects
  int64_t total = -1;        // X-WP-Total, -1 when absent
  int64_t total_pages = -1;  // X-WP-TotalPages, -1 when absent
  std::string path;          // URL path, for messages and dead-letter origins
};

// Which credential a WooCommerce 401 body blames ("consumer_key",
// "consumer_secret", or the clock for timestamp errors).
std::string blamed_credential(std::string_view error_body);

class WooClient {
 public:
  WooClient(const halo::Host &host, const WooOptions &options);

  // GET {url}/wp-json/wc/v3/{resource}?{query}.
  CollectionPage get_collection(std::string_view resource, const Params &query) const;

 private:
  std::string authorization(std::string_view base_uri, const Params &query) const;
  void check_status(const halo::HttpResponse &response, const std::string &where) const;

  const halo::Host &host_;
  const WooOptions &options_;
};

}  // namespace halo::woo
