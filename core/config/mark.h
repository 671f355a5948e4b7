// mark.h -- a position in a pipeline file (file:line:col, 1-based) and the
// conversion from yaml-cpp's 0-based marks.
//
// Invariants: line/col are 1-based when known; 0 means "unknown" and str()
// then prints the file name only, so a message never shows a bogus "0:0".
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace halo {

struct Mark {
  std::string file;
  int line = 0;
  int col = 0;

  bool known() const { return line > 0; }
  std::string str() const;  // "file:line:col", or "file" when unknown
};

// The 1-based position of `node` in `file`; unknown (line 0) when yaml-cpp has
// no position for it (undefined nodes, nodes built in memory).
Mark mark_of_node(const YAML::Node &node, const std::string &file);

// mark_of_node(node), or `fallback` when that is unknown.
Mark mark_or(const YAML::Node &node, const Mark &fallback);

}  // namespace halo
