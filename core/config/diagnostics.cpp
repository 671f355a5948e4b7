// diagnostics.cpp -- error collection and formatting.
#include "config/diagnostics.h"

#include <algorithm>

namespace halo {

std::string format_config_error(const Mark &at, const std::string &path,
                                const std::string &message) {
  std::string out = at.str();
  if (!out.empty()) out += ": ";
  if (!path.empty()) out += path + ": ";
  return out + message;
}

void Diagnostics::error(const YAML::Node &node, const std::string &path,
                        const std::string &message) {
  error(mark(node), path, message);
}

void Diagnostics::error(const Mark &at, const std::string &path, const std::string &message) {
  ++total_;
  if (entries_.size() < kMaxErrors)
    entries_.push_back({at, format_config_error(at, path, message)});
}

Status Diagnostics::status() const {
  if (ok()) return Status::Ok();
  std::vector<Entry> sorted = entries_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Entry &a, const Entry &b) {
    return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.col < b.at.col;
  });
  std::string text;
  for (const Entry &e : sorted) text += (text.empty() ? "" : "\n") + e.text;
  if (total_ > entries_.size()) {
    text += "\n... and " + std::to_string(total_ - entries_.size()) + " more errors";
  }
  return Status::Invalid(text);
}

}  // namespace halo
