// linkage_config.cpp -- strict reading of the probabilistic resolver's
// configuration; see linkage_config.h.
#include "linkage_config.h"

#include <algorithm>

#include "config/map_reader.h"
#include "config/scalar_parse.h"

namespace halo::linkage {

namespace {

const std::vector<std::string> kConfigKeys = {"fields",
                                              "blocking",
                                              "link_probability",
                                              "review_probability",
                                              "max_block_records",
                                              "u_sample_pairs",
                                              "em_max_iterations",
                                              "seed"};

struct TransformName {
  KeyTransform transform;
  const char *name;
};
constexpr TransformName kTransforms[] = {{KeyTransform::kValue, "value"},
                                         {KeyTransform::kSoundex, "soundex"},
                                         {KeyTransform::kFirst3, "first3"},
                                         {KeyTransform::kYear, "year"},
                                         {KeyTransform::kSkeleton, "skeleton"}};

std::string compare_names() {
  std::string all;
  for (Compare c : {Compare::kExact, Compare::kCode, Compare::kName, Compare::kText, Compare::kDate,
                    Compare::kNumber}) {
    all += all.empty() ? "" : ", ";
    all += compare_name(c);
  }
  return all;
}

// A probability strictly between 0 and 1.
bool read_probability(MapReader &map, Diagnostics &diags, const std::string &key, double &out) {
  if (!map.has(key)) return false;
  const YAML::Node v = map.value(key);
  const std::optional<double> p =
      v.IsScalar() ? parse_strict_float(v.Scalar()) : std::optional<double>();
  if (!p || !(*p > 0 && *p < 1)) {
    diags.error(map.value_mark(key), map.path_of(key),
                "expected a probability between 0 and 1 (exclusive), got " + describe_node(v));
    return false;
  }
  out = *p;
  return true;
}

void read_field(const YAML::Node &node, const std::string &path, const Mark &at, Diagnostics &diags,
                LinkageConfig &out) {
  MapReader field(node, path, {"column", "compare", "near", "swap_with"}, diags, at);
  if (!field.is_mapping()) return;
  FieldRule rule;
  field.require("column", "column: surname");
  field.read_string("column", rule.column);
  std::string compare;
  if (field.require("compare", "compare: name") && field.read_string("compare", compare)) {
    if (const auto c = compare_from_name(compare)) {
      rule.compare = *c;
    } else {
      diags.error(field.value_mark("compare"), field.path_of("compare"),
                  "unknown comparator '" + shorten_for_message(compare) + "' (one of " +
                      compare_names() + ")");
    }
  }
  if (field.has("near")) {
    const YAML::Node v = field.value("near");
    const std::optional<double> near =
        v.IsScalar() ? parse_strict_float(v.Scalar()) : std::optional<double>();
    if (rule.compare != Compare::kNumber) {
      diags.error(field.value_mark("near"), field.path_of("near"),
                  "'near' applies only to compare: number");
    } else if (!near || !(*near >= 0)) {
      diags.error(field.value_mark("near"), field.path_of("near"),
                  "expected a number >= 0, got " + describe_node(v));
    } else {
      rule.near = *near;
    }
  }
  field.read_string("swap_with", rule.swap_with);
  out.fields.push_back(rule);
}

// Every swap_with names another field of the same comparator.
void check_swaps(const YAML::Node &fields, const std::string &path, const Mark &at,
                 Diagnostics &diags, const LinkageConfig &out) {
  for (size_t i = 0; i < out.fields.size(); ++i) {
    const FieldRule &rule = out.fields[i];
    if (rule.swap_with.empty()) continue;
    auto partner = std::find_if(out.fields.begin(), out.fields.end(),
                                [&](const FieldRule &f) { return f.column == rule.swap_with; });
    if (partner != out.fields.end() && partner->compare == rule.compare &&
        rule.swap_with != rule.column) {
      continue;
    }
    diags.error(mark_or(fields[i]["swap_with"], at), index_path(path, i) + ".swap_with",
                "'" + shorten_for_message(rule.swap_with) +
                    "' must be another field of this list with the same compare");
  }
}

bool parse_key_part(const std::string &text, KeyPart &part) {
  const size_t colon = text.find(':');
  part.column = text.substr(0, colon);
  if (part.column.empty()) return false;
  if (colon == std::string::npos) return true;
  const std::string name = text.substr(colon + 1);
  for (const TransformName &t : kTransforms) {
    if (name == t.name) {
      part.transform = t.transform;
      return true;
    }
  }
  return false;
}

void read_blocking(MapReader &map, Diagnostics &diags, LinkageConfig &out) {
  const YAML::Node keys = map.value("blocking");
  if (!expect_list(keys, map.path_of("blocking"), map.value_mark("blocking"), diags,
                   "a list of blocking keys, each a list of COLUMN[:TRANSFORM]")) {
    return;
  }
  if (keys.size() == 0 || keys.size() > kMaxBlockingKeys) {
    diags.error(map.value_mark("blocking"), map.path_of("blocking"),
                "expected 1 to " + std::to_string(kMaxBlockingKeys) + " blocking keys");
    return;
  }
  for (size_t k = 0; k < keys.size(); ++k) {
    const std::string path = index_path(map.path_of("blocking"), k);
    const Mark at = mark_or(keys[k], map.value_mark("blocking"));
    if (!expect_list(keys[k], path, at, diags, "a list of COLUMN[:TRANSFORM]")) continue;
    if (keys[k].size() == 0 || keys[k].size() > kMaxKeyParts) {
      diags.error(at, path, "expected 1 to " + std::to_string(kMaxKeyParts) + " key parts");
      continue;
    }
    std::vector<KeyPart> key;
    for (size_t p = 0; p < keys[k].size(); ++p) {
      std::string text;
      if (!read_string_node(keys[k][p], index_path(path, p), at, diags, text)) continue;
      KeyPart part;
      if (!parse_key_part(text, part)) {
        diags.error(mark_or(keys[k][p], at), index_path(path, p),
                    "expected COLUMN or COLUMN:TRANSFORM (value, soundex, first3, year, "
                    "skeleton), got '" +
                        shorten_for_message(text) + "'");
        continue;
      }
      key.push_back(part);
    }
    out.blocking.push_back(std::move(key));
  }
}

}  // namespace

void read_linkage_config(const YAML::Node &node, const Mark &at, Diagnostics &diags,
                         LinkageConfig &out, const std::string &path) {
  out = {};
  MapReader map(node, path, kConfigKeys, diags, at);
  if (!map.is_mapping()) return;
  map.require("fields", "fields: [{ column: surname, compare: name }]");
  const YAML::Node fields = map.value("fields");
  if (expect_list(fields, map.path_of("fields"), map.value_mark("fields"), diags,
                  "a list of { column, compare }")) {
    if (fields.size() == 0 || fields.size() > kMaxFields) {
      diags.error(map.value_mark("fields"), map.path_of("fields"),
                  "expected 1 to " + std::to_string(kMaxFields) + " fields");
    } else {
      for (size_t i = 0; i < fields.size(); ++i) {
        read_field(fields[i], index_path(map.path_of("fields"), i),
                   mark_or(fields[i], map.value_mark("fields")), diags, out);
      }
      if (out.fields.size() == fields.size())
        check_swaps(fields, map.path_of("fields"), map.value_mark("fields"), diags, out);
    }
  }
  map.require("blocking", "blocking: [[surname:soundex, postcode]]");
  if (map.has("blocking")) read_blocking(map, diags, out);
  read_probability(map, diags, "link_probability", out.link_probability);
  read_probability(map, diags, "review_probability", out.review_probability);
  if (out.review_probability > out.link_probability) {
    diags.error(map.value_mark("review_probability"), map.path_of("review_probability"),
                "must not be above link_probability");
  }
  int64_t value = 0;
  if (map.read_int("max_block_records", value, 2, 1'000'000)) {
    out.max_block_records = static_cast<size_t>(value);
  }
  if (map.read_int("u_sample_pairs", value, 1000, 100'000'000)) {
    out.u_sample_pairs = static_cast<size_t>(value);
  }
  if (map.read_int("em_max_iterations", value, 1, 10'000)) {
    out.em_max_iterations = static_cast<int>(value);
  }
  if (map.read_int("seed", value, 0, INT64_MAX)) out.seed = static_cast<uint64_t>(value);
}

std::string key_part_text(const KeyPart &part) {
  for (const TransformName &t : kTransforms) {
    if (t.transform == part.transform && t.transform != KeyTransform::kValue) {
      return part.column + ":" + t.name;
    }
  }
  return part.column;
}

}  // namespace halo::linkage
