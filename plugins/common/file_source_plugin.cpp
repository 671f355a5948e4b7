// file_source_plugin.cpp -- option helpers shared by file sources.
#include "common/file_source_plugin.h"

namespace halo::plugins {

std::string required_path_option(const halo::Host &host, const std::string &what) {
  auto path = host.opt_string("path");
  if (!path || path->empty()) throw halo::ConfigError("path", "is required: " + what);
  return std::string(*path);
}

size_t max_record_bytes_option(const halo::Host &host) {
  int64_t v = host.opt_int("max_record_bytes").value_or(1 << 20);
  if (v < 1024 || v > (int64_t{1} << 30)) {
    throw halo::ConfigError("max_record_bytes", "must be between 1024 and 1073741824");
  }
  return static_cast<size_t>(v);
}

}  // namespace halo::plugins
