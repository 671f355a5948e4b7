// oauth1.cpp -- OAuth 1.0a base string, signature and Authorization header
// (see oauth1.h for the exact algorithm and why it matches WooCommerce).
#include "oauth1.h"

#include <algorithm>

namespace halo::woo {

std::string percent_encode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string oauth1_base_string(std::string_view method, std::string_view base_uri, Params params) {
  params.erase(std::remove_if(params.begin(), params.end(),
                              [](const auto &p) { return p.first == "oauth_signature"; }),
               params.end());
  // WooCommerce sorts on the raw key with strcmp (byte order).
  std::stable_sort(params.begin(), params.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  std::string joined;
  for (const auto &[key, value] : params) {
    if (!joined.empty()) joined += '&';
    joined += percent_encode(key);
    joined += '=';
    joined += percent_encode(value);
  }
  std::string out;
  for (char c : method) out.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
  out += '&';
  out += percent_encode(base_uri);
  out += '&';
  out += percent_encode(joined);
  return out;
}

std::string oauth1_signature(HmacAlgorithm algorithm, std::string_view consumer_secret,
                             std::string_view base_string) {
  std::string key(consumer_secret);
  key += '&';  // empty token secret: one-legged
  return plugins::base64_encode(plugins::hmac(algorithm, key, base_string));
}

std::string oauth1_authorization(const OAuth1Request &request) {
  const char *method_name = request.algorithm == HmacAlgorithm::kSha1 ? "HMAC-SHA1" : "HMAC-SHA256";
  Params oauth = {{"oauth_consumer_key", std::string(request.consumer_key)},
                  {"oauth_nonce", request.nonce},
                  {"oauth_signature_method", method_name},
                  {"oauth_timestamp", std::to_string(request.timestamp)},
                  {"oauth_version", "1.0"}};
  Params all = oauth;
  if (request.query != nullptr) all.insert(all.end(), request.query->begin(), request.query->end());
  std::string base = oauth1_base_string(request.method, request.base_uri, std::move(all));
  oauth.emplace_back("oauth_signature",
                     oauth1_signature(request.algorithm, request.consumer_secret, base));
  std::string header = "OAuth ";
  for (size_t i = 0; i < oauth.size(); ++i) {
    if (i > 0) header += ", ";
    header += oauth[i].first;
    header += "=\"";
    header += percent_encode(oauth[i].second);
    header += '"';
  }
  return header;
}

}  // namespace halo::woo
