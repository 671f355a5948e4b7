// oauth1.h -- one-legged OAuth 1.0a request signing exactly as WooCommerce
// verifies it (WooCommerce REST API docs, "Authentication over HTTP":
// https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-http;
// RFC 5849 for OAuth 1.0): parameters sorted by raw key, RFC 3986
// percent-encoding (only ALPHA DIGIT - . _ ~ unescaped), base string
// METHOD&enc(base_uri)&enc(k=v&...), key = consumer_secret + "&",
// signature = base64(HMAC). The signed parameters travel in an
// `Authorization: OAuth ...` header so the URL (which the host may log)
// never carries the signature.
//
// Invariants: pure functions; the base string never includes
// oauth_signature; keys are unique (WooCommerce's PHP arrays cannot hold
// duplicates, so neither may callers).
#pragma once

#include "common/crypto.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halo::woo {

using plugins::HmacAlgorithm;  // the signature methods WooCommerce accepts

using Params = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 §2.3 percent-encoding with upper-case hex.
std::string percent_encode(std::string_view s);

// The signature base string ("Create the signature base string" in the docs
// above; RFC 5849 §3.4.1). `base_uri` is scheme, host
// (with a non-default port) and path, without a query string.
std::string oauth1_base_string(std::string_view method, std::string_view base_uri, Params params);

// base64(HMAC(consumer_secret + "&", base_string)).
std::string oauth1_signature(HmacAlgorithm algorithm, std::string_view consumer_secret,
                             std::string_view base_string);

struct OAuth1Request {
  std::string_view method;
  std::string_view base_uri;
  const Params *query = nullptr;  // the request's query parameters (signed too)
  std::string_view consumer_key;
  std::string_view consumer_secret;
  int64_t timestamp = 0;  // unix seconds
  std::string nonce;
  HmacAlgorithm algorithm = HmacAlgorithm::kSha256;
};

// The value of the Authorization header for one request.
std::string oauth1_authorization(const OAuth1Request &request);

}  // namespace halo::woo
