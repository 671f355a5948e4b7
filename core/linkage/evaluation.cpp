// evaluation.cpp -- pairwise scores; see evaluation.h.
#include "evaluation.h"

#include <algorithm>

namespace halo::linkage {

namespace {

uint64_t pairs_among(uint64_t n) {
  return n * (n - 1) / 2;
}

// Sum of pairs_among over the sizes of equal runs of a sorted vector.
template <typename T>
uint64_t pairs_in_runs(const std::vector<T> &sorted) {
  uint64_t pairs = 0;
  for (size_t begin = 0, end = 0; begin < sorted.size(); begin = end) {
    end = begin;
    while (end < sorted.size() && sorted[end] == sorted[begin]) ++end;
    pairs += pairs_among(end - begin);
  }
  return pairs;
}

}  // namespace

bool entities_from_ids(const RecordTable &table, const std::string &column,
                       std::vector<uint64_t> &entity, std::string &error) {
  const int c = table.column(column);
  if (c < 0) {
    error = "the data has no column '" + column + "' naming each record's true entity";
    return false;
  }
  entity.clear();
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::string &id = table.rows[r][static_cast<size_t>(c)];
    uint64_t number = 0;
    size_t at = id.rfind("rec-", 0) == 0 ? 4 : std::string::npos, digits = 0;
    while (at != std::string::npos && at < id.size() && id[at] >= '0' && id[at] <= '9' &&
           digits < 18) {
      number = number * 10 + static_cast<uint64_t>(id[at++] - '0');
      ++digits;
    }
    if (digits == 0 || (at < id.size() && id[at] != '-')) {
      error = "row " + std::to_string(r + 1) + ": " + column +
              " is not rec-NUMBER[-...] (as rec-12-org, rec-12-dup-0)";
      return false;
    }
    entity.push_back(number);
  }
  return true;
}

PairwiseScores score_clusters(const std::vector<uint32_t> &cluster,
                              const std::vector<uint64_t> &entity) {
  PairwiseScores s;
  std::vector<uint64_t> by_entity = entity;
  std::sort(by_entity.begin(), by_entity.end());
  s.true_pairs = pairs_in_runs(by_entity);
  std::vector<uint32_t> by_cluster = cluster;
  std::sort(by_cluster.begin(), by_cluster.end());
  s.predicted_pairs = pairs_in_runs(by_cluster);
  std::vector<std::pair<uint32_t, uint64_t>> both;
  both.reserve(cluster.size());
  for (size_t r = 0; r < cluster.size(); ++r) both.emplace_back(cluster[r], entity[r]);
  std::sort(both.begin(), both.end());
  s.true_positives = pairs_in_runs(both);
  s.precision = s.predicted_pairs == 0 ? 0 : double(s.true_positives) / double(s.predicted_pairs);
  s.recall = s.true_pairs == 0 ? 0 : double(s.true_positives) / double(s.true_pairs);
  s.f1 = s.precision + s.recall == 0 ? 0 : 2 * s.precision * s.recall / (s.precision + s.recall);
  return s;
}

}  // namespace halo::linkage
