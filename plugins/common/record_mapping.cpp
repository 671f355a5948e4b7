// record_mapping.cpp -- compiling mapping specs and applying them to records.
#include "common/record_mapping.h"

#include "common/json_text.h"

#include <algorithm>

namespace halo::plugins {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

bool to_bool_text(std::string_view s, std::string_view &out) {
  s = trim_ascii(s);
  for (std::string_view t : {"true", "1", "yes", "y"}) {
    if (iequals(s, t)) return out = "true", true;
  }
  for (std::string_view f : {"false", "0", "no", "n"}) {
    if (iequals(s, f)) return out = "false", true;
  }
  return false;
}

const char *kind_name(ValueKind k) {
  switch (k) {
    case ValueKind::kString:
      return "string";
    case ValueKind::kNumber:
      return "number";
    case ValueKind::kBool:
      return "bool";
    case ValueKind::kJson:
      return "object/array";
    default:
      return "null";
  }
}

std::string clipped_quoted(std::string_view value) {
  return "\"" + std::string(clip_utf8(value, 80)) + (value.size() > 80 ? "...\"" : "\"");
}

std::string describe_source(const FieldSpec &spec) {
  return spec.from.empty() ? std::string("literal") : "'" + spec.from + "'";
}

}  // namespace

std::optional<ValueType> parse_value_type(std::string_view name) {
  if (name == "string") return ValueType::kString;
  if (name == "number") return ValueType::kNumber;
  if (name == "bool" || name == "boolean") return ValueType::kBool;
  if (name == "json") return ValueType::kJson;
  if (name == "auto") return ValueType::kAuto;
  return std::nullopt;
}

FieldSpec parse_spec_string(std::string_view text) {
  FieldSpec spec;
  if (!text.empty() && text.front() == '=') {
    spec.literal = std::string(text.substr(1));
  } else {
    spec.from = std::string(trim_ascii(text));
  }
  return spec;
}

bool convert_value(SourceValue in, ValueType as, SourceValue &out, const char *&reason) {
  out = in;
  switch (as) {
    case ValueType::kAuto:
      return true;
    case ValueType::kString:
      out.kind = ValueKind::kString;
      return true;
    case ValueType::kNumber:
      if (in.kind == ValueKind::kNumber) return true;
      out.text = trim_ascii(in.text);
      out.kind = ValueKind::kNumber;
      if (in.kind == ValueKind::kString && is_json_number(out.text)) return true;
      reason =
          "is not a number (write digits with an optional '-', '.' and exponent, "
          "no thousands separators)";
      return false;
    case ValueType::kBool:
      if (in.kind == ValueKind::kBool) return true;
      out.kind = ValueKind::kBool;
      if ((in.kind == ValueKind::kString || in.kind == ValueKind::kNumber) &&
          to_bool_text(in.text, out.text)) {
        return true;
      }
      reason = "is not a boolean (expected true/false, 1/0 or yes/no)";
      return false;
    case ValueType::kJson:
      if (in.kind != ValueKind::kString) return true;  // already JSON text
      out.kind = ValueKind::kJson;
      out.text = trim_ascii(in.text);
      if (is_valid_json(out.text)) return true;
      reason = "is not valid JSON";
      return false;
  }
  return true;
}

RecordMapping RecordMapping::compile(
    const std::vector<std::pair<std::string, FieldSpec>> &targets) {
  RecordMapping m;
  m.nodes_.push_back(Node{});
  for (const auto &[target, spec] : targets) m.add_target(target, spec);
  m.values_.resize(m.leaves_.size());
  m.composed_.resize(m.leaves_.size());
  return m;
}

uint32_t RecordMapping::child_node(uint32_t parent, std::string_view key,
                                   const std::string &target) {
  if (key.empty()) throw MappingError(target, "target path has an empty segment");
  std::string key_json;
  append_json_string(key_json, key);
  key_json.push_back(':');
  for (uint32_t c : nodes_[parent].children) {
    if (nodes_[c].key_json == key_json) return c;
  }
  nodes_.push_back(Node{std::move(key_json), -1, {}});
  uint32_t id = static_cast<uint32_t>(nodes_.size() - 1);
  nodes_[parent].children.push_back(id);
  return id;
}

