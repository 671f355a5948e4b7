// program_rules.cpp -- see program_rules.h.
#include "program_rules.h"

#include <halo/units.hpp>

#include <algorithm>
#include <stdexcept>

namespace halo::loyalty {

namespace {

Totals totals_of(const Activity *a, int64_t as_of_ms, int64_t window_ms) {
  return a == nullptr ? Totals{} : a->totals(as_of_ms, window_ms);
}

std::string window_text(int64_t within_ms) {
  return within_ms == INT64_MAX ? "in all" : "in " + duration_text(within_ms);
}

void check_no_percentile(const std::vector<Rule> &rules, const char *list) {
  for (const Rule &r : rules) {
    if (r.min.spend_percentile != 0) {
      throw std::invalid_argument(std::string(list) + " rule '" + r.name +
                                  "': spend_percentile is for badges only");
    }
  }
}

// "5 orders in 365d (at least 4), 2 referrals in all (at least 1)".
std::string explain(const Minimums &m, const Totals &t) {
  std::string out;
  auto item = [&](int64_t need, int64_t have, const char *what) {
    if (need == 0) return;
    if (!out.empty()) out += ", ";
    out += std::to_string(have) + " " + what + " " + window_text(m.within_ms) + " (at least " +
           std::to_string(need) + ")";
  };
  item(m.orders, t.orders, "orders");
  item(m.points, t.points, "points");
  item(m.positive_feedback, t.positive_feedback, "positive feedback");
  item(m.engagements, t.engagements, "engagements");
  item(m.referrals, t.referrals, "referrals");
  if (m.spend.raw() > 0) {
    if (!out.empty()) out += ", ";
    out += "spend " + t.spend.to_string() + " " + window_text(m.within_ms) + " (at least " +
           m.spend.to_string() + ")";
  }
  return out;
}

}  // namespace

bool Minimums::any() const {
  return orders > 0 || points > 0 || positive_feedback > 0 || engagements > 0 || referrals > 0 ||
         spend.raw() > 0 || spend_percentile > 0;
}

ProgramRules::ProgramRules(std::vector<Rule> tiers, std::vector<Rule> badges,
                           std::vector<Rule> ladder)
    : tiers_(std::move(tiers)), badges_(std::move(badges)), ladder_(std::move(ladder)) {
  if (ladder_.empty()) throw std::invalid_argument("ladder: needs at least one stage");
  if (ladder_.back().min.any()) {
    throw std::invalid_argument("ladder: the last stage ('" + ladder_.back().name +
                                "') must name no minimum, so that every profile has a stage");
  }
  check_no_percentile(tiers_, "tiers");
  check_no_percentile(ladder_, "ladder");
  for (const auto *list : {&tiers_, &badges_, &ladder_}) {
    for (const Rule &r : *list) windows_.push_back(r.min.within_ms);
  }
  std::sort(windows_.begin(), windows_.end());
  windows_.erase(std::unique(windows_.begin(), windows_.end()), windows_.end());
  spends_.resize(badges_.size());
  percentile_min_.resize(badges_.size());
}

void ProgramRules::add_customer(const Activity &a, int64_t as_of_ms) {
  if (!a.has_purchase_by(as_of_ms)) return;
  for (size_t b = 0; b < badges_.size(); ++b) {
    if (badges_[b].min.spend_percentile != 0) {
      spends_[b].push_back(a.totals(as_of_ms, badges_[b].min.within_ms).spend);
    }
  }
}

bool ProgramRules::set_percentile_spends(const std::vector<std::optional<Decimal>> &spends) {
  if (spends.size() != badges_.size()) return false;
  for (size_t b = 0; b < badges_.size(); ++b) {
    if (spends[b] && badges_[b].min.spend_percentile == 0) return false;
  }
  percentile_min_ = spends;
  return true;
}

void ProgramRules::finish() {
  for (size_t b = 0; b < badges_.size(); ++b) {
    std::vector<Decimal> &s = spends_[b];
    std::sort(s.begin(), s.end());
    percentile_min_[b].reset();
    // The least spend v with (customers spending less than v) >= p% of all.
    const auto p = static_cast<size_t>(badges_[b].min.spend_percentile);
    for (size_t i = 0; p != 0 && i < s.size(); ++i) {
      if ((i == 0 || s[i - 1] < s[i]) && i * 100 >= p * s.size()) {
        percentile_min_[b] = s[i];
        break;
      }
    }
    s = {};
  }
}

std::optional<Decimal> ProgramRules::percentile_spend(size_t badge) const {
  return percentile_min_[badge];
}

bool ProgramRules::holds(const Minimums &m, const Activity *a, int64_t as_of_ms,
                         const std::optional<Decimal> &percentile) const {
  if (!m.any()) return true;
  const Totals t = totals_of(a, as_of_ms, m.within_ms);
  if (t.orders < m.orders || t.points < m.points || t.positive_feedback < m.positive_feedback ||
      t.engagements < m.engagements || t.referrals < m.referrals || t.spend < m.spend) {
    return false;
  }
  if (m.spend_percentile == 0) return true;
  return percentile && a != nullptr && a->has_purchase_by(as_of_ms) && !(t.spend < *percentile);
}

Standing ProgramRules::standing(const Activity *a, int64_t as_of_ms) const {
  Standing s;
  for (const Rule &t : tiers_) {
    if (holds(t.min, a, as_of_ms, std::nullopt)) s.tier = t.name;
  }
  for (size_t b = 0; b < badges_.size(); ++b) {
    if (holds(badges_[b].min, a, as_of_ms, percentile_min_[b])) s.badges.push_back(badges_[b].name);
  }
  for (const Rule &r : ladder_) {
    if (!holds(r.min, a, as_of_ms, std::nullopt)) continue;
    s.stage = r.name;
    s.reason = r.min.any() ? explain(r.min, totals_of(a, as_of_ms, r.min.within_ms))
                           : "no stage above it holds";
    break;
  }
  return s;
}

}  // namespace halo::loyalty
