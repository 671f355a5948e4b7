// mapping_config.cpp -- `mapping` option -> RecordMapping (see header).
#include "common/mapping_config.h"

#include <utility>
#include <vector>

namespace halo::plugins {

namespace {

using Targets = std::vector<std::pair<std::string, FieldSpec>>;

// Any scalar as text (the host renders numbers and booleans as written).
std::optional<std::string> scalar_text(const halo::Host &host, const std::string &path) {
  if (auto s = host.opt_string(path)) return std::string(*s);
  return std::nullopt;
}

bool has_key(const halo::Host &host, const std::string &path, const std::string &key) {
  int n = host.opt_size(path);
  for (int i = 0; i < n; ++i) {
    if (host.opt_key(path, i) == key) return true;
  }
  return false;
}

// A YAML list of field names (a composite such as messageId: [a, b]).
bool is_list(const halo::Host &host, const std::string &path) {
  return host.opt_size(path) > 0 && host.opt_string(path + "[0]").has_value();
}

FieldSpec read_list_spec(const halo::Host &host, const std::string &path) {
  FieldSpec spec;
  int n = host.opt_size(path);
  for (int i = 0; i < n; ++i) {
    std::string item = path + "[" + std::to_string(i) + "]";
    auto text = scalar_text(host, item);
    if (!text || text->empty()) throw halo::ConfigError(item, "must be a field name");
    spec.parts.push_back(*text);
  }
  return spec;
}

bool is_full_spec(const halo::Host &host, const std::string &path) {
  for (const char *k : {"from", "value", "as", "map", "default", "required"}) {
    if (has_key(host, path, k)) return true;
  }
  return false;
}

FieldSpec read_full_spec(const halo::Host &host, const std::string &path) {
  FieldSpec spec;
  int n = host.opt_size(path);
  for (int i = 0; i < n; ++i) {
    std::string key = host.opt_key(path, i);
    std::string child = child_option_path(path, key);
    if (key == "map") {
      int entries = host.opt_size(child);
      if (entries < 0) throw halo::ConfigError(child, "map: must be a mapping of input: output");
      for (int e = 0; e < entries; ++e) {
        std::string in = host.opt_key(child, e);
        auto out = scalar_text(host, child_option_path(child, in));
        if (!out) throw halo::ConfigError(child, "map: values must be scalars");
        spec.map.emplace_back(in, *out);
      }
      continue;
    }
    if (key == "required") {
      auto b = host.opt_bool(child);
      if (!b) throw halo::ConfigError(child, "required: must be true or false");
      spec.required = *b;
      continue;
    }
    auto text = scalar_text(host, child);
    if (!text) throw halo::ConfigError(child, key + ": must be a scalar");
    if (key == "from") {
      spec.from = *text;
    } else if (key == "value") {
      spec.literal = *text;
    } else if (key == "default") {
      spec.default_value = *text;
    } else if (key == "as") {
      auto type = parse_value_type(*text);
      if (!type) throw halo::ConfigError(child, "as: must be string, number, bool or json");
      spec.as = *type;
    } else {
      throw halo::ConfigError(
          child, "unknown key '" + key + "'; use from, value, as, map, default or required");
    }
  }
  return spec;
}

void read_group(const halo::Host &host, const std::string &path, const std::string &prefix,
                Targets &targets, std::vector<std::string> &paths) {
  int n = host.opt_size(path);
  for (int i = 0; i < n; ++i) {
    std::string key = host.opt_key(path, i);
    std::string child = child_option_path(path, key);
    std::string target = prefix + key;
    if (auto text = scalar_text(host, child)) {
      targets.emplace_back(target, parse_spec_string(*text));
    } else if (host.opt_size(child) < 0) {
      throw halo::ConfigError(path, "cannot read mapping key '" + key +
                                        "'; if the host does not support dotted keys, write "
                                        "the target as nested maps");
    } else if (is_list(host, child)) {
      targets.emplace_back(target, read_list_spec(host, child));
    } else if (is_full_spec(host, child)) {
      targets.emplace_back(target, read_full_spec(host, child));
    } else {
      read_group(host, child, target + ".", targets, paths);
      continue;
    }
    paths.push_back(child);
  }
}

}  // namespace

std::string child_option_path(const std::string &parent, const std::string &key) {
  if (key.find_first_of(".[]\"") == std::string::npos) {
    return parent.empty() ? key : parent + "." + key;
  }
  return parent + "[\"" + key + "\"]";
}

std::optional<RecordMapping> read_mapping(const halo::Host &host, const std::string &option) {
  if (host.opt_size(option) < 0) {
    if (host.opt_string(option)) throw halo::ConfigError(option, "must be a mapping");
    return std::nullopt;
  }
  Targets targets;
  std::vector<std::string> paths;  // option path of each target, for errors
  read_group(host, option, "", targets, paths);
  if (targets.empty()) throw halo::ConfigError(option, "is empty; map at least one field");
  try {
    return RecordMapping::compile(targets);
  } catch (const MappingError &e) {
    for (size_t i = 0; i < targets.size(); ++i) {
      if (targets[i].first == e.target()) {
        throw halo::ConfigError(paths[i], "mapping target '" + e.target() + "' " + e.what());
      }
    }
    throw halo::ConfigError(option, e.what());
  }
}

}  // namespace halo::plugins
