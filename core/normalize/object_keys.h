// object_keys.h -- finds a member name used twice in one JSON object while
// the normalizer walks nested objects (private to core/normalize).
//
// RFC 8259 §4 says names within an object SHOULD be unique and that parsers
// disagree on what a repeated name means; Halo refuses such records, so it
// must notice repeats cheaply on the hot path:
//  - Objects with up to kLinearKeys members (nearly all of them) are checked
//    by comparing the new name with the object's earlier names: no hashing,
//    no allocation once the key stack has grown to its working size.
//  - A larger object switches to a hash table (one per nesting level,
//    reused), so a 100,000-member object costs O(n), not O(n^2).
//
// Invariants: names are string_views the caller keeps alive until the
// object is closed; open()/close() nest like the objects they mirror;
// reset() forgets everything (used when a parse stops half-way).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "normalize/path_table.h"

namespace halo {

class ObjectKeys {
 public:
  static constexpr size_t kLinearKeys = 16;

  void open() { frames_.push_back({keys_.size(), false}); }
  void close();
  // True when `key` was already a member of the innermost open object;
  // otherwise remembers it and returns false.
  bool repeated(std::string_view key);
  void reset();

 private:
  struct Frame {
    size_t keys_begin;
    bool hashed;  // tables_[depth] holds this object's names
  };
  PathTable &table_for_depth(size_t depth);

  std::vector<Frame> frames_;
  std::vector<std::string_view> keys_;  // names of the open linear objects
  std::vector<PathTable> tables_;       // by nesting depth
};

}  // namespace halo
