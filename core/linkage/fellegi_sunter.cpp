// fellegi_sunter.cpp -- the model and its EM fit; see fellegi_sunter.h.
#include "fellegi_sunter.h"

#include <algorithm>
#include <cmath>

namespace halo::linkage {

namespace {

constexpr double kFloor = 1e-6;

double clamp_probability(double p) {
  return std::clamp(p, kFloor, 1 - kFloor);
}

// Scales v to sum to 1 with every entry within the floor.
void normalize(std::vector<double> &v) {
  double sum = 0;
  for (double &x : v) sum += (x = clamp_probability(x));
  for (double &x : v) x /= sum;
}

// counts plus prior pseudo-counts, as shares summing to 1.
std::vector<double> shares(const std::vector<double> &counts, const std::vector<double> &prior) {
  std::vector<double> out(counts.size());
  double total = 0;
  for (size_t l = 0; l < counts.size(); ++l) total += out[l] = counts[l] + prior[l];
  for (double &x : out) x = total > 0 ? x / total : 1.0 / static_cast<double>(out.size());
  normalize(out);
  return out;
}

std::vector<double> scaled(std::vector<double> v, double factor) {
  for (double &x : v) x *= factor;
  return v;
}

}  // namespace

double Model::field_weight(size_t field, uint8_t level) const {
  if (level == kMissing) return 0;
  return std::log2(fields[field].m[level] / fields[field].u[level]);
}

double Model::weight(Pattern p) const {
  double w = 0;
  for (size_t f = 0; f < fields.size(); ++f) w += field_weight(f, level_of(p, f));
  return w;
}

double Model::match_probability(Pattern p) const {
  // In odds form, which stays finite where the products would underflow.
  const double log2_odds = weight(p) + std::log2(lambda / (1 - lambda));
  if (log2_odds > 60) return 1.0;
  if (log2_odds < -60) return 0.0;
  const double odds = std::exp2(log2_odds);
  return odds / (1 + odds);
}

Model initial_model(const std::vector<std::vector<uint64_t>> &u_counts) {
  Model model;
  for (const std::vector<uint64_t> &counts : u_counts) {
    FieldParameters field;
    const size_t levels = counts.size();
    uint64_t total = 0;
    for (uint64_t c : counts) total += c;
    for (size_t l = 0; l < levels; ++l) {
      // Laplace smoothing: a level no sampled pair showed is rare, not impossible.
      field.u.push_back((static_cast<double>(counts[l]) + 1) / static_cast<double>(total + levels));
      field.m.push_back(l == 0 ? 0.9 : 0.1 / static_cast<double>(levels - 1));
    }
    normalize(field.u);
    normalize(field.m);
    model.fields.push_back(std::move(field));
  }
  return model;
}

void fit_model(Model &model, const std::vector<std::pair<Pattern, uint64_t>> &patterns,
               int max_iterations) {
  const size_t n_fields = model.fields.size();
  std::vector<std::vector<double>> u_prior(n_fields);
  for (size_t f = 0; f < n_fields; ++f) u_prior[f] = model.fields[f].u;
  model.converged = false;
  for (model.iterations = 0; model.iterations < max_iterations && !model.converged;) {
    ++model.iterations;
    // E step: each pattern's expected matches and non-matches, counted per
    // field level.
    std::vector<std::vector<double>> matched(n_fields), unmatched(n_fields);
    for (size_t f = 0; f < n_fields; ++f) {
      matched[f].assign(model.fields[f].m.size(), 0.0);
      unmatched[f].assign(model.fields[f].u.size(), 0.0);
    }
    double matches = 0, pairs = 0;
    for (const auto &[pattern, count] : patterns) {
      const double p = model.match_probability(pattern), n = static_cast<double>(count);
      matches += p * n;
      pairs += n;
      for (size_t f = 0; f < n_fields; ++f) {
        const uint8_t level = level_of(pattern, f);
        if (level == kMissing) continue;
        matched[f][level] += p * n;
        unmatched[f][level] += (1 - p) * n;
      }
    }
    if (pairs == 0) return;
    // M step.
    double moved = std::fabs(clamp_probability(matches / pairs) - model.lambda);
    model.lambda = clamp_probability(matches / pairs);
    for (size_t f = 0; f < n_fields; ++f) {
      FieldParameters next;
      next.m = shares(matched[f], std::vector<double>(matched[f].size(), 0.5));
      next.u = shares(unmatched[f], scaled(u_prior[f], kUPriorPairs));
      for (size_t l = 0; l < next.m.size(); ++l) {
        moved = std::max({moved, std::fabs(next.m[l] - model.fields[f].m[l]),
                          std::fabs(next.u[l] - model.fields[f].u[l])});
      }
      model.fields[f] = std::move(next);
    }
    model.converged = moved <= 1e-7;
  }
}

}  // namespace halo::linkage
