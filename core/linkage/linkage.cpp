// linkage.cpp -- the linkage run; see linkage.h.
#include "linkage.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <unordered_map>

#include <xxhash.h>

#include "blocking.h"

namespace halo::linkage {

namespace {

struct Prepared {
  std::vector<Compare> compares;
  std::vector<double> nears;
  std::vector<size_t> swaps;  // per field: its swap_with field, or kNoSwap
  // values[row * fields + field]
  std::vector<PreparedValue> values;
  size_t fields = 0;
  static constexpr size_t kNoSwap = SIZE_MAX;

  // Symmetric in a and b (the pair's orientation follows row order, which
  // must not matter). With a swap partner g: the best of f~f, f~g and g~f;
  // kMissing (7) is above every level, so a real comparison wins over none.
  uint8_t level(size_t f, uint32_t a, uint32_t b) const {
    auto cmp = [&](size_t fa, size_t fb) {
      return compare_values(compares[f], nears[f], values[a * fields + fa],
                            values[b * fields + fb]);
    };
    const uint8_t direct = cmp(f, f);
    if (direct == 0 || swaps[f] == kNoSwap) return direct;
    return std::min({direct, cmp(f, swaps[f]), cmp(swaps[f], f)});
  }

  Pattern pattern(uint32_t a, uint32_t b) const {
    Pattern p = 0;
    for (size_t f = 0; f < fields; ++f) p = with_level(p, f, level(f, a, b));
    return p;
  }
};

bool resolve_column(const RecordTable &table, const std::string &name, size_t &index,
                    std::string &error) {
  const int c = table.column(name);
  if (c < 0) {
    error = "the configuration names column '" + name + "', which the data does not have";
    return false;
  }
  index = static_cast<size_t>(c);
  return true;
}

// Row indices sorted by the rows' content (equal rows are interchangeable).
std::vector<uint32_t> content_order(const RecordTable &table) {
  std::vector<std::pair<uint64_t, uint32_t>> hashed;
  hashed.reserve(table.rows.size());
  std::string joined;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    joined.clear();
    for (const std::string &field : table.rows[r]) joined.append(field).push_back('\x1f');
    hashed.emplace_back(XXH3_64bits(joined.data(), joined.size()), static_cast<uint32_t>(r));
  }
  std::sort(hashed.begin(), hashed.end(), [&](const auto &a, const auto &b) {
    return a.first != b.first ? a.first < b.first : table.rows[a.second] < table.rows[b.second];
  });
  std::vector<uint32_t> order;
  order.reserve(hashed.size());
  for (const auto &h : hashed) order.push_back(h.second);
  return order;
}

// Level counts per field over random distinct pairs (all pairs when there
// are fewer than `wanted`).
std::vector<std::vector<uint64_t>> sample_u_counts(const Prepared &prep, const RecordTable &table,
                                                   size_t wanted, uint64_t seed, size_t &sampled) {
  const size_t rows = table.rows.size();
  std::vector<std::vector<uint64_t>> counts(prep.fields);
  for (size_t f = 0; f < prep.fields; ++f) counts[f].assign(level_count(prep.compares[f]), 0);
  auto count = [&](uint32_t a, uint32_t b) {
    const Pattern p = prep.pattern(a, b);
    for (size_t f = 0; f < prep.fields; ++f) {
      const uint8_t level = level_of(p, f);
      if (level != kMissing) ++counts[f][level];
    }
  };
  const uint64_t all = rows < 2 ? 0 : uint64_t{rows} * (rows - 1) / 2;
  sampled = 0;
  if (all <= wanted) {
    for (uint32_t a = 0; a < rows; ++a) {
      for (uint32_t b = a + 1; b < rows; ++b, ++sampled) count(a, b);
    }
    return counts;
  }
  // Positions drawn from the seed name rows in content order, so the sample
  // (and with it every result) does not depend on the order of the rows.
  const std::vector<uint32_t> by_content = content_order(table);
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<uint32_t> pick(0, static_cast<uint32_t>(rows - 1));
  while (sampled < wanted) {
    const uint32_t a = pick(random), b = pick(random);
    if (a == b) continue;
    count(by_content[a], by_content[b]);
    ++sampled;
  }
  return counts;
}

uint32_t find_root(std::vector<uint32_t> &parent, uint32_t x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

std::vector<uint32_t> clusters_of(size_t rows, const std::vector<ScoredPair> &links) {
  std::vector<uint32_t> parent(rows);
  std::iota(parent.begin(), parent.end(), 0u);
  for (const ScoredPair &link : links) {
    const uint32_t a = find_root(parent, link.a), b = find_root(parent, link.b);
    // The smaller index is the root, so a cluster is named by its first row.
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  for (uint32_t r = 0; r < rows; ++r) parent[r] = find_root(parent, r);
  return parent;
}

// Every configured field of every row, ready to compare. False with `error`
// when a column is missing.
bool prepare(const RecordTable &table, const LinkageConfig &config, Prepared &prep,
             std::string &error) {
  prep.fields = config.fields.size();
  std::vector<size_t> field_columns(prep.fields);
  for (size_t f = 0; f < prep.fields; ++f) {
    if (!resolve_column(table, config.fields[f].column, field_columns[f], error)) return false;
    prep.compares.push_back(config.fields[f].compare);
    prep.nears.push_back(config.fields[f].near);
    prep.swaps.push_back(Prepared::kNoSwap);
    for (size_t g = 0; g < config.fields.size(); ++g) {
      if (!config.fields[f].swap_with.empty() &&
          config.fields[g].column == config.fields[f].swap_with) {
        prep.swaps[f] = g;
      }
    }
  }
  prep.values.reserve(table.rows.size() * prep.fields);
  for (const auto &row : table.rows) {
    for (size_t f = 0; f < prep.fields; ++f) {
      prep.values.push_back(prepare_value(prep.compares[f], row[field_columns[f]]));
    }
  }
  return true;
}

}  // namespace

bool compare_rows(const RecordTable &table, const LinkageConfig &config, uint32_t a, uint32_t b,
                  Pattern &out, std::string &error) {
  Prepared prep;
  if (!prepare(table, config, prep, error)) return false;
  if (a >= table.rows.size() || b >= table.rows.size()) {
    error = "no such row";
    return false;
  }
  out = prep.pattern(a, b);
  return true;
}

bool link_records(const RecordTable &table, const LinkageConfig &config, LinkageResult &out,
                  std::string &error) {
  out = {};
  const size_t rows = table.rows.size();
  Prepared prep;
  if (!prepare(table, config, prep, error)) return false;
  std::vector<std::vector<ResolvedKeyPart>> keys;
  for (const auto &key : config.blocking) {
    std::vector<ResolvedKeyPart> resolved;
    for (const KeyPart &part : key) {
      size_t column = 0;
      if (!resolve_column(table, part.column, column, error)) return false;
      resolved.push_back({column, part.transform});
    }
    keys.push_back(std::move(resolved));
  }
  CandidatePairs candidates = candidate_pairs(table.rows, keys, config.max_block_records);
  out.candidate_pairs = candidates.pairs.size();
  out.skipped_blocks = candidates.skipped_blocks;
  out.largest_block = candidates.largest_block;

  std::vector<Pattern> patterns(candidates.pairs.size());
  std::unordered_map<Pattern, uint64_t> pattern_counts;
  for (size_t i = 0; i < candidates.pairs.size(); ++i) {
    patterns[i] = prep.pattern(pair_first(candidates.pairs[i]), pair_second(candidates.pairs[i]));
    ++pattern_counts[patterns[i]];
  }
  // Sorted, so the EM sums run in one order whatever the hash map does.
  std::vector<std::pair<Pattern, uint64_t>> distinct(pattern_counts.begin(), pattern_counts.end());
  std::sort(distinct.begin(), distinct.end());

  out.model = initial_model(
      sample_u_counts(prep, table, config.u_sample_pairs, config.seed, out.u_sample_pairs));
  fit_model(out.model, distinct, config.em_max_iterations);

  for (size_t i = 0; i < candidates.pairs.size(); ++i) {
    const double p = out.model.match_probability(patterns[i]);
    const ScoredPair scored{pair_first(candidates.pairs[i]), pair_second(candidates.pairs[i]),
                            patterns[i], p};
    if (p >= config.link_probability) {
      out.links.push_back(scored);
    } else if (p >= config.review_probability) {
      out.review.push_back(scored);
    }
  }
  out.cluster = clusters_of(rows, out.links);
  return true;
}

}  // namespace halo::linkage
