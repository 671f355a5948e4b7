// evaluation.h -- pairwise accuracy of a clustering against known truth, as
// record linkage is usually scored (P. Christen, "Data Matching", Springer
// 2012, chapter 7): a pair of records is predicted when both are in one
// cluster and true when both belong to one entity;
//   precision = true positives / predicted pairs,
//   recall    = true positives / true pairs,
//   F1        = their harmonic mean (0 when either is 0).
// Nothing predicted scores precision 0, not an undefined 0/0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "record_table.h"

namespace halo::linkage {

struct PairwiseScores {
  uint64_t true_pairs = 0, predicted_pairs = 0, true_positives = 0;
  double precision = 0, recall = 0, f1 = 0;
};

// The entity of every row from FEBRL-style ids in `column`: the digits after
// "rec-" ("rec-223-dup-0" and "rec-223-org" are entity 223). False with
// `error` naming the first row whose id has no such number.
bool entities_from_ids(const RecordTable &table, const std::string &column,
                       std::vector<uint64_t> &entity, std::string &error);

// cluster[r] and entity[r] name row r's predicted cluster and true entity.
PairwiseScores score_clusters(const std::vector<uint32_t> &cluster,
                              const std::vector<uint64_t> &entity);

}  // namespace halo::linkage
