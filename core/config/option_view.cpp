// option_view.cpp -- path lookups, defaults, marks and redaction.
#include "config/option_view.h"

#include "common/log.h"
#include "common/secrets.h"
#include "config/option_path.h"
#include "config/option_value.h"
#include "config/scalar_parse.h"

namespace halo {
namespace {

// A declared default as a node: list/map defaults are YAML flow text
// ("[a, b]", "{}"); scalar defaults are taken verbatim.
YAML::Node default_node(const OptionDecl &d) {
  const bool structured =
      d.type == HALO_OPT_STRING_LIST || d.type == HALO_OPT_LIST || d.type == HALO_OPT_MAP;
  if (structured) {
    try {
      YAML::Node parsed = YAML::Load(d.default_value);
      if (parsed.IsSequence() || parsed.IsMap()) return parsed;
    } catch (const YAML::Exception &) {
      // fall through: a plain scalar default
    }
  }
  return YAML::Node(std::string(d.default_value));
}

bool has_top_level_key(const YAML::Node &config, const std::string &key) {
  if (!config.IsMap()) return false;
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (it->first.Scalar() == key) return true;
  }
  return false;
}

// Every scalar under a secret option (a list or mapping of secrets too).
void collect_scalars(const YAML::Node &node, std::vector<std::string> &out) {
  if (!node.IsDefined()) return;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence() || node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      collect_scalars(node.IsMap() ? it->second : *it, out);
    }
  }
}

}  // namespace

void OptionView::register_secrets() const {
  if (!use_.config.IsMap()) return;
  for (const OptionDecl &d : decls_) {
    if (!d.secret) continue;
    std::vector<std::string> values;
    collect_scalars(use_.config[d.name], values);
    for (const std::string &v : values) {
      if (v.empty() || register_secret(v)) continue;
      log_warn("config", mark_of(d.name).str() + ": option '" + d.name +
                             "' is a secret shorter than " + std::to_string(kMinSecretBytes) +
                             " characters; it cannot be masked in messages (use a longer one)");
    }
  }
}

OptionView::OptionView(const PluginUse &use, const halo_option_decl *decls, uint32_t n)
    : use_(use), decls_(read_option_decls(decls, n)) {
  register_secrets();
  for (const OptionDecl &d : decls_) {
    if (d.default_value != nullptr && !has_top_level_key(use_.config, d.name)) {
      defaults_.emplace(d.name, default_node(d));
    }
  }
}

YAML::Node OptionView::lookup(const std::string &path) const {
  const auto steps = parse_option_path(path);
  if (!steps) return YAML::Node(YAML::NodeType::Undefined);
  if (!steps->empty()) {
    if (const auto *first = std::get_if<std::string>(&steps->front())) {
      auto d = defaults_.find(*first);
      if (d != defaults_.end()) {
        const std::vector<PathStep> rest(steps->begin() + 1, steps->end());
        return walk_option_path(d->second, rest);
      }
    }
  }
  return walk_option_path(use_.config, *steps);
}

const char *OptionView::intern(const std::string &s) {
  return interned_.emplace_back(s).c_str();
}

bool OptionView::get_string(const std::string &path, const char **out, size_t *len) {
  const YAML::Node node = lookup(path);
  if (!node.IsScalar()) return false;
  const std::string &text = interned_.emplace_back(node.Scalar());
  if (out) *out = text.c_str();
  if (len) *len = text.size();
  return true;
}

halo_option_type OptionView::declared_type(const std::string &path) const {
  for (const OptionDecl &d : decls_) {
    if (d.name == path) return d.type;
  }
  return HALO_OPT_STRING;
}

bool OptionView::get_int(const std::string &path, int64_t *out) {
  const YAML::Node node = lookup(path);
  if (!node.IsScalar()) return false;
  const halo_option_type type = declared_type(path);
  const auto value = type == HALO_OPT_DURATION || type == HALO_OPT_SIZE
                         ? option_integer(node.Scalar(), type)
                         : parse_strict_int(node.Scalar());
  if (value && out) *out = *value;
  return value.has_value();
}

bool OptionView::get_float(const std::string &path, double *out) {
  const YAML::Node node = lookup(path);
  if (!node.IsScalar()) return false;
  const auto value = parse_strict_float(node.Scalar());
  if (value && out) *out = *value;
  return value.has_value();
}

bool OptionView::get_bool(const std::string &path, int32_t *out) {
  const YAML::Node node = lookup(path);
  if (!node.IsScalar()) return false;
  const auto value = parse_strict_bool(node.Scalar());
  if (value && out) *out = *value ? 1 : 0;
  return value.has_value();
}

int OptionView::size(const std::string &path) {
  const YAML::Node node = lookup(path);
  if (!node.IsMap() && !node.IsSequence()) return -1;
  return static_cast<int>(node.size());
}

bool OptionView::key(const std::string &path, int index, const char **out) {
  const YAML::Node node = lookup(path);
  if (!node.IsMap() || index < 0 || static_cast<size_t>(index) >= node.size()) return false;
  auto it = node.begin();
  std::advance(it, index);
  if (!it->first.IsScalar()) return false;
  const char *text = intern(it->first.Scalar());
  if (out) *out = text;
  return true;
}

Mark OptionView::mark_of(const std::string &path) const {
  const Mark fallback = use_.config_mark.known() ? use_.config_mark : use_.mark;
  const auto steps = parse_option_path(path);
  if (!steps) return fallback;
  std::vector<YAML::Node> walked;
  walk_option_path(use_.config, *steps, &walked);
  for (auto it = walked.rbegin(); it != walked.rend(); ++it) {
    // A null value's own mark points past it (yaml-cpp); its parent is better.
    if (it->IsNull()) continue;
    const Mark m = mark_of_node(*it, fallback.file);
    if (m.known()) return m;
  }
  return fallback;
}

std::string OptionView::redacted() const {
  YAML::Node shown(YAML::NodeType::Map);
  if (use_.config.IsMap()) {
    for (auto it = use_.config.begin(); it != use_.config.end(); ++it) {
      const std::string key = it->first.Scalar();
      bool secret = false;
      for (const OptionDecl &d : decls_) secret = secret || (d.secret && d.name == key);
      if (secret) {
        shown[key] = "***";
      } else {
        shown[key] = it->second;
      }
    }
  }
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  out << shown;
  return out.good() ? std::string(out.c_str()) : std::string("{<unprintable config>}");
}

}  // namespace halo
