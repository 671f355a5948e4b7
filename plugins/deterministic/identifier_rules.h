// identifier_rules.h -- the identifier types a resolver knows, their priority
// (lower = stronger) and per-profile limit, plus types first met on events.
//
// Invariants:
//  - Configured types get ids 0..n-1 in option order; types met later on
//    events get the next ids, priority kUnknownPriority and limit
//    kUnknownMaxPerProfile.
//  - Rank comparison never depends on the order in which unknown types were
//    met (ties between unknown types break by name), so a resolver restored
//    from persisted links ranks exactly like one that never stopped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::deterministic {

struct IdentifierRule {
  std::string type;
  int64_t priority = 0;          // lower = stronger
  uint32_t max_per_profile = 0;  // >= 1
  // > 0: the limit holds within any window this long (ms): no span of
  // window_ms holds more than max_per_profile link times. 0: ever.
  int64_t window_ms = 0;
};

struct IdentifierTypeInfo {
  std::string name;
  int64_t priority = 0;
  uint32_t max_per_profile = 0;
  int64_t window_ms = 0;  // as IdentifierRule
  bool configured = false;
};

class IdentifierRules {
 public:
  static constexpr int64_t kUnknownPriority = 1000;
  static constexpr uint32_t kUnknownMaxPerProfile = 100;

  // Throws halo::ConfigError naming "identifiers[i].<key>" for an empty or
  // duplicate type, a negative priority or a limit below 1.
  explicit IdentifierRules(std::vector<IdentifierRule> configured);

  // Id of `type`; an unknown type is added with the default rule.
  uint32_t intern(std::string_view type);
  // Id of `type`, nullopt while unknown.
  std::optional<uint32_t> find(std::string_view type) const;
  const IdentifierTypeInfo &info(uint32_t type_id) const { return types_[type_id]; }
  size_t size() const { return types_.size(); }

  // True when type a is strictly stronger than type b: lower priority, then
  // configured before unknown, then option order (configured) or name
  // (unknown).
  bool stronger(uint32_t a, uint32_t b) const;
  // The limit as people write it: "5", or "5 per 7d" with a window.
  std::string limit_text(uint32_t type_id) const;
  bool any_window() const { return any_window_; }

 private:
  std::vector<IdentifierTypeInfo> types_;
  size_t configured_count_ = 0;
  bool any_window_ = false;
};

}  // namespace halo::deterministic
