// hubspot_api.h -- the HubSpot CRM v3 contacts wire: option values, request
// building (list and search) and response checking.
//
// Invariants:
//  - Requests carry `Authorization: Bearer <access_token>`; the token never
//    appears in a URL, a log line or an error message.
//  - check_response() returns only for 2xx. It throws halo::Error with
//    HALO_FATAL for 401/403 (naming `access_token`), for a DAILY 429 and for
//    other 4xx; with HALO_RETRY for a SECONDLY/TEN_SECONDLY 429 and 5xx the
//    host already retried. Messages name the host and path, never a secret.
//  - The search body sorts by lastmodifieddate ascending and filters
//    `lastmodifieddate GTE <watermark ms>`, so a restarted search resumes
//    where the last one stopped.
#pragma once

#include <halo/sdk.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins::hubspot {

// At most this many search results are reachable per query (HubSpot caps
// `after` at 10,000; paging past it is a 400).
constexpr uint32_t kSearchResultCap = 10000;

// Defaults and bounds live in the option table (hubspot_plugin.cpp) only.
struct HubspotOptions {
  std::string base_url;
  std::string access_token;
  std::vector<std::string> properties;
  uint32_t page_size = 0;
  std::string ca_file;
  bool insecure = false;
};

// Reads and validates the options (halo::ConfigError names the option).
HubspotOptions read_options(const halo::Host &host);

class HubspotApi {
 public:
  explicit HubspotApi(HubspotOptions options) : options_(std::move(options)) {}

  const HubspotOptions &options() const { return options_; }
  static constexpr const char *kListPath = "/crm/v3/objects/contacts";
  static constexpr const char *kSearchPath = "/crm/v3/objects/contacts/search";

  halo::HttpRequest list_request(std::string_view after) const;
  halo::HttpRequest search_request(int64_t watermark_ms, std::string_view after) const;
  std::string search_body(int64_t watermark_ms, std::string_view after) const;

  // Throws unless the response is a 2xx (see the header comment).
  void check_response(const halo::HttpResponse &response, const char *method,
                      const char *path) const;

  // True when the response's rate-limit headers say the current window has
  // no calls left (X-HubSpot-RateLimit-Remaining or -Secondly-Remaining 0).
  static bool window_exhausted(const halo::HttpResponse &response);

 private:
  halo::HttpRequest base_request(const char *method, std::string url) const;
  std::string where(const char *path) const;

  HubspotOptions options_;
};

}  // namespace halo::plugins::hubspot
