// linkage_config.h -- the configuration of the probabilistic resolver: the
// `identity.config` mapping of a file whose `identity.resolver` is
// `probabilistic` (config/febrl.yaml is the shipped example; docs/identity.md
// defines every key).
//
//   fields:      [{ column: surname, compare: name, swap_with: given_name }, ...]
//   blocking:    [[surname:soundex, postcode], [soc_sec_id], ...]
//                a pair of records is a candidate when it shares every part
//                of at least one key (union over keys)
//   link_probability: 0.95     posterior P(match) at or above: linked
//   review_probability: 0.5    at or above, below the link: listed for review
//   max_block_records: 1000    a key value shared by more records is skipped
//   u_sample_pairs: 1000000    random pairs sampled to estimate u
//   em_max_iterations: 200
//   seed: 1                    of the random pair sample (runs repeat exactly)
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "comparison.h"
#include "config/diagnostics.h"

namespace halo::linkage {

inline constexpr size_t kMaxFields = 16;  // a pattern packs 3 bits per field
inline constexpr size_t kMaxBlockingKeys = 32;
inline constexpr size_t kMaxKeyParts = 8;

struct FieldRule {
  std::string column;
  Compare compare = Compare::kExact;
  double near = 0;  // kNumber only
  // Another compared column that data entry often swaps with this one
  // (given name and surname, two address lines): the field's level is the
  // better of comparing it with the other record's same column and with
  // its `swap_with` column. Empty: no swap.
  std::string swap_with;
};

enum class KeyTransform : uint8_t {
  kValue,     // the folded value
  kSoundex,   // American Soundex of the folded value
  kFirst3,    // its first three letters
  kYear,      // the first four characters (of a date)
  kSkeleton,  // its consonant skeleton (Persian and Latin script alike)
};

struct KeyPart {
  std::string column;
  KeyTransform transform = KeyTransform::kValue;
};

struct LinkageConfig {
  std::vector<FieldRule> fields;
  std::vector<std::vector<KeyPart>> blocking;
  double link_probability = 0.95;
  double review_probability = 0.5;
  size_t max_block_records = 1000;
  size_t u_sample_pairs = 1'000'000;
  int em_max_iterations = 200;
  uint64_t seed = 1;
};

// Reads the mapping `node` (`identity.config` of an `identity evaluate`
// file, `identity.linkage` of a pipeline; `path` in messages). Every problem
// is reported to `diags`; `out` is complete only when diags.ok().
void read_linkage_config(const YAML::Node &node, const Mark &at, Diagnostics &diags,
                         LinkageConfig &out, const std::string &path = "identity.config");

// "surname:soundex" for reports.
std::string key_part_text(const KeyPart &part);

}  // namespace halo::linkage
