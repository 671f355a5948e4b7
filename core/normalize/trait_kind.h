// trait_kind.h -- the kinds a trait can be declared to hold (`traits: {
// NAME: { kind: KIND } }`, docs/pipeline.md): the normalizer leaves a value
// of another kind out of the event (a dead letter says so), and segment
// expressions and trigger actions are checked against the declared kind.
//
// Invariant: every kind has exactly one name, and trait_kind_from_name()
// is its inverse.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace halo {

enum class TraitKind : uint8_t {
  kNumber,  // a JSON number
  kText,    // a JSON string
  kBool,    // true or false
  kTime,    // a JSON string holding an ISO 8601 time
};

inline constexpr std::array<std::string_view, 4> kTraitKindNames = {"number", "text", "bool",
                                                                    "time"};

inline std::string_view trait_kind_name(TraitKind k) {
  return kTraitKindNames[static_cast<size_t>(k)];
}

inline std::optional<TraitKind> trait_kind_from_name(std::string_view name) {
  for (size_t i = 0; i < kTraitKindNames.size(); ++i) {
    if (kTraitKindNames[i] == name) return static_cast<TraitKind>(i);
  }
  return std::nullopt;
}

}  // namespace halo
