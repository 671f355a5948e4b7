// program_rules.h -- the rules of a loyalty program: tiers (by points or
// spend), badges (tags such as `loyal` or `vip`) and the loyalty ladder
// (prospect -> customer -> client -> supporter -> advocate, after Christopher,
// Payne & Ballantyne, "Relationship Marketing", 1991). Every rule is a set
// of minimums over a window of a customer's activity; a badge may also ask
// for a spend percentile among all customers, fitted once per run.
//
// Invariants: a rule holds when every minimum it names holds (a rule naming
// none always holds); tiers are listed lowest first and a customer is in
// the last that holds; the ladder is read top down and its last rule names
// no minimum, so every profile has a stage; percentiles follow the rfm tie
// rule (customers with equal spend are treated alike).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "activity.h"

namespace halo::loyalty {

struct Minimums {
  int64_t orders = 0, points = 0, positive_feedback = 0, engagements = 0, referrals = 0;
  Decimal spend;
  int spend_percentile = 0;       // 0: none; p: spend at least that of p% of customers
  int64_t within_ms = INT64_MAX;  // the window the totals are over (INT64_MAX: all time)
  bool any() const;
};

struct Rule {
  std::string name;
  Minimums min;
};

// What a profile is, as of a reference time.
struct Standing {
  std::optional<std::string> tier;
  std::vector<std::string> badges;
  std::string stage;
  std::string reason;  // why the stage: the minimums of its rule and the values that met them
};

class ProgramRules {
 public:
  // Throws std::invalid_argument naming the list and rule when the ladder
  // is empty or its last rule names a minimum, or a tier or ladder rule
  // asks for a percentile (badges only).
  ProgramRules(std::vector<Rule> tiers, std::vector<Rule> badges, std::vector<Rule> ladder);

  // The population step: every customer's activity, then finish().
  void add_customer(const Activity &a, int64_t as_of_ms);
  void finish();
  // The spend a percentile badge needs (nullopt: no customer, or not a
  // percentile badge), for `halo model show`.
  std::optional<Decimal> percentile_spend(size_t badge) const;
  const std::vector<Rule> &badges() const { return badges_; }
  // A stored fit: percentile_spend of every badge, in order. False (and
  // unchanged) unless there is one per badge and only percentile badges
  // have one.
  bool set_percentile_spends(const std::vector<std::optional<Decimal>> &spends);

  Standing standing(const Activity *a, int64_t as_of_ms) const;
  // Every distinct window the rules use (for Activity::next_change).
  const std::vector<int64_t> &windows() const { return windows_; }

 private:
  bool holds(const Minimums &m, const Activity *a, int64_t as_of_ms,
             const std::optional<Decimal> &percentile) const;

  std::vector<Rule> tiers_, badges_, ladder_;
  std::vector<int64_t> windows_;
  std::vector<std::vector<Decimal>> spends_;            // per badge, while fitting
  std::vector<std::optional<Decimal>> percentile_min_;  // per badge, after finish()
};

}  // namespace halo::loyalty
