// deterministic_plugin.cpp -- the `deterministic` resolver plugin: a thin
// adapter from the SDK (options, batches, resolution output) to
// IdentityGraph. All rules live in identity_graph.cpp.
//
// Invariants: options are read only in the constructor; no exception leaves
// this file except through the SDK adapter, which turns it into a status.
#include <halo/sdk.hpp>

#include <vector>

#include "identity_graph.h"

namespace halo::deterministic {
namespace {

// Reads `identifiers: [{type, priority, max_per_profile, window, ...}]`;
// other keys (kind, paths, default_region) belong to the kernel.
std::vector<IdentifierRule> read_rules(const Host &host) {
  int n = host.opt_size("identifiers");
  if (n <= 0) {
    throw ConfigError("identifiers",
                      "expected a non-empty list of { type, priority, max_per_profile }");
  }
  std::vector<IdentifierRule> rules;
  for (int i = 0; i < n; ++i) {
    std::string base = "identifiers[" + std::to_string(i) + "].";
    auto type = host.opt_string(base + "type");
    if (!type) throw ConfigError(base + "type", "missing identifier type, e.g. type: email");
    IdentifierRule rule;
    rule.type = std::string(*type);
    rule.priority = host.opt_int(base + "priority").value_or(i + 1);
    int64_t max =
        host.opt_int(base + "max_per_profile").value_or(IdentifierRules::kUnknownMaxPerProfile);
    if (max < 1 || max > UINT32_MAX) {
      throw ConfigError(
          base + "max_per_profile",
          "max_per_profile must be between 1 and 4294967295, got " + std::to_string(max));
    }
    rule.max_per_profile = static_cast<uint32_t>(max);
    if (host.opt_string(base + "window")) {
      rule.window_ms = host.duration_option(base + "window").count();
      if (rule.window_ms <= 0) {
        throw ConfigError(base + "window", "window must be a positive duration such as 7d");
      }
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

// Forwards graph decisions to the kernel's resolution output.
class KernelSink final : public ResolutionSink {
 public:
  explicit KernelSink(const Resolution &out) : out_(out) {}
  uint64_t new_profile() override { return out_.new_profile(); }
  void assign(size_t event, uint64_t profile) override { out_.assign(event, profile); }
  void link(size_t event, std::string_view type, std::string_view value,
            uint64_t profile) override {
    out_.link(event, type, value, profile);
  }
  void merge(uint64_t from, uint64_t into, size_t event) override { out_.merge(from, into, event); }
  void conflict(size_t event, std::string_view type, std::string_view value, uint64_t profile,
                const std::string &reason) override {
    out_.conflict(event, type, value, profile, reason);
  }

 private:
  const Resolution &out_;
};

class DeterministicResolver final : public Resolver {
 public:
  explicit DeterministicResolver(Host host)
      : Resolver(host), graph_(IdentifierRules(read_rules(host))) {}

  void restore(const halo_identity_link *links, size_t n) override {
    graph_.forget_restored();
    for (size_t i = 0; i < n; ++i) {
      const halo_identity_link &l = links[i];
      graph_.restore_link(std::string_view(l.type, l.type_len),
                          std::string_view(l.value, l.value_len), l.profile_id);
    }
  }

  // The times of the links restore() just took (ABI 1.2 restore_times).
  void restore_times(const int64_t *timestamps_ms, size_t n) {
    graph_.restore_times(std::span<const int64_t>(timestamps_ms, n));
  }

  void resolve(const Batch &batch, const Resolution &out) override {
    KernelSink sink(out);
    size_t n = batch.size();
    size_t unidentified = 0;
    constexpr size_t kAhead = 4;  // events whose lookups are started early
    for (size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) prefetch_identifiers(batch, i + kAhead);
      ids_.clear();
      size_t count = batch.identifier_count(i);
      for (size_t k = 0; k < count; ++k) {
        auto [type, value] = batch.identifier(i, k);
        ids_.push_back({type, value});
      }
      if (ids_.empty()) ++unidentified;
      graph_.resolve_event(i, batch.timestamp_ms(i), ids_, sink);
    }
    if (unidentified > 0) {
      host().metric("deterministic.unidentified_events", static_cast<double>(unidentified));
    }
  }

 private:
  // Always inlined, as IdentityGraph::prefetch.
  [[gnu::always_inline]] void prefetch_identifiers(const Batch &batch, size_t event) const {
    for (size_t k = 0, count = batch.identifier_count(event); k < count; ++k) {
      auto [type, value] = batch.identifier(event, k);
      graph_.prefetch(type, value);
    }
  }

  IdentityGraph graph_;
  std::vector<IdentifierRef> ids_;  // reused per event: no allocation per event
};

constexpr halo_option_decl kOptions[] = {
    option(HALO_OPT_LIST, "identifiers", nullptr, true,
           "Identifier types as { type, priority (lower = stronger), max_per_profile, window "
           "(optional duration: the limit holds within any window this long) }; the kernel "
           "passes identity.identifiers here"),
};

}  // namespace
}  // namespace halo::deterministic

HALO_PLUGIN_LIBRARY(halo::describe_resolver<halo::deterministic::DeterministicResolver>(
    "deterministic", "1.1.0",
    "Deterministic identity resolution: exact identifier matches, priorities, merge limits",
    halo::deterministic::kOptions, HALO_CAP_PARTIAL_RESTORE))
