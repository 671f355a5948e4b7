// http_config.h -- the pipeline's optional `http:` section: where the one
// HTTP server of a halo process listens and its limits (see
// docs/pipeline.md). Defaults live in HttpServerLimits and kDefaultListen
// only; this reader overrides the keys the file sets.
//
// Invariant: every value stored passed its range check; an empty `listen`
// means "not set" (a plugin's own listen option or the kernel default).
#pragma once

#include <string>

#include "config/diagnostics.h"
#include "config/map_reader.h"
#include "http_server/server_limits.h"

namespace halo {

struct HttpConfig {
  std::string listen;  // "HOST:PORT" or empty
  HttpServerLimits limits;
};

void read_http(const MapReader &top, Diagnostics &diags, HttpConfig &out);

}  // namespace halo
