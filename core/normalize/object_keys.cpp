// object_keys.cpp -- ObjectKeys: a linear scan for small objects, a hash
// table per nesting level for large ones (see object_keys.h).
#include "normalize/object_keys.h"

namespace halo {

PathTable &ObjectKeys::table_for_depth(size_t depth) {
  if (tables_.size() <= depth) tables_.resize(depth + 1);
  return tables_[depth];
}

bool ObjectKeys::repeated(std::string_view key) {
  Frame &frame = frames_.back();
  const size_t depth = frames_.size() - 1;
  if (!frame.hashed) {
    for (size_t i = frame.keys_begin; i < keys_.size(); ++i) {
      if (keys_[i] == key) return true;
    }
    keys_.push_back(key);
    if (keys_.size() - frame.keys_begin <= kLinearKeys) return false;
    // Too many names for a linear scan: move this object's names to a table.
    PathTable &table = table_for_depth(depth);
    for (size_t i = frame.keys_begin; i < keys_.size(); ++i) {
      table.insert(keys_[i], path_hash(keys_[i]), 0);
    }
    keys_.resize(frame.keys_begin);
    frame.hashed = true;
    return false;
  }
  PathTable &table = tables_[depth];
  const uint64_t hash = path_hash(key);
  if (table.find(key, hash) != nullptr) return true;
  table.insert(key, hash, 0);
  return false;
}

void ObjectKeys::close() {
  const Frame frame = frames_.back();
  frames_.pop_back();
  if (frame.hashed) {
    tables_[frames_.size()].clear();
  } else {
    keys_.resize(frame.keys_begin);
  }
}

void ObjectKeys::reset() {
  while (!frames_.empty()) close();
  keys_.clear();
}

}  // namespace halo
