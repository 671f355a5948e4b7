// woo_options.h -- the woocommerce source's configuration, read once from
// the host option accessors and validated (every problem is a
// halo::ConfigError naming the option and the fix). Defaults, ranges and
// allowed values (mode, auth, per_page, ...) are declared once in the option
// table (woocommerce_plugin.cpp) and checked by the kernel before this runs.
//
// Invariants: after read_options() succeeds, `url` has no trailing slash,
// auth is resolved (never "auto"), basic auth implies https, per_page is in
// 1..100, and webhook mode has a webhook secret, a path starting with '/' and a
// listen address that is empty or HOST:PORT.
#pragma once

#include "woo_mapping.h"

#include <halo/sdk.hpp>

#include <cstdint>
#include <string>

namespace halo::woo {

enum class AuthMode { kBasic, kOAuth1 };
enum class SourceMode { kPull, kWebhook };

struct WooOptions {
  std::string url;
  std::string consumer_key;
  std::string consumer_secret;
  AuthMode auth = AuthMode::kBasic;
  bool pull_customers = true;
  bool pull_orders = true;
  int per_page = 0;            // defaults and bounds: the option table (woocommerce_plugin.cpp)
  std::string modified_after;  // GMT "YYYY-MM-DDTHH:MM:SS" or ""
  int64_t overlap_seconds = 0;
  std::string ca_file;
  bool insecure = false;
  StatusEvents status_events = StatusEvents::defaults();
  SourceMode mode = SourceMode::kPull;
  std::string listen;  // "HOST:PORT" or "" (the pipeline's http.listen / kernel default)
  std::string path;
  std::string webhook_secret;
  int64_t max_idle_ms = 0;  // webhook mode: 0 = run until stopped
  int64_t queue_capacity = 0;
};

WooOptions read_options(const halo::Host &host);

}  // namespace halo::woo
