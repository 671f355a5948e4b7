// option_reader.h -- the few option accessors the spec parser needs, so the
// parser runs against the kernel (HostOptionReader in the plugin) or against
// a YAML document in tests.
//
// Paths are those of plugin.h: dotted keys, [i] for list entries, relative
// to the plugin's `config:`.
#pragma once

#include <optional>
#include <string>

namespace halo::aggregates {

class OptionReader {
 public:
  virtual ~OptionReader() = default;
  // Entries of the list or map at path; -1 when absent or scalar.
  virtual int size(const std::string &path) const = 0;
  // Key of the i-th entry of the map at path (document order).
  virtual std::string key(const std::string &path, int index) const = 0;
  // Scalar text at path; nullopt when absent or not a scalar.
  virtual std::optional<std::string> text(const std::string &path) const = 0;
};

}  // namespace halo::aggregates
