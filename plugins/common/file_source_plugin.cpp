// file_source_plugin.cpp -- option helpers shared by file sources.
#include "common/file_source_plugin.h"

namespace halo::plugins {

std::string required_path_option(const halo::Host &host, const std::string &what) {
  auto path = host.opt_string("path");
  if (!path || path->empty()) throw halo::ConfigError("path", "is required: " + what);
  return std::string(*path);
}

size_t max_record_bytes_option(const halo::Host &host) {
  return static_cast<size_t>(host.size_option("max_record_bytes"));  // bounds: declared
}

}  // namespace halo::plugins
