// hubspot_api.cpp -- HubSpot requests and response checks (see hubspot_api.h).
#include "hubspot_api.h"

#include "common/json_text.h"
#include "common/wire_text.h"

#include <simdjson.h>

namespace halo::plugins::hubspot {

namespace {

// A field of HubSpot's error body ({"category", "policyName", ...}), or "".
std::string error_field(std::string_view body, const char *key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view value;
  if (parser.parse(body.data(), body.size(), true).get(doc)) return "";
  if (doc[key].get_string().get(value)) return "";
  return std::string(value);
}

bool is_zero(const std::optional<std::string_view> &v) {
  return v && trim_ascii(*v) == "0";
}

}  // namespace

HubspotOptions read_options(const halo::Host &host) {
  HubspotOptions o;
  o.base_url = host.string_option("base_url");
  while (!o.base_url.empty() && o.base_url.back() == '/') o.base_url.pop_back();
  if (o.base_url.rfind("https://", 0) != 0 && o.base_url.rfind("http://", 0) != 0) {
    throw halo::ConfigError("base_url", "must start with https:// (e.g. https://api.hubapi.com)");
  }
  o.access_token = host.opt_string_or("access_token", "");
  if (o.access_token.empty()) {
    throw halo::ConfigError("access_token",
                            "is required: a HubSpot private app token, given as \"${ENV_VAR}\"");
  }
  o.properties = host.string_list_option("properties");
  // lastmodifieddate drives messageIds and the watermark: always request it.
  bool has_modified = false;
  for (const auto &p : o.properties) has_modified |= p == "lastmodifieddate";
  if (!has_modified) o.properties.push_back("lastmodifieddate");
  o.page_size = static_cast<uint32_t>(host.int_option("page_size"));  // 1..100, declared
  o.ca_file = host.opt_string_or("ca_file", "");
  if (!o.ca_file.empty() && o.ca_file[0] != '/') o.ca_file = host.base_dir() + "/" + o.ca_file;
  o.insecure = host.bool_option("insecure");
  if (o.insecure) host.warn("hubspot: insecure: true -- TLS certificates are NOT verified");
  return o;
}

halo::HttpRequest HubspotApi::base_request(const char *method, std::string url) const {
  halo::HttpRequest r;
  r.method = method;
  r.url = std::move(url);
  r.headers.emplace_back("Authorization", "Bearer " + options_.access_token);
  r.headers.emplace_back("Accept", "application/json");
  r.insecure = options_.insecure;
  r.ca_file = options_.ca_file;
  r.keep_alive = true;  // list and search only read: safe to arrive twice
  return r;
}

halo::HttpRequest HubspotApi::list_request(std::string_view after) const {
  std::string url = options_.base_url + kListPath + "?limit=" + std::to_string(options_.page_size);
  if (!after.empty()) url += "&after=" + url_encode(after);
  url += "&archived=false&properties=";
  for (size_t i = 0; i < options_.properties.size(); ++i) {
    if (i) url += "%2C";
    url += url_encode(options_.properties[i]);
  }
  return base_request("GET", std::move(url));
}

std::string HubspotApi::search_body(int64_t watermark_ms, std::string_view after) const {
  std::string body =
      "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\","
      "\"operator\":\"GTE\",\"value\":\"" +
      std::to_string(watermark_ms) +
      "\"}]}],\"sorts\":[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"ASCENDING\"}],"
      "\"properties\":[";
  for (size_t i = 0; i < options_.properties.size(); ++i) {
    if (i) body.push_back(',');
    append_json_string(body, options_.properties[i]);
  }
  body += "],\"limit\":" + std::to_string(options_.page_size);
  if (!after.empty()) {
    body += ",\"after\":";
    append_json_string(body, after);
  }
  body += "}";
  return body;
}

halo::HttpRequest HubspotApi::search_request(int64_t watermark_ms, std::string_view after) const {
  halo::HttpRequest r = base_request("POST", options_.base_url + kSearchPath);
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = search_body(watermark_ms, after);
  return r;
}

std::string HubspotApi::where(const char *path) const {
  return std::string(url_host(options_.base_url)) + path;
}

void HubspotApi::check_response(const halo::HttpResponse &response, const char *method,
                                const char *path) const {
  int status = response.status();
  if (status >= 200 && status < 300) return;
  std::string body(response.body());
  std::string category = error_field(body, "category");
  std::string detail = "HTTP " + std::to_string(status) + (category.empty() ? "" : " " + category);
  std::string at = std::string(method) + " " + where(path);
  if (status == 401 || status == 403) {
    throw halo::Error("hubspot: access_token rejected by " + at + " (" + detail +
                          "); set a valid private app token with crm.objects.contacts.read",
                      HALO_FATAL);
  }
  if (status == 429) {
    std::string policy = error_field(body, "policyName");
    if (policy == "DAILY") {
      throw halo::Error("hubspot: the account's DAILY API limit is used up (" + at +
                            ", HTTP 429 DAILY); it resets at midnight in the account's time "
                            "zone -- run again after that",
                        HALO_FATAL);
    }
    throw halo::Error("hubspot: rate limited by " + at + " (HTTP 429 " + policy + ") after " +
                          std::to_string(response.attempts()) + " attempts",
                      HALO_RETRY);
  }
  if (status >= 500) {
    throw halo::Error("hubspot: " + at + " kept failing (last: " + detail + ") after " +
                          std::to_string(response.attempts()) + " attempts",
                      HALO_RETRY);
  }
  std::string message = error_field(body, "message");
  throw halo::Error("hubspot: " + at + " refused the request (" + detail +
                        (message.empty() ? "" : ": " + std::string(clip_utf8(message, 300))) + ")",
                    HALO_FATAL);
}

bool HubspotApi::window_exhausted(const halo::HttpResponse &response) {
  return is_zero(response.header("X-HubSpot-RateLimit-Remaining")) ||
         is_zero(response.header("X-HubSpot-RateLimit-Secondly-Remaining"));
}

}  // namespace halo::plugins::hubspot
