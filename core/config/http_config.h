// http_config.h -- the pipeline's optional `http:` section: where the one
// HTTP server of a halo process listens and its limits, and `http.retry`,
// the retry budget of outbound requests (see docs/pipeline.md). Defaults live in HttpServerLimits
// and kDefaultListen only; this reader overrides the keys the file sets.
//
// Invariant: every value stored passed its range check; an empty `listen`
// means "not set" (a plugin's own listen option or the kernel default).
#pragma once

#include <string>

#include "config/diagnostics.h"
#include "config/map_reader.h"
#include "http/retry_budget.h"
#include "http_server/server_limits.h"

namespace halo {

struct HttpConfig {
  std::string listen;  // "HOST:PORT" or empty
  HttpServerLimits limits;
  RetryPolicy retry;  // `http.retry`: the outbound retry budget (retry_budget.h)
};

void read_http(const MapReader &top, Diagnostics &diags, HttpConfig &out);

}  // namespace halo
