// identity_config.cpp -- reading and defaulting the identity section.
#include "config/identity_config.h"

#include <cctype>
#include <set>

#include <halo/units.hpp>

#include "config/map_reader.h"
#include "config/scalar_parse.h"

namespace halo {
namespace {

const std::vector<std::string> kIdentityKeys = {"resolver", "config", "identifiers", "linkage"};
const std::vector<std::string> kIdentifierKeys = {
    "type",   "priority",           "max_per_profile", "kind", "paths", "default_region",
    "ignore", "block_placeholders", "quarantine_after"};
const std::vector<std::string> kKinds = {"email", "phone", "text"};

bool is_identifier_type(const std::string &s) {
  for (char c : s) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return !s.empty();
}

std::string default_kind(const std::string &type) {
  if (type == "email" || type == "phone") return type;
  return "text";
}

IdentifierSpec make_default(const std::string &type, int priority, int max_per_profile) {
  IdentifierSpec spec;
  spec.type = type;
  spec.priority = priority;
  spec.max_per_profile = max_per_profile;
  spec.kind = default_kind(type);
  spec.paths = default_identifier_paths(type);
  return spec;
}

void read_kind(MapReader &map, IdentifierSpec &spec, Diagnostics &diags) {
  std::string kind;
  if (!map.read_string("kind", kind)) return;
  for (const std::string &k : kKinds) {
    if (k == kind) {
      spec.kind = kind;
      return;
    }
  }
  diags.error(
      map.value_mark("kind"), map.path_of("kind"),
      "unknown identifier kind '" + shorten_for_message(kind) + "' (use email, phone or text)");
}

// `max_per_profile: N` (ever) or `max_per_profile: N per DURATION` (at
// most N identifiers the profile took within any DURATION, e.g. 5 per 7d).
void read_limit(MapReader &map, IdentifierSpec &spec, Diagnostics &diags) {
  constexpr int64_t kMaxLimit = 1'000'000;
  const YAML::Node v = map.value("max_per_profile");
  if (!v.IsDefined() || !v.IsScalar() || v.Scalar().find(" per ") == std::string::npos) {
    int64_t value = 0;
    if (map.read_int("max_per_profile", value, 1, kMaxLimit)) {
      spec.max_per_profile = static_cast<int>(value);
    }
    return;
  }
  const std::string &text = v.Scalar();
  const size_t per = text.find(" per ");
  std::optional<int64_t> count = parse_strict_int(text.substr(0, per));
  std::optional<int64_t> window = parse_duration_ms(text.substr(per + 5));
  if (!count || *count < 1 || *count > kMaxLimit || !window || *window < kMinWindowMs ||
      *window > kMaxWindowMs) {
    diags.error(map.value_mark("max_per_profile"), map.path_of("max_per_profile"),
                "max_per_profile '" + shorten_for_message(text) +
                    "' must be a count from 1 to 1000000, or a count per duration from 1m to "
                    "3660d such as 5 per 7d");
    return;
  }
  spec.max_per_profile = static_cast<int>(*count);
  spec.limit_window_ms = *window;
}

void read_block_placeholders(MapReader &map, IdentifierSpec &spec, Diagnostics &diags) {
  if (!map.has("block_placeholders")) return;
  const YAML::Node v = map.value("block_placeholders");
  const std::optional<bool> on = v.IsScalar() ? parse_strict_bool(v.Scalar()) : std::nullopt;
  if (!on) {
    diags.error(map.value_mark("block_placeholders"), map.path_of("block_placeholders"),
                "expected true or false, got " + describe_node(v));
    return;
  }
  spec.block_placeholders = *on;
}

void read_region(MapReader &map, IdentifierSpec &spec, Diagnostics &diags) {
  std::string region;
  if (!map.read_string("default_region", region)) return;
  const bool two_letters = region.size() == 2 &&
                           std::isalpha(static_cast<unsigned char>(region[0])) &&
                           std::isalpha(static_cast<unsigned char>(region[1]));
  if (!two_letters) {
    diags.error(map.value_mark("default_region"), map.path_of("default_region"),
                "expected a 2-letter country code such as IR or DE, got '" +
                    shorten_for_message(region) + "'");
    return;
  }
  for (char &c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  spec.default_region = region;
}

// Reads identifiers[index]; returns false when the entry is unusable.
bool read_identifier(const YAML::Node &node, size_t index, const std::string &list_path,
                     const Mark &list_mark, Diagnostics &diags, IdentifierSpec &spec) {
  MapReader map(node, index_path(list_path, index), kIdentifierKeys, diags,
                mark_or(node, list_mark));
  if (!map.is_mapping() || !map.require("type", "type: email")) return false;
  if (!map.read_string("type", spec.type)) return false;
  if (!is_identifier_type(spec.type)) {
    diags.error(map.value_mark("type"), map.path_of("type"),
                "identifier type '" + shorten_for_message(spec.type) +
                    "' must match [a-z0-9_]+ (e.g. woo_customer_id)");
    return false;
  }
  if (spec.type == "linked") {
    diags.error(map.value_mark("type"), map.path_of("type"),
                "identifier type 'linked' is reserved for the links of identity.linkage "
                "(choose another name)");
    return false;
  }
  spec.priority = static_cast<int>((index + 1) * 10);
  spec.max_per_profile = 100;
  spec.kind = default_kind(spec.type);
  spec.paths = default_identifier_paths(spec.type);
  int64_t value = 0;
  if (map.read_int("priority", value, -1000000, 1000000)) spec.priority = static_cast<int>(value);
  read_limit(map, spec, diags);
  if (map.read_int("quarantine_after", value, 0, 1000000)) {
    spec.quarantine_after = static_cast<uint32_t>(value);
  }
  read_kind(map, spec, diags);
  map.read_string_list("paths", spec.paths);
  map.read_string_list("ignore", spec.ignore);
  read_block_placeholders(map, spec, diags);
  read_region(map, spec, diags);
  return true;
}

void read_identifiers(const MapReader &identity, Diagnostics &diags, PipelineConfig &cfg) {
  const YAML::Node list = identity.value("identifiers");
  const std::string path = identity.path_of("identifiers");
  const Mark at = identity.value_mark("identifiers");
  if (!list.IsDefined()) return;  // defaults stay
  if (list.IsNull() || (list.IsSequence() && list.size() == 0)) {
    diags.error(at, path, "the list is empty (remove the key to use the default identifiers)");
    return;
  }
  if (!expect_list(list, path, at, diags, "a list of identifier entries")) return;
  std::vector<IdentifierSpec> specs;
  std::set<std::string> types;
  for (size_t i = 0; i < list.size(); ++i) {
    IdentifierSpec spec;
    if (!read_identifier(list[i], i, path, at, diags, spec)) continue;
    if (!types.insert(spec.type).second) {
      diags.error(mark_or(list[i], at), index_path(path, i) + ".type",
                  "identifier type '" + spec.type + "' is listed twice (keep one entry)");
      continue;
    }
    specs.push_back(std::move(spec));
  }
  cfg.identifiers = std::move(specs);
}

}  // namespace

std::vector<std::string> default_identifier_paths(const std::string &type) {
  if (type == "user_id") return {"userId", "traits.user_id", "context.traits.user_id"};
  if (type == "anonymous_id") return {"anonymousId"};
  return {"traits." + type, "context.traits." + type, "properties." + type};
}

std::vector<IdentifierSpec> default_identifiers() {
  return {make_default("user_id", 1, 1), make_default("email", 2, 5), make_default("phone", 3, 3),
          make_default("anonymous_id", 9, 100)};
}

void read_identity(const YAML::Node &node, const Mark &fallback, Diagnostics &diags,
                   PipelineConfig &cfg) {
  cfg.identifiers = default_identifiers();
  cfg.resolver_config.reset(YAML::Node(YAML::NodeType::Map));
  MapReader identity(node, "identity", kIdentityKeys, diags, fallback);
  cfg.resolver_mark = identity.mark();
  if (!identity.is_mapping()) return;
  if (identity.read_string("resolver", cfg.resolver)) {
    cfg.resolver_mark = identity.value_mark("resolver");
  }
  identity.read_mapping("config", cfg.resolver_config, cfg.resolver_config_mark);
  if (!identity.has("config")) cfg.resolver_config_mark = cfg.resolver_mark;
  read_identifiers(identity, diags, cfg);
  // Checked by the pipeline (linkage/linkage_config.h), as a plugin's options are.
  if (identity.has("linkage")) {
    cfg.has_linkage = identity.read_mapping("linkage", cfg.linkage, cfg.linkage_mark);
  }
}

}  // namespace halo