void RecordMapping::add_target(const std::string &target, const FieldSpec &spec) {
  if (target.empty()) throw MappingError(target, "empty target path");
  if (!spec.parts.empty() && (!spec.from.empty() || spec.literal || spec.default_value ||
                              !spec.map.empty() || spec.as != ValueType::kAuto)) {
    throw MappingError(target,
                       "a list of fields cannot be combined with from/value/map/default/as");
  }
  if (spec.from.empty() && !spec.literal && !spec.default_value && spec.parts.empty()) {
    throw MappingError(target, "needs a source: a column/path, \"=literal\", from: or value:");
  }
  Leaf leaf{target, spec, -1, spec.map, {}};
  std::sort(leaf.sorted_map.begin(), leaf.sorted_map.end());
  // A literal or default must convert now, not on every record.
  for (const std::optional<std::string> *fixed : {&spec.literal, &spec.default_value}) {
    SourceValue converted;
    const char *reason = "";
    if (*fixed && !convert_value({ValueKind::kString, **fixed}, spec.as, converted, reason)) {
      throw MappingError(target, "value " + clipped_quoted(**fixed) + " " + reason);
    }
  }
  if (!spec.literal && !spec.from.empty()) leaf.path_index = path_index(spec.from);
  for (const std::string &part : spec.parts) {
    if (part.empty()) throw MappingError(target, "has an empty field name in its list");
    leaf.part_indices.push_back(path_index(part));
  }
  uint32_t node = 0;
  std::string_view rest = target;
  for (;;) {
    size_t dot = rest.find('.');
    if (nodes_[node].leaf >= 0) {
      throw MappingError(target, "conflicts with target '" + leaves_[nodes_[node].leaf].target +
                                     "', which is a value, not an object");
    }
    node = child_node(node, rest.substr(0, dot), target);
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (nodes_[node].leaf >= 0 || !nodes_[node].children.empty()) {
    throw MappingError(target, "is mapped twice (or is also the parent of another target)");
  }
  nodes_[node].leaf = static_cast<int32_t>(leaves_.size());
  if (target == "messageId") sets_message_id_ = true;
  leaves_.push_back(std::move(leaf));
}

int32_t RecordMapping::path_index(const std::string &path) {
  auto it = std::find(source_paths_.begin(), source_paths_.end(), path);
  int32_t index = static_cast<int32_t>(it - source_paths_.begin());
  if (it == source_paths_.end()) source_paths_.push_back(path);
  return index;
}

// A composite target: part values joined by ':', with '%' and ':' inside a
// value percent-escaped so the join is unambiguous.
bool RecordMapping::compose(size_t i, FieldLookup &lookup, std::string &error) const {
  const Leaf &leaf = leaves_[i];
  std::string &text = composed_[i];
  text.clear();
  for (size_t k = 0; k < leaf.part_indices.size(); ++k) {
    SourceValue v = lookup.field(static_cast<size_t>(leaf.part_indices[k]));
    const std::string &name = leaf.spec.parts[k];
    if (v.kind == ValueKind::kMissing || v.kind == ValueKind::kNull || v.kind == ValueKind::kJson) {
      error = "field " + clipped_quoted(name) + ", part " + std::to_string(k + 1) +
              " of mapping target '" + leaf.target + "', is " +
              (v.kind == ValueKind::kJson ? "an object/array" : "missing") +
              "; every part of a composite must be a present scalar";
      return false;
    }
    if (k > 0) text.push_back(':');
    for (char c : v.text) {
      if (c == '%') {
        text += "%25";
      } else if (c == ':') {
        text += "%3A";
      } else {
        text.push_back(c);
      }
    }
  }
  values_[i] = {ValueKind::kString, text};
  return true;
}

bool RecordMapping::resolve(const Leaf &leaf, FieldLookup &lookup, SourceValue &value,
                            std::string &error) const {
  const FieldSpec &spec = leaf.spec;
  SourceValue in;
  if (spec.literal) {
    in = {ValueKind::kString, *spec.literal};
  } else if (leaf.path_index >= 0) {
    in = lookup.field(static_cast<size_t>(leaf.path_index));
  }
  if (in.kind == ValueKind::kNull) in.kind = ValueKind::kMissing;
  if (in.kind == ValueKind::kMissing) {
    if (spec.default_value) {
      in = {ValueKind::kString, *spec.default_value};
    } else if (spec.required) {
      error = "required field " + describe_source(spec) + " (mapping target '" + leaf.target +
              "') is missing; add it to the record or set a default";
      return false;
    } else {
      value = in;
      return true;
    }
  } else if (!leaf.sorted_map.empty()) {
    if (in.kind == ValueKind::kJson) {
      error = "field " + describe_source(spec) + " (mapping target '" + leaf.target +
              "') is an object/array and cannot be looked up in map:";
      return false;
    }
    auto it = std::lower_bound(leaf.sorted_map.begin(), leaf.sorted_map.end(), in.text,
                               [](const std::pair<std::string, std::string> &e,
                                  std::string_view k) { return std::string_view(e.first) < k; });
    if (it != leaf.sorted_map.end() && it->first == in.text) {
      in = {ValueKind::kString, it->second};
    } else if (spec.default_value) {
      in = {ValueKind::kString, *spec.default_value};
    } else {
      error = "value " + clipped_quoted(in.text) + " of field " + describe_source(spec) +
              " has no entry in mapping." + leaf.target + ".map; add it or set a default";
      return false;
    }
  }
  const char *reason = "";
  if (!convert_value(in, spec.as, value, reason)) {
    error = std::string(kind_name(in.kind)) + " value " + clipped_quoted(in.text) + " of field " +
            describe_source(spec) + " (mapping target '" + leaf.target + "') " + reason;
    return false;
  }
  return true;
}

bool RecordMapping::write_node(uint32_t id, std::string &out) const {
  const Node &node = nodes_[id];
  if (node.leaf >= 0) {
    const SourceValue &v = values_[static_cast<size_t>(node.leaf)];
    if (v.kind == ValueKind::kMissing) return false;
    out += node.key_json;
    if (v.kind == ValueKind::kString) {
      append_json_string(out, v.text);
    } else {
      out += v.text;
    }
    return true;
  }
  size_t rollback = out.size();
  out += node.key_json;
  out.push_back('{');
  bool any = false;
  for (uint32_t c : node.children) {
    if (any) out.push_back(',');
    size_t before = out.size();
    if (write_node(c, out)) {
      any = true;
    } else if (any) {
      out.resize(before - 1);  // drop the comma written for it
    }
  }
  if (!any) {
    out.resize(rollback);
    return false;
  }
  out.push_back('}');
  return true;
}

bool RecordMapping::apply(FieldLookup &lookup, std::string_view message_id, std::string &out,
                          std::string &error) const {
  for (size_t i = 0; i < leaves_.size(); ++i) {
    if (!leaves_[i].part_indices.empty()) {
      if (!compose(i, lookup, error)) return false;
    } else if (!resolve(leaves_[i], lookup, values_[i], error)) {
      return false;
    }
  }
  out.clear();
  out.push_back('{');
  bool any = false;
  if (!sets_message_id_ && !message_id.empty()) {
    out += "\"messageId\":";
    append_json_string(out, message_id);
    any = true;
  }
  for (uint32_t c : nodes_[0].children) {
    if (any) out.push_back(',');
    size_t before = out.size();
    if (write_node(c, out)) {
      any = true;
    } else if (any) {
      out.resize(before - 1);
    }
  }
  out.push_back('}');
  return true;
}

}  // namespace halo::plugins
