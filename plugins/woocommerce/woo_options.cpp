// woo_options.cpp -- reads and validates the woocommerce options (see
// woo_options.h; the option table itself is in woocommerce_plugin.cpp).
#include "woo_options.h"

#include "woo_time.h"

#include <filesystem>

namespace halo::woo {
namespace {

std::string required(const halo::Host &host, const char *name, const char *hint) {
  auto v = host.opt_string(name);
  if (!v || v->empty()) throw halo::ConfigError(name, std::string("is required: ") + hint);
  return std::string(*v);
}

void read_resources(const halo::Host &host, WooOptions &o) {
  int n = host.opt_size("resources");
  if (n < 0) return;  // default: customers and orders
  o.pull_customers = o.pull_orders = false;
  for (int i = 0; i < n; ++i) {
    std::string path = "resources[" + std::to_string(i) + "]";
    std::string r = host.opt_string_or(path, "");
    if (r == "customers") {
      o.pull_customers = true;
    } else if (r == "orders") {
      o.pull_orders = true;
    } else if (r == "products") {
      throw halo::ConfigError(path,
                              "products are a catalogue, not profile events; remove it "
                              "(resources: [customers, orders])");
    } else {
      throw halo::ConfigError(path, "unknown resource '" + r + "': use customers and/or orders");
    }
  }
  if (!o.pull_customers && !o.pull_orders) {
    throw halo::ConfigError("resources", "lists nothing: use customers and/or orders");
  }
}

void read_auth(const halo::Host &host, WooOptions &o) {
  bool https = o.url.rfind("https://", 0) == 0;
  if (!https && o.url.rfind("http://", 0) != 0) {
    throw halo::ConfigError("url", "must start with https:// or http:// (the store's home URL)");
  }
  const std::string auth = host.string_option("auth");  // auto, basic or oauth1 (declared)
  if (auth == "auto") {
    o.auth = https ? AuthMode::kBasic : AuthMode::kOAuth1;
  } else if (auth == "basic") {
    if (!https) {
      throw halo::ConfigError("auth",
                              "basic sends the secret in clear text and WooCommerce "
                              "accepts it over https only: use oauth1 or an https url");
    }
    o.auth = AuthMode::kBasic;
  } else {
    o.auth = AuthMode::kOAuth1;
  }
}

void read_status_events(const halo::Host &host, WooOptions &o) {
  int n = host.opt_size("status_events");
  for (int i = 0; i < n; ++i) {
    std::string status = host.opt_key("status_events", i);
    auto event = host.opt_string("status_events." + status);
    if (!event || event->empty()) {
      throw halo::ConfigError("status_events." + status, "must be an event name string");
    }
    o.status_events.set(status, std::string(*event));
  }
}

void read_webhook(const halo::Host &host, WooOptions &o) {
  o.listen = host.opt_string_or("listen", "");
  size_t colon = o.listen.rfind(':');
  int port = colon == std::string::npos ? -1 : std::atoi(o.listen.c_str() + colon + 1);
  if (!o.listen.empty() && (colon == 0 || port < 0 || port > 65535)) {
    throw halo::ConfigError("listen", "must be HOST:PORT, e.g. 127.0.0.1:8088");
  }
  o.path = host.string_option("path");
  if (o.path.empty() || o.path[0] != '/' || o.path.find('?') != std::string::npos) {
    throw halo::ConfigError("path", "must be a URL path such as /woocommerce/webhook");
  }
  o.webhook_secret = required(host, "webhook_secret",
                              "the secret set on the WooCommerce "
                              "webhook, via ${ENV}");
  // Bounds are declared in the option table and checked by the kernel.
  o.max_idle_ms = host.int_option("max_idle_ms");
  o.queue_capacity = host.int_option("queue_capacity");
}

}  // namespace

WooOptions read_options(const halo::Host &host) {
  WooOptions o;
  // pull or webhook: the kernel refused any other value (declared).
  o.mode = host.string_option("mode") == "pull" ? SourceMode::kPull : SourceMode::kWebhook;
  read_status_events(host, o);
  if (o.mode == SourceMode::kWebhook) {
    read_webhook(host, o);
    return o;
  }
  o.url = required(host, "url", "the store's home URL, e.g. https://shop.example");
  while (!o.url.empty() && o.url.back() == '/') o.url.pop_back();
  o.consumer_key = required(host, "consumer_key", "a REST API key (ck_...), via ${ENV}");
  o.consumer_secret = required(host, "consumer_secret", "the key's secret (cs_...), via ${ENV}");
  read_auth(host, o);
  read_resources(host, o);
  o.per_page = static_cast<int>(host.int_option("per_page"));  // 1..100, declared
  std::string after = host.opt_string_or("modified_after", "");
  if (!after.empty()) {
    auto t = parse_gmt(after);
    if (!t) throw halo::ConfigError("modified_after", "must be a UTC date YYYY-MM-DDTHH:MM:SS");
    o.modified_after = format_gmt(*t);
  }
  o.overlap_seconds = host.int_option("overlap_seconds");
  o.ca_file = host.opt_string_or("ca_file", "");
  if (!o.ca_file.empty() && std::filesystem::path(o.ca_file).is_relative()) {
    o.ca_file = (std::filesystem::path(host.base_dir()) / o.ca_file).lexically_normal().string();
  }
  o.insecure = host.bool_option("insecure");
  return o;
}

}  // namespace halo::woo
