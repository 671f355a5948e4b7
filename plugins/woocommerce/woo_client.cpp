// woo_client.cpp -- wc/v3 GET requests through the host (see woo_client.h).
#include "woo_client.h"

#include "common/json_text.h"
#include "common/wire_text.h"

#include <simdjson.h>

#include <charconv>

namespace halo::woo {
namespace {

int64_t header_int(const halo::HttpResponse &r, const char *name) {
  auto v = r.header(name);
  if (!v) return -1;
  std::string_view s = halo::plugins::trim_ascii(*v);
  int64_t out = -1;
  auto res = std::from_chars(s.data(), s.data() + s.size(), out);
  return res.ec == std::errc() ? out : -1;
}

// "code: message" from a WP REST error body, or a clipped raw body.
std::string describe_error(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view code, message;
  if (!parser.parse(body.data(), body.size()).get(root) && !root["code"].get(code) &&
      !root["message"].get(message)) {
    return std::string(code) + ": " + std::string(message);
  }
  return std::string(halo::plugins::clip_utf8(body, 200));
}

}  // namespace

std::string blamed_credential(std::string_view body) {
  if (body.find("Consumer key is invalid") != std::string_view::npos) return "consumer_key";
  if (body.find("timestamp") != std::string_view::npos) {
    return "the OAuth timestamp (this machine's clock is more than 15 minutes off the store's)";
  }
  return "consumer_secret";
}

WooClient::WooClient(const halo::Host &host, const WooOptions &options)
    : host_(host), options_(options) {}

std::string WooClient::authorization(std::string_view base_uri, const Params &query) const {
  if (options_.auth == AuthMode::kBasic) {
    return "Basic " +
           plugins::base64_encode(options_.consumer_key + ":" + options_.consumer_secret);
  }
  OAuth1Request r;
  r.method = "GET";
  r.base_uri = base_uri;
  r.query = &query;
  r.consumer_key = options_.consumer_key;
  r.consumer_secret = options_.consumer_secret;
  r.timestamp = host_.now_ms() / 1000;
  r.nonce = plugins::random_nonce();  // fresh per request: the store rejects reuse
  return oauth1_authorization(r);
}

CollectionPage WooClient::get_collection(std::string_view resource, const Params &query) const {
  std::string path = "/wp-json/wc/v3/" + std::string(resource);
  std::string base_uri = options_.url + path;
  halo::HttpRequest req;
  req.url = base_uri;
  for (size_t i = 0; i < query.size(); ++i) {
    req.url += i == 0 ? '?' : '&';
    req.url += percent_encode(query[i].first) + "=" + percent_encode(query[i].second);
  }
  req.headers.emplace_back("Authorization", authorization(base_uri, query));
  req.headers.emplace_back("Accept", "application/json");
  req.ca_file = options_.ca_file;
  req.insecure = options_.insecure;
  std::string where = std::string(halo::plugins::url_host(options_.url)) + path;
  halo::HttpResponse response = host_.http(req);
  check_status(response, where);
  CollectionPage page;
  page.body = response.body();
  page.total = header_int(response, "X-WP-Total");
  page.total_pages = header_int(response, "X-WP-TotalPages");
  page.path = path;
  return page;
}

void WooClient::check_status(const halo::HttpResponse &response, const std::string &where) const {
  int status = response.status();
  if (status >= 200 && status < 300) return;
  std::string detail = "HTTP " + std::to_string(status) + " " + describe_error(response.body());
  if (status == 401 || status == 403) {
    throw halo::Error(blamed_credential(response.body()) + " rejected by " + where + " (" + detail +
                          "); fix the key pair in the source's config",
                      HALO_FATAL);
  }
  if (status == 429 || status >= 500) {
    throw halo::Error("giving up on " + where + " after " + std::to_string(response.attempts()) +
                          " attempts (" + detail + ")",
                      HALO_RETRY);
  }
  if (status == 404) {
    throw halo::Error(where + " not found (" + detail +
                          "); check `url` is the store's home URL "
                          "and WordPress uses pretty permalinks",
                      HALO_FATAL);
  }
  throw halo::Error(where + " refused the request (" + detail + ")", HALO_FATAL);
}

}  // namespace halo::woo
