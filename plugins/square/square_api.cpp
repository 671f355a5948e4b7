// square_api.cpp -- Square requests and response checks (see square_api.h).
#include "square_api.h"

#include "common/time_text.h"
#include "common/wire_text.h"

#include "common/json_text.h"

#include <simdjson.h>

#include <algorithm>

namespace halo::plugins::square {

namespace {

// "CODE: detail" of Square's first error ({"errors":[{"code","detail"}]}).
std::string first_error(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size(), true).get(doc)) return "";
  std::string_view code, detail;
  auto err = doc["errors"].at(0);
  if (err["code"].get_string().get(code)) return "";
  std::string out(code);
  if (!err["detail"].get_string().get(detail)) out += ": " + std::string(clip_utf8(detail, 300));
  return out;
}

// ,"updated_at":{"start_at":"...","end_at":"..."} body of a time window.
std::string window(int64_t start_ms, int64_t end_ms) {
  std::string out = "{";
  if (start_ms > 0) out += "\"start_at\":\"" + format_iso8601(start_ms) + "\",";
  out += "\"end_at\":\"" + format_iso8601(end_ms) + "\"}";
  return out;
}

std::vector<std::string> read_locations(const halo::Host &host) {
  int n = host.opt_size("location_ids");
  if (n < 1 || n > 10) {
    throw halo::ConfigError("location_ids",
                            "is required: 1 to 10 Square location ids, e.g. [L1, L2]");
  }
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    auto id = host.opt_string("location_ids[" + std::to_string(i) + "]");
    if (!id || id->empty()) throw halo::ConfigError("location_ids", "entries must be location ids");
    out.emplace_back(*id);
  }
  return out;
}

}  // namespace

SquareOptions read_options(const halo::Host &host) {
  SquareOptions o;
  o.base_url = host.string_option("base_url");
  while (!o.base_url.empty() && o.base_url.back() == '/') o.base_url.pop_back();
  if (o.base_url.rfind("https://", 0) != 0 && o.base_url.rfind("http://", 0) != 0) {
    throw halo::ConfigError("base_url",
                            "must start with https:// (e.g. https://connect.squareup.com)");
  }
  o.access_token = host.opt_string_or("access_token", "");
  if (o.access_token.empty()) {
    throw halo::ConfigError("access_token",
                            "is required: a Square access token, given as \"${ENV_VAR}\"");
  }
  o.square_version = host.string_option("square_version");
  o.location_ids = read_locations(host);
  // Bounds are declared in the option table and checked by the kernel.
  o.limit = static_cast<uint32_t>(host.int_option("limit"));
  o.late_arrival_hours = host.int_option("late_arrival_hours");
  o.currency_minor_units = static_cast<int>(host.int_option("currency_minor_units"));
  o.ca_file = host.opt_string_or("ca_file", "");
  if (!o.ca_file.empty() && o.ca_file[0] != '/') o.ca_file = host.base_dir() + "/" + o.ca_file;
  o.insecure = host.bool_option("insecure");
  if (o.insecure) host.warn("square: insecure: true -- TLS certificates are NOT verified");
  return o;
}

const char *SquareApi::path(SquareObject kind) {
  return kind == SquareObject::kOrder ? "/v2/orders/search" : "/v2/customers/search";
}

std::string SquareApi::orders_query(int64_t start_ms, int64_t end_ms) const {
  std::string body = "{\"location_ids\":[";
  for (size_t i = 0; i < options_.location_ids.size(); ++i) {
    if (i) body.push_back(',');
    append_json_string(body, options_.location_ids[i]);
  }
  body += "],\"limit\":" + std::to_string(options_.limit) +
          ",\"return_entries\":false,\"query\":{\"filter\":{\"date_time_filter\":{\"updated_at\":" +
          window(start_ms, end_ms) +
          "},\"state_filter\":{\"states\":[\"COMPLETED\"]}},"
          "\"sort\":{\"sort_field\":\"UPDATED_AT\",\"sort_order\":\"ASC\"}}}";
  return body;
}

std::string SquareApi::customers_query(int64_t start_ms, int64_t end_ms) const {
  // Customer search pages hold at most 100 (more is a 400 VALUE_TOO_HIGH).
  uint32_t limit = std::min<uint32_t>(options_.limit, 100);
  return "{\"limit\":" + std::to_string(limit) +
         ",\"query\":{\"filter\":{\"updated_at\":" + window(start_ms, end_ms) +
         "},\"sort\":{\"field\":\"CREATED_AT\",\"order\":\"ASC\"}}}";
}

std::string SquareApi::query(SquareObject kind, int64_t start_ms, int64_t end_ms) const {
  return kind == SquareObject::kOrder ? orders_query(start_ms, end_ms)
                                      : customers_query(start_ms, end_ms);
}

std::string SquareApi::with_cursor(const std::string &query, std::string_view token) {
  if (token.empty()) return query;
  std::string body = query.substr(0, query.size() - 1);  // drop the closing '}'
  body += ",\"cursor\":";
  append_json_string(body, token);
  body.push_back('}');
  return body;
}

halo::HttpRequest SquareApi::search_request(SquareObject kind, std::string body) const {
  halo::HttpRequest r;
  r.method = "POST";
  r.url = options_.base_url + path(kind);
  r.headers.emplace_back("Authorization", "Bearer " + options_.access_token);
  r.headers.emplace_back("Square-Version", options_.square_version);
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("Accept", "application/json");
  r.body = std::move(body);
  r.insecure = options_.insecure;
  r.ca_file = options_.ca_file;
  r.keep_alive = true;  // a search only reads: safe to arrive twice
  return r;
}

void SquareApi::check_response(const halo::HttpResponse &response, SquareObject kind) const {
  int status = response.status();
  if (status >= 200 && status < 300) return;
  std::string error = first_error(response.body());
  std::string detail = "HTTP " + std::to_string(status) + (error.empty() ? "" : " " + error);
  std::string at = "POST " + std::string(url_host(options_.base_url)) + path(kind);
  if (status == 401 || status == 403) {
    throw halo::Error("square: access_token rejected by " + at + " (" + detail +
                          "); set a valid token with ORDERS_READ and CUSTOMERS_READ",
                      HALO_FATAL);
  }
  if (status == 429 || status >= 500) {
    throw halo::Error("square: " + at + " kept failing (last: " + detail + ") after " +
                          std::to_string(response.attempts()) + " attempts",
                      HALO_RETRY);
  }
  throw halo::Error("square: " + at + " refused the request (" + detail + ")", HALO_FATAL);
}

}  // namespace halo::plugins::square
