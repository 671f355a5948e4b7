// message_keys.h -- the set of (source, message_id) keys already accepted,
// used to drop re-sent events (Segment dedupes on messageId per write key;
// Halo does it per source).
//
// Keys are 128-bit XXH3 hashes, so the set costs ~16 bytes per accepted
// event plus hash-table overhead, and a false duplicate needs a 128-bit
// collision. It is rebuilt at start-up from the event log's key column.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_set>

#include "store/store.h"

namespace halo {

struct MessageKeyHash {
  size_t operator()(const MessageKey &k) const { return static_cast<size_t>(k.lo ^ (k.hi * 0x9E3779B97F4A7C15ull)); }
};
struct MessageKeyEq {
  bool operator()(const MessageKey &a, const MessageKey &b) const { return a.hi == b.hi && a.lo == b.lo; }
};

MessageKey message_key(std::string_view source, std::string_view message_id);

class MessageKeySet {
 public:
  // True when the key was new (and is now remembered).
  bool insert(const MessageKey &k) { return keys_.insert(k).second; }
  void erase(const MessageKey &k) { keys_.erase(k); }
  void reserve(size_t n) { keys_.reserve(n); }
  size_t size() const { return keys_.size(); }
  void clear() { keys_.clear(); }

 private:
  std::unordered_set<MessageKey, MessageKeyHash, MessageKeyEq> keys_;
};

}  // namespace halo
