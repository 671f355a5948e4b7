// map_reader.h -- strict reading of one mapping of the pipeline schema.
//
// A MapReader is built over one YAML mapping and the exact list of keys the
// schema allows there. On construction it reports, through Diagnostics,
// a node that is not a mapping, every unknown key (with did-you-mean) and
// every duplicate key (yaml-cpp silently keeps one). The typed read_*
// functions then report missing required keys and type/range errors with the
// value's file:line:col and the key path, and leave the output untouched on
// error or absence, so callers pre-fill defaults.
//
// A null node (`run:` with nothing after it) reads as an empty mapping.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "config/diagnostics.h"

namespace halo {

// "a.b" + "c" -> "a.b.c"; "" + "c" -> "c".
std::string join_path(const std::string &parent, const std::string &key);
// "sources" + 2 -> "sources[2]".
std::string index_path(const std::string &parent, size_t index);
// [a-z0-9_-]+: a name that keys stored state (a source's cursor, a
// segment's membership), safe in any file name and message.
bool is_plain_name(const std::string &s);

class MapReader {
 public:
  MapReader(const YAML::Node &node, std::string path, std::vector<std::string> allowed,
            Diagnostics &diags, const Mark &fallback);

  bool is_mapping() const { return is_mapping_; }
  Mark mark() const { return mark_; }
  const std::string &path() const { return path_; }
  std::string path_of(const std::string &key) const { return join_path(path_, key); }

  bool has(const std::string &key) const { return find(key) != nullptr; }
  // The value node; an undefined node when the key is absent.
  YAML::Node value(const std::string &key) const;
  // Where to point at for this key's value: the value, else the key, else
  // the mapping (null values have no useful position of their own).
  Mark value_mark(const std::string &key) const;

  // Reports "missing required key" at the mapping; returns has(key).
  bool require(const std::string &key, const std::string &example);

  // Typed reads. Return true when the key was present and valid.
  bool read_string(const std::string &key, std::string &out);
  bool read_int(const std::string &key, int64_t &out, int64_t min, int64_t max);
  bool read_string_list(const std::string &key, std::vector<std::string> &out);
  // A nested mapping or nothing (absent/null -> empty map); `out_mark` is
  // the mapping's position, or the key's when it has none.
  bool read_mapping(const std::string &key, YAML::Node &out, Mark &out_mark);

 private:
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  const Entry *find(const std::string &key) const;
  void check_keys(const std::vector<std::string> &allowed);

  std::string path_;
  Diagnostics &diags_;
  Mark mark_;
  bool is_mapping_ = false;
  std::vector<Entry> entries_;
};

// Node-level readers used for list items; same error style as MapReader.
bool read_string_node(const YAML::Node &node, const std::string &path, const Mark &at,
                      Diagnostics &diags, std::string &out);
bool read_int_node(const YAML::Node &node, const std::string &path, const Mark &at,
                   Diagnostics &diags, int64_t min, int64_t max, int64_t &out);
// Reports and returns false unless `node` is a list (null/absent -> false,
// not reported: callers decide whether absence is an error).
bool expect_list(const YAML::Node &node, const std::string &path, const Mark &at,
                 Diagnostics &diags, const std::string &what);

}  // namespace halo
