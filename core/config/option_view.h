// option_view.h -- read access to one plugin use's `config:` by option path,
// behind the host API's opt_* functions.
//
// Invariants:
//  - Read-only: the view never changes the PluginUse's YAML tree.
//  - Declared defaults apply to absent top-level options; a present option
//    always wins (even when its value fails a typed read).
//  - Every const char* handed out stays valid for the view's lifetime
//    (strings are interned in a deque, which never moves its elements).
//  - Typed reads are strict: get_int("12abc") and get_bool("maybe") fail.
//  - get_int of a top-level option declared DURATION reads milliseconds,
//    of one declared SIZE bytes ("90s" -> 90000, "1KiB" -> 1024).
//  - Constructing a view registers the values of the options declared
//    secret (as written or substituted from ${ENV}) with the process's
//    secret registry (common/secrets.h), so they are masked in every message.
#pragma once

#include <halo/plugin.h>

#include <deque>
#include <map>
#include <string>

#include "config/mark.h"
#include "config/option_decls.h"
#include "config/pipeline_config.h"

namespace halo {

class OptionView {
 public:
  OptionView(const PluginUse &use, const halo_option_decl *decls, uint32_t n);

  // Any scalar, as written (numbers too).
  bool get_string(const std::string &path, const char **out, size_t *len);
  bool get_int(const std::string &path, int64_t *out);
  bool get_float(const std::string &path, double *out);
  bool get_bool(const std::string &path, int32_t *out);  // true/false/yes/no/on/off
  // Entries of the list or mapping at path; -1 when absent or scalar.
  int size(const std::string &path);
  // Key of the index-th entry of the mapping at path, in document order.
  bool key(const std::string &path, int index, const char **out);

  // Position of the deepest node that exists along `path`; the config's
  // mark when none (or the path is malformed); the use's mark as a last
  // resort.
  Mark mark_of(const std::string &path) const;

  // One-line flow rendering of the config as written, with the values of
  // secret options replaced by "***" (for logs).
  std::string redacted() const;

  const PluginUse &use() const { return use_; }

 private:
  YAML::Node lookup(const std::string &path) const;
  // The declared type of the top-level option `path` names; STRING when
  // the path goes deeper or the option is undeclared.
  halo_option_type declared_type(const std::string &path) const;
  void register_secrets() const;
  const char *intern(const std::string &s);

  PluginUse use_;
  std::vector<OptionDecl> decls_;
  std::map<std::string, YAML::Node> defaults_;  // absent top-level options
  std::deque<std::string> interned_;
};

}  // namespace halo
