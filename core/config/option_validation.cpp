// option_validation.cpp -- plugin config vs. declared options.
#include "config/option_validation.h"

#include <set>

#include "common/log.h"
#include "config/diagnostics.h"
#include "config/env_substitution.h"
#include "config/map_reader.h"
#include "config/option_decls.h"
#include "config/option_value.h"
#include "config/scalar_parse.h"
#include "config/suggest.h"

namespace halo {
namespace {

const OptionDecl *find_decl(const std::vector<OptionDecl> &decls, const std::string &name) {
  for (const OptionDecl &d : decls) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

// Checks one option value; reports through diags.
void check_value(const YAML::Node &value, const Mark &at, const std::string &path,
                 const OptionDecl &decl, Diagnostics &diags) {
  const std::string expected = std::string("expected ") + option_type_noun(decl.type);
  if (value.IsNull()) {
    std::string fix = decl.default_value ? "remove the key to use the default '" +
                                               std::string(decl.default_value) + "'"
                                         : "remove the key";
    diags.error(
        at, path,
        std::string("no value given (give ") + option_type_noun(decl.type) + ", or " + fix + ")");
    return;
  }
  const bool want_scalar = option_is_scalar_type(decl.type);
  bool ok = want_scalar && value.IsScalar();
  if (decl.type == HALO_OPT_MAP) ok = value.IsMap();
  if (decl.type == HALO_OPT_LIST || decl.type == HALO_OPT_STRING_LIST) ok = value.IsSequence();
  if (!ok) {
    diags.error(at, path, expected + ", got " + describe_node(value, decl.secret));
    return;
  }
  if (want_scalar) {
    const std::string problem = option_scalar_problem(value, decl);
    if (!problem.empty()) {
      diags.error(at, path, problem);
      return;
    }
  }
  if (decl.secret && value.IsScalar() && !value.Scalar().empty() &&
      value.Tag() != kEnvSubstitutedTag) {
    // Not an error (tests and throwaway pipelines do it), but pipeline files
    // get copied and committed: say so every time.
    log_warn("config", at.str() + ": " + path +
                           ": a secret is written in the pipeline file; set it in an environment "
                           "variable and write ${VARIABLE} here instead");
  }
  if (decl.type != HALO_OPT_STRING_LIST) return;
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].IsScalar()) {
      diags.error(mark_or(value[i], at), index_path(path, i),
                  "expected a string, got " + describe_node(value[i], decl.secret));
    } else if (std::string problem = option_allowed_problem(value[i], decl); !problem.empty()) {
      diags.error(mark_or(value[i], at), index_path(path, i), problem);
    }
  }
}

std::vector<std::string> option_names(const std::vector<OptionDecl> &decls) {
  std::vector<std::string> names;
  for (const OptionDecl &d : decls) names.push_back(d.name);
  return names;
}

void check_present_keys(const YAML::Node &config, const std::string &config_path,
                        const PluginUse &use, const std::vector<OptionDecl> &decls,
                        Diagnostics &diags) {
  std::set<std::string> seen;
  const std::vector<std::string> names = option_names(decls);
  for (auto it = config.begin(); it != config.end(); ++it) {
    const std::string key = it->first.Scalar();
    const std::string shown = shorten_for_message(key);  // keys may be long
    const Mark key_mark = mark_or(it->first, use.config_mark);
    const std::string path = join_path(config_path, shown);
    if (!seen.insert(key).second) {
      diags.error(key_mark, path, "duplicate option '" + shown + "' (keep only one)");
      continue;
    }
    const OptionDecl *decl = find_decl(decls, key);
    if (decl == nullptr) {
      const std::string hint = decls.empty() ? " (plugin '" + shorten_for_message(use.plugin) +
                                                   "' takes no options; remove it)"
                                             : unknown_name_hint(key, names, "options");
      diags.error(key_mark, path,
                  "unknown option '" + shown + "' for plugin '" + shorten_for_message(use.plugin) +
                      "'" + hint);
      continue;
    }
    const Mark value_mark = it->second.IsNull() ? key_mark : mark_or(it->second, key_mark);
    check_value(it->second, value_mark, path, *decl, diags);
  }
}

void check_required(const YAML::Node &config, const std::string &config_path, const PluginUse &use,
                    const std::vector<OptionDecl> &decls, Diagnostics &diags) {
  for (const OptionDecl &d : decls) {
    if (!d.required || d.default_value != nullptr) continue;
    if (config.IsMap() && config[d.name].IsDefined()) continue;
    std::string why = d.description.empty() ? "" : ": " + d.description;
    diags.error(use.config_mark, join_path(config_path, d.name),
                "missing required option '" + d.name + "' for plugin '" +
                    shorten_for_message(use.plugin) + "'" + why + " (add `" + d.name +
                    ": ...` under config:)");
  }
}

// A broken declaration is the plugin's bug, not the admin's: said once per
// use, at the use, so it is found before any value is read with it.
void check_declarations(const std::string &where, const PluginUse &use,
                        const std::vector<OptionDecl> &decls, Diagnostics &diags) {
  for (const OptionDecl &d : decls) {
    for (const std::string &problem : option_decl_problems(d)) {
      diags.error(use.mark.known() ? use.mark : use.config_mark, join_path(where, "plugin"),
                  "plugin '" + shorten_for_message(use.plugin) + "' is broken: its option '" +
                      d.name + "' " + problem + " (report it to the plugin's author)");
    }
  }
}

}  // namespace

Status validate_plugin_options(const std::string &where, const PluginUse &use,
                               const halo_option_decl *decls, uint32_t n) {
  Diagnostics diags(use.mark.file.empty() ? use.config_mark.file : use.mark.file);
  const std::vector<OptionDecl> options = read_option_decls(decls, n);
  const std::string config_path = join_path(where, "config");
  const YAML::Node &config = use.config;
  if (config.IsDefined() && !config.IsNull() && !config.IsMap()) {
    diags.error(use.config_mark, config_path,
                "expected a mapping of options for plugin '" + shorten_for_message(use.plugin) +
                    "', got " + describe_node(config));
    return diags.status();
  }
  check_declarations(where, use, options, diags);
  if (config.IsMap()) check_present_keys(config, config_path, use, options, diags);
  check_required(config, config_path, use, options, diags);
  return diags.status();
}

}  // namespace halo
