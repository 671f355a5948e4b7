// http_config.cpp -- reads the pipeline's `http:` section (see http_config.h).
#include "config/http_config.h"

#include <cstdint>
#include <vector>

#include "common/time_units.h"

namespace halo {
namespace {

const std::vector<std::string> kHttpKeys = {
    "listen",          "threads",         "max_connections",  "max_header_bytes",  "max_body_bytes",
    "read_timeout_ms", "idle_timeout_ms", "write_timeout_ms", "shutdown_grace_ms", "retry"};
const std::vector<std::string> kRetryKeys = {"max_attempts", "max_seconds"};

template <class T>
void read_bounded(MapReader &http, const char *key, int64_t min, int64_t max, T &out) {
  int64_t v = 0;
  if (http.read_int(key, v, min, max)) out = static_cast<T>(v);
}

// `http.retry: { max_attempts: 5, max_seconds: 120 }`.
void read_retry(const MapReader &http, Diagnostics &diags, RetryPolicy &out) {
  MapReader retry(http.value("retry"), "http.retry", kRetryKeys, diags, http.value_mark("retry"));
  if (!retry.is_mapping()) return;
  int64_t v = 0;
  if (retry.read_int("max_attempts", v, 1, RetryPolicy::kMaxMaxAttempts)) out.max_attempts = int(v);
  if (retry.read_int("max_seconds", v, 1, 86400)) out.max_time = std::chrono::seconds(v);
}

}  // namespace

void read_http(const MapReader &top, Diagnostics &diags, HttpConfig &out) {
  MapReader http(top.value("http"), "http", kHttpKeys, diags, top.value_mark("http"));
  if (!http.is_mapping()) return;
  std::string listen;
  if (http.read_string("listen", listen)) {
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
      diags.error(http.value_mark("listen"), "http.listen",
                  "expected HOST:PORT such as 127.0.0.1:8088, got '" + listen + "'");
    } else {
      out.listen = listen;
    }
  }
  HttpServerLimits &l = out.limits;
  read_bounded(http, "threads", 1, 16, l.threads);
  read_bounded(http, "max_connections", 1, 100000, l.max_connections);
  read_bounded(http, "max_header_bytes", 1024, 1 << 20, l.max_header_bytes);
  read_bounded(http, "max_body_bytes", 1, int64_t{1} << 30, l.max_body_bytes);
  read_bounded(http, "read_timeout_ms", 1, kDayMs, l.read_timeout_ms);
  read_bounded(http, "idle_timeout_ms", 1, kDayMs, l.idle_timeout_ms);
  read_bounded(http, "write_timeout_ms", 1, kDayMs, l.write_timeout_ms);
  read_bounded(http, "shutdown_grace_ms", 0, kDayMs, l.shutdown_grace_ms);
  read_retry(http, diags, out.retry);
}

}  // namespace halo
