// identifier_rules.cpp -- validation and ranking of identifier types; see
// identifier_rules.h for the invariants.
#include "identifier_rules.h"

#include <halo/sdk.hpp>

namespace halo::deterministic {

namespace {

std::string rule_path(size_t index, const char *key) {
  return "identifiers[" + std::to_string(index) + "]." + key;
}

}  // namespace

IdentifierRules::IdentifierRules(std::vector<IdentifierRule> configured) {
  if (configured.empty()) {
    throw ConfigError("identifiers",
                      "no identifier types configured; list at least one, e.g. "
                      "{ type: user_id, priority: 1, max_per_profile: 1 }");
  }
  for (size_t i = 0; i < configured.size(); ++i) {
    IdentifierRule &rule = configured[i];
    if (rule.type.empty()) {
      throw ConfigError(rule_path(i, "type"), "identifier type is empty; name it, e.g. email");
    }
    for (size_t j = 0; j < i; ++j) {
      if (types_[j].name == rule.type) {
        throw ConfigError(rule_path(i, "type"), "identifier type '" + rule.type +
                                                    "' is listed twice (also at identifiers[" +
                                                    std::to_string(j) + "]); keep one entry");
      }
    }
    if (rule.priority < 0) {
      throw ConfigError(rule_path(i, "priority"), "priority must be >= 0 (lower = stronger), got " +
                                                      std::to_string(rule.priority));
    }
    if (rule.max_per_profile < 1) {
      throw ConfigError(rule_path(i, "max_per_profile"),
                        "max_per_profile must be >= 1 for '" + rule.type + "'");
    }
    if (rule.window_ms < 0) {
      throw ConfigError(rule_path(i, "window"), "window must be a positive duration such as 7d");
    }
    any_window_ = any_window_ || rule.window_ms > 0;
    types_.push_back(
        {std::move(rule.type), rule.priority, rule.max_per_profile, rule.window_ms, true});
  }
  configured_count_ = types_.size();
}

std::optional<uint32_t> IdentifierRules::find(std::string_view type) const {
  // A linear scan beats hashing for the handful of types a pipeline uses.
  for (size_t i = 0; i < types_.size(); ++i) {
    if (types_[i].name == type) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

uint32_t IdentifierRules::intern(std::string_view type) {
  if (auto known = find(type)) return *known;
  types_.push_back({std::string(type), kUnknownPriority, kUnknownMaxPerProfile, 0, false});
  return static_cast<uint32_t>(types_.size() - 1);
}

std::string IdentifierRules::limit_text(uint32_t type_id) const {
  const IdentifierTypeInfo &t = types_[type_id];
  std::string text = std::to_string(t.max_per_profile);
  if (t.window_ms <= 0) return text;
  return text + " per " + duration_text(t.window_ms);
}

bool IdentifierRules::stronger(uint32_t a, uint32_t b) const {
  const IdentifierTypeInfo &x = types_[a];
  const IdentifierTypeInfo &y = types_[b];
  if (x.priority != y.priority) return x.priority < y.priority;
  if (x.configured != y.configured) return x.configured;
  if (x.configured) return a < b;  // option order
  return x.name < y.name;
}

}  // namespace halo::deterministic
