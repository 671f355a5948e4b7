// env_substitution.cpp -- ${VAR} expansion on strings and on a YAML tree.
#include "config/env_substitution.h"

#include <cctype>
#include <cstdlib>
#include <unordered_set>

#include "config/diagnostics.h"

namespace halo {
namespace {

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Expands the reference starting at text[pos] == '$', text[pos+1] == '{'.
// Appends the value to `out` and returns the index just past the '}'.
Result<size_t> expand_reference(const std::string &text, size_t pos, const EnvLookup &env,
                                std::string &out) {
  const size_t close = text.find('}', pos + 2);
  if (close == std::string::npos) {
    return Status::Invalid("unterminated '${' in '" + text +
                           "' (close it with '}', or write '$${' for a literal '${')");
  }
  const std::string body = text.substr(pos + 2, close - pos - 2);
  const size_t sep = body.find(":-");
  const std::string name = body.substr(0, sep);
  bool valid = !name.empty() && is_name_start(name[0]);
  for (char c : name) valid = valid && is_name_char(c);
  if (!valid) {
    return Status::Invalid("invalid variable name '" + name + "' in '${" + body +
                           "}' (use letters, digits and '_', or write '$${' for a literal '${')");
  }
  std::optional<std::string> value = env(name);
  if (sep != std::string::npos && (!value || value->empty())) value = body.substr(sep + 2);
  if (!value) {
    return Status::Invalid("environment variable '" + name + "' is not set (export " + name +
                           "=... or write ${" + name + ":-default})");
  }
  out += *value;
  return close + 1;
}

struct TreeSubstituter {
  const EnvLookup &env;
  Diagnostics &diags;
  // Positions of scalars already expanded: an alias shares its anchor's
  // node, and expanding it twice would re-read an escaped "$${".
  std::unordered_set<int> done;

  void visit(YAML::Node node, const std::string &path) {
    if (node.IsMap()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        visit(it->second, join_key(path, it->first.Scalar()));
      }
    } else if (node.IsSequence()) {
      size_t i = 0;
      for (auto it = node.begin(); it != node.end(); ++it, ++i) {
        visit(*it, path + "[" + std::to_string(i) + "]");
      }
    } else if (node.IsScalar()) {
      visit_scalar(node, path);
    }
  }

  void visit_scalar(YAML::Node node, const std::string &path) {
    const std::string &text = node.Scalar();
    if (text.find('$') == std::string::npos) return;
    if (!done.insert(node.Mark().pos).second) return;
    Result<std::string> expanded = substitute_env(text, env);
    if (!expanded.ok()) {
      diags.error(node, path, expanded.status().message());
      return;
    }
    if (expanded.value() != text) {
      node = expanded.value();  // keeps the mark
      node.SetTag(kEnvSubstitutedTag);
    }
  }

  static std::string join_key(const std::string &path, const std::string &key) {
    return path.empty() ? key : path + "." + key;
  }
};

}  // namespace

EnvLookup process_env() {
  return [](const std::string &name) -> std::optional<std::string> {
    const char *value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<std::string> substitute_env(const std::string &text, const EnvLookup &env) {
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
    } else {
      out += '$';
      pos = dollar + 1;
    }
  }
  if (pos < text.size()) out.append(text, pos, std::string::npos);
  return out;
}

Status substitute_env_in_tree(YAML::Node root, const std::string &file, const EnvLookup &env) {
  Diagnostics diags(file);
  TreeSubstituter substituter{env, diags, {}};
  substituter.visit(root, "");
  return diags.status();
}

}  // namespace halo
