// square_api.h -- the Square wire: option values, search request bodies
// (orders and customers) and response checking.
//
// Invariants:
//  - Every request carries `Authorization: Bearer <access_token>` and
//    `Square-Version`; the token never appears in a URL, log or error.
//  - The orders query filters on updated_at and sorts on UPDATED_AT (Square
//    rejects a date filter on one field sorted by another), states
//    COMPLETED, return_entries false. Queries are pure functions of the
//    options and the window, so a stored query is reproducible.
//  - with_cursor() appends only the `cursor` field to a stored query, so
//    every follow-up page repeats the query byte for byte.
//  - check_response() returns only for 2xx; 401/403 throw HALO_FATAL naming
//    `access_token`; 429 and 5xx (already retried by the host) throw
//    HALO_RETRY; other 4xx throw HALO_FATAL with Square's code and detail.
#pragma once

#include "square_page.h"

#include <halo/sdk.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins::square {

constexpr const char *kDefaultSquareVersion = "2025-01-23";

// Defaults and bounds live in the option table (square_plugin.cpp) only.
struct SquareOptions {
  std::string base_url;
  std::string access_token;
  std::string square_version;
  std::vector<std::string> location_ids;
  uint32_t limit = 0;
  int64_t late_arrival_hours = 0;
  std::string ca_file;
  bool insecure = false;
  int currency_minor_units = 0;
};

SquareOptions read_options(const halo::Host &host);

class SquareApi {
 public:
  explicit SquareApi(SquareOptions options) : options_(std::move(options)) {}
  const SquareOptions &options() const { return options_; }

  static const char *path(SquareObject kind);
  // The request body without a cursor for a search over [start_ms, end_ms]
  // (start_ms 0 = unbounded).
  std::string query(SquareObject kind, int64_t start_ms, int64_t end_ms) const;
  static std::string with_cursor(const std::string &query, std::string_view token);
  halo::HttpRequest search_request(SquareObject kind, std::string body) const;
  void check_response(const halo::HttpResponse &response, SquareObject kind) const;

 private:
  std::string orders_query(int64_t start_ms, int64_t end_ms) const;
  std::string customers_query(int64_t start_ms, int64_t end_ms) const;

  SquareOptions options_;
};

}  // namespace halo::plugins::square
