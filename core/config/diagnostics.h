// diagnostics.h -- collects configuration errors so an admin sees all of
// them in one run, each as "file:line:col: key.path: what is wrong (fix)".
//
// Invariants: messages come out sorted by position (stable, so errors at one
// place keep the order they were reported in); at most
// kMaxErrors are kept (then one "... and N more" line), so a badly broken
// file cannot produce megabytes of output.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "common/status.h"
#include "config/mark.h"

namespace halo {

class Diagnostics {
 public:
  static constexpr size_t kMaxErrors = 50;

  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  const std::string &file() const { return file_; }
  Mark mark(const YAML::Node &node) const { return mark_of_node(node, file_); }

  // Reports an error at `node`'s position (the file only when it has none).
  void error(const YAML::Node &node, const std::string &path, const std::string &message);
  void error(const Mark &at, const std::string &path, const std::string &message);

  bool ok() const { return total_ == 0; }
  size_t count() const { return total_; }
  // Ok when nothing was reported, else Invalid with one message per line.
  Status status() const;

 private:
  std::string file_;
  struct Entry {
    Mark at;
    std::string text;
  };
  std::vector<Entry> entries_;
  size_t total_ = 0;
};

// "file:line:col: path: message" (parts that are empty are left out).
std::string format_config_error(const Mark &at, const std::string &path,
                                const std::string &message);

}  // namespace halo
