// option_path.cpp -- parsing and walking option paths.
#include "config/option_path.h"

#include <charconv>

namespace halo {
namespace {

// Parses "[123]" at path[pos]; advances pos past ']'.
bool parse_index(const std::string &path, size_t &pos, std::vector<PathStep> &steps) {
  const size_t close = path.find(']', pos);
  if (close == std::string::npos || close == pos + 1) return false;
  size_t index = 0;
  auto [ptr, ec] = std::from_chars(path.data() + pos + 1, path.data() + close, index);
  if (ec != std::errc() || ptr != path.data() + close) return false;
  steps.emplace_back(index);
  pos = close + 1;
  return true;
}

// Parses `["key"]` at path[pos] (a map key that may contain dots); advances
// pos past ']'. Keys containing `"]` cannot be addressed this way.
bool parse_quoted_key(const std::string &path, size_t &pos, std::vector<PathStep> &steps) {
  const size_t close = path.find("\"]", pos + 2);
  if (close == std::string::npos) return false;
  steps.emplace_back(path.substr(pos + 2, close - pos - 2));
  pos = close + 2;
  return true;
}

}  // namespace

std::optional<std::vector<PathStep>> parse_option_path(const std::string &path) {
  std::vector<PathStep> steps;
  size_t pos = 0;
  bool expect_key = true;  // at the start or after '.'
  while (pos < path.size()) {
    if (path[pos] == '[') {
      if (expect_key && pos != 0) return std::nullopt;  // "a.[0]"
      bool quoted = pos + 1 < path.size() && path[pos + 1] == '"';
      if (!(quoted ? parse_quoted_key(path, pos, steps) : parse_index(path, pos, steps))) {
        return std::nullopt;
      }
      expect_key = false;
    } else if (path[pos] == '.') {
      if (expect_key) return std::nullopt;  // ".a" or "a..b"
      ++pos;
      expect_key = true;
    } else {
      if (!expect_key) return std::nullopt;  // "a[0]b"
      const size_t end = path.find_first_of(".[", pos);
      const size_t stop = end == std::string::npos ? path.size() : end;
      steps.emplace_back(path.substr(pos, stop - pos));
      pos = stop;
      expect_key = false;
    }
  }
  if (expect_key && !path.empty()) return std::nullopt;  // trailing '.'
  return steps;
}

YAML::Node walk_option_path(const YAML::Node &root, const std::vector<PathStep> &steps,
                            std::vector<YAML::Node> *walked) {
  YAML::Node current = root;
  if (walked) walked->push_back(current);
  for (const PathStep &step : steps) {
    YAML::Node next;
    bool found = false;
    if (const auto *key = std::get_if<std::string>(&step)) {
      if (current.IsMap()) {
        const YAML::Node &map = current;
        for (auto it = map.begin(); it != map.end(); ++it) {
          if (it->first.IsScalar() && it->first.Scalar() == *key) {
            next.reset(it->second);
            found = true;
            break;
          }
        }
      }
    } else {
      const size_t index = std::get<size_t>(step);
      if (current.IsSequence() && index < current.size()) {
        next.reset(current[index]);
        found = true;
      }
    }
    if (!found) return YAML::Node(YAML::NodeType::Undefined);
    current.reset(next);
    if (walked) walked->push_back(current);
  }
  return current;
}

}  // namespace halo
