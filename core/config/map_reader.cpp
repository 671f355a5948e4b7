// map_reader.cpp -- strict mapping reader for the pipeline schema.
#include "config/map_reader.h"

#include <cctype>
#include <unordered_map>

#include "config/scalar_parse.h"
#include "config/suggest.h"

namespace halo {

std::string join_path(const std::string &parent, const std::string &key) {
  return parent.empty() ? key : parent + "." + key;
}

bool is_plain_name(const std::string &s) {
  for (char c : s) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      return false;
    }
  }
  return !s.empty();
}

std::string index_path(const std::string &parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

MapReader::MapReader(const YAML::Node &node, std::string path, std::vector<std::string> allowed,
                     Diagnostics &diags, const Mark &fallback)
    : path_(std::move(path)), diags_(diags), mark_(mark_or(node, fallback)) {
  if (!node.IsDefined() || node.IsNull()) {
    is_mapping_ = true;  // an empty section
    return;
  }
  if (!node.IsMap()) {
    diags_.error(mark_, path_, "expected a mapping (key: value pairs), got " + describe_node(node));
    return;
  }
  is_mapping_ = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    entries_.push_back(Entry{it->first.Scalar(), it->first, it->second});
  }
  check_keys(allowed);
}

void MapReader::check_keys(const std::vector<std::string> &allowed) {
  std::unordered_map<std::string, const Entry *> seen;
  for (const Entry &e : entries_) {
    const Mark at = mark_or(e.key_node, mark_);
    if (!e.key_node.IsScalar()) {
      diags_.error(at, path_, "keys must be plain names, got " + describe_node(e.key_node));
      continue;
    }
    const std::string shown = shorten_for_message(e.key);  // a key may be megabytes long
    auto [first, inserted] = seen.emplace(e.key, &e);
    if (!inserted) {
      diags_.error(at, path_of(shown),
                   "duplicate key '" + shown + "' (first given at " +
                       mark_or(first->second->key_node, mark_).str() + "; keep only one)");
      continue;
    }
    bool known = false;
    for (const std::string &a : allowed) known = known || a == e.key;
    if (!known) {
      diags_.error(at, path_of(shown),
                   "unknown key '" + shown + "'" + unknown_name_hint(e.key, allowed));
    }
  }
}

const MapReader::Entry *MapReader::find(const std::string &key) const {
  for (const Entry &e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

YAML::Node MapReader::value(const std::string &key) const {
  const Entry *e = find(key);
  return e ? e->value : YAML::Node(YAML::NodeType::Undefined);
}

Mark MapReader::value_mark(const std::string &key) const {
  const Entry *e = find(key);
  if (e == nullptr) return mark_;
  if (e->value.IsNull()) return mark_or(e->key_node, mark_);
  return mark_or(e->value, mark_or(e->key_node, mark_));
}

bool MapReader::require(const std::string &key, const std::string &example) {
  if (has(key)) return true;
  diags_.error(mark_, path_of(key), "missing required key '" + key + "' (add " + example + ")");
  return false;
}

bool MapReader::read_string(const std::string &key, std::string &out) {
  const Entry *e = find(key);
  return e && read_string_node(e->value, path_of(key), value_mark(key), diags_, out);
}

bool MapReader::read_int(const std::string &key, int64_t &out, int64_t min, int64_t max) {
  const Entry *e = find(key);
  return e && read_int_node(e->value, path_of(key), value_mark(key), diags_, min, max, out);
}

bool MapReader::read_string_list(const std::string &key, std::vector<std::string> &out) {
  const Entry *e = find(key);
  if (!e || !expect_list(e->value, path_of(key), value_mark(key), diags_, "a list of strings")) {
    return false;
  }
  std::vector<std::string> items;
  bool ok = true;
  size_t i = 0;
  for (const YAML::Node &item : e->value) {
    std::string s;
    const std::string item_path = index_path(path_of(key), i++);
    if (read_string_node(item, item_path, mark_or(item, value_mark(key)), diags_, s)) {
      items.push_back(std::move(s));
    } else {
      ok = false;
    }
  }
  if (ok) out = std::move(items);
  return ok;
}

bool MapReader::read_mapping(const std::string &key, YAML::Node &out, Mark &out_mark) {
  const Entry *e = find(key);
  out_mark = value_mark(key);
  if (!e || e->value.IsNull()) {
    out.reset(YAML::Node(YAML::NodeType::Map));
    return e != nullptr;
  }
  if (!e->value.IsMap()) {
    diags_.error(out_mark, path_of(key),
                 "expected a mapping (key: value pairs), got " + describe_node(e->value));
    return false;
  }
  out.reset(e->value);
  return true;
}

bool read_string_node(const YAML::Node &node, const std::string &path, const Mark &at,
                      Diagnostics &diags, std::string &out) {
  if (!node.IsScalar()) {
    diags.error(at, path, "expected a string, got " + describe_node(node));
    return false;
  }
  if (node.Scalar().empty()) {
    diags.error(at, path, "must not be empty");
    return false;
  }
  out = node.Scalar();
  return true;
}

bool read_int_node(const YAML::Node &node, const std::string &path, const Mark &at,
                   Diagnostics &diags, int64_t min, int64_t max, int64_t &out) {
  const std::optional<int64_t> value =
      node.IsScalar() ? parse_strict_int(node.Scalar()) : std::nullopt;
  if (!value) {
    diags.error(at, path, "expected an integer, got " + describe_node(node));
    return false;
  }
  if (*value < min || *value > max) {
    diags.error(at, path,
                "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                    ", got " + std::to_string(*value));
    return false;
  }
  out = *value;
  return true;
}

bool expect_list(const YAML::Node &node, const std::string &path, const Mark &at,
                 Diagnostics &diags, const std::string &what) {
  if (!node.IsDefined() || node.IsNull()) return false;
  if (!node.IsSequence()) {
    diags.error(at, path, "expected " + what + ", got " + describe_node(node));
    return false;
  }
  return true;
}

}  // namespace halo
