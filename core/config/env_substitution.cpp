// env_substitution.cpp -- ${VAR} expansion on strings and on a YAML tree.
#include "config/env_substitution.h"

#include <cctype>
#include <cstdlib>
#include <unordered_set>
#include <vector>

#include "config/diagnostics.h"
#include "config/scalar_parse.h"
#include "config/yaml_limits.h"

namespace halo {
namespace {

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// "character 12 of the value": where a malformed reference starts, since
// the value itself is never quoted (see below).
std::string at_character(size_t pos) {
  return "at character " + std::to_string(pos + 1) + " of the value";
}

// Expands the reference starting at text[pos] == '$', text[pos+1] == '{'.
// Appends the value to `out` and returns the index just past the '}'.
// A malformed reference is named by its position, never quoted: the text
// after a stray "${" is often a secret pasted in place of a variable name.
Result<size_t> expand_reference(const std::string &text, size_t pos, const EnvLookup &env,
                                std::string &out) {
  const size_t close = text.find('}', pos + 2);
  if (close == std::string::npos) {
    return Status::Invalid("unterminated '${' " + at_character(pos) +
                           " (close it with '}', or write '$${' for a literal '${'; the text "
                           "after it is not shown, as it may be a secret)");
  }
  const std::string body = text.substr(pos + 2, close - pos - 2);
  const size_t sep = body.find(":-");
  const std::string name = body.substr(0, sep);
  bool valid = !name.empty() && is_name_start(name[0]);
  for (char c : name) valid = valid && is_name_char(c);
  if (!valid) {
    return Status::Invalid("invalid variable name in the '${...}' " + at_character(pos) +
                           " (use letters, digits and '_', starting with a letter or '_', or "
                           "write '$${' for a literal '${'; the name is not shown, as it may be "
                           "a secret)");
  }
  std::optional<std::string> value = env(name);
  if (sep != std::string::npos && (!value || value->empty())) value = body.substr(sep + 2);
  if (!value) {
    const std::string shown = shorten_for_message(name);
    return Status::Invalid("environment variable '" + shown + "' is not set (export " + shown +
                           "=... or write ${" + shown + ":-default})");
  }
  out += *value;
  return close + 1;
}

Status too_long(size_t max_size) {
  return Status::Invalid("the value is longer than " + std::to_string(max_size) +
                         " bytes once ${...} references are expanded");
}

// Walks the tree within a WalkBudget (a tree handed in here need not come
// from load_bounded_yaml). The key path of the current node is kept as a
// stack of references into the tree and only spelled out for an error, so a
// long key repeated by aliases is never copied per visit.
class TreeSubstituter {
 public:
  TreeSubstituter(const EnvLookup &env, Diagnostics &diags) : env_(env), diags_(diags) {}

  void visit(YAML::Node node, int depth) {
    if (!budget_.enter(depth)) return;
    if (node.IsMap()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        budget_.add_bytes(it->first.Scalar().size());
        path_.push_back(Step{&it->first.Scalar(), 0});
        visit(it->second, depth + 1);
        path_.pop_back();
      }
    } else if (node.IsSequence()) {
      size_t i = 0;
      for (auto it = node.begin(); it != node.end(); ++it, ++i) {
        path_.push_back(Step{nullptr, i});
        visit(*it, depth + 1);
        path_.pop_back();
      }
    } else if (node.IsScalar()) {
      visit_scalar(node);
    }
  }

  const WalkBudget &budget() const { return budget_; }

 private:
  struct Step {
    const std::string *key;  // null: a list index
    size_t index;
  };

  // Expands `node` on its first visit; every visit counts its text (as
  // expanded) against the budget, so an alias of a long variable's value
  // counts once per use.
  void visit_scalar(YAML::Node node) {
    const std::string &text = node.Scalar();
    if (text.find('$') != std::string::npos && done_.insert(node.Mark().pos).second) {
      Result<std::string> expanded = substitute_env(text, env_, budget_.bytes_left());
      if (!expanded.ok()) {
        diags_.error(node, path(), expanded.status().message());
        return;
      }
      if (expanded.value() != text) {
        node = expanded.value();  // keeps the mark
        node.SetTag(kEnvSubstitutedTag);
      }
    }
    budget_.add_bytes(node.Scalar().size());
  }

  std::string path() const {
    std::string out;
    for (const Step &s : path_) {
      if (s.key == nullptr) {
        out += "[" + std::to_string(s.index) + "]";
      } else {
        out += (out.empty() ? "" : ".") + shorten_for_message(*s.key);
      }
    }
    return out;
  }

  const EnvLookup &env_;
  Diagnostics &diags_;
  WalkBudget budget_;
  std::vector<Step> path_;
  // Positions of scalars already expanded: an alias shares its anchor's
  // node, and expanding it twice would re-read an escaped "$${".
  std::unordered_set<int> done_;
};

}  // namespace

EnvLookup process_env() {
  return [](const std::string &name) -> std::optional<std::string> {
    const char *value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<std::string> substitute_env(const std::string &text, const EnvLookup &env, size_t max_size) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t dollar = text.find('$', pos);
    if (dollar == std::string::npos) break;
    out.append(text, pos, dollar - pos);
    if (text.compare(dollar, 3, "$${") == 0) {
      out += "${";
      pos = dollar + 3;
    } else if (text.compare(dollar, 2, "${") == 0) {
      Result<size_t> next = expand_reference(text, dollar, env, out);
      if (!next.ok()) return next.status();
      pos = next.value();
      if (out.size() > max_size) return too_long(max_size);
    } else {
      out += '$';
      pos = dollar + 1;
    }
  }
  if (pos < text.size()) out.append(text, pos, std::string::npos);
  if (out.size() > max_size) return too_long(max_size);
  return out;
}

Status substitute_env_in_tree(YAML::Node root, const std::string &file, const EnvLookup &env) {
  Diagnostics diags(file);
  TreeSubstituter substituter(env, diags);
  substituter.visit(root, 0);
  if (substituter.budget().exceeded()) {
    diags.error(root, "", substituter.budget().describe());
  }
  return diags.status();
}

}  // namespace halo
