// mark.cpp -- Mark formatting and yaml-cpp mark conversion.
#include "config/mark.h"

namespace halo {

std::string Mark::str() const {
  if (!known()) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

Mark mark_of_node(const YAML::Node &node, const std::string &file) {
  Mark m;
  m.file = file;
  if (!node.IsDefined()) return m;
  const YAML::Mark ym = node.Mark();
  if (ym.is_null() || ym.line < 0 || ym.column < 0) return m;
  m.line = ym.line + 1;
  m.col = ym.column + 1;
  return m;
}

Mark mark_or(const YAML::Node &node, const Mark &fallback) {
  Mark m = mark_of_node(node, fallback.file);
  return m.known() ? m : fallback;
}

}  // namespace halo
