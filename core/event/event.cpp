// event.cpp -- StringArena and EventBatch helpers.
#include "event/event.h"

#include <algorithm>
#include <cstring>

namespace halo {

char *StringArena::allocate(size_t n) {
  if (blocks_.empty() || pos_ + n > block_sizes_.back()) {
    size_t size = std::max(kBlockSize, n);
    blocks_.emplace_back(new char[size]);
    block_sizes_.push_back(size);
    pos_ = 0;
  }
  char *p = blocks_.back().get() + pos_;
  pos_ += n;
  used_total_ += n;
  return p;
}

std::string_view StringArena::copy(std::string_view s) {
  if (s.empty()) return {};
  char *p = allocate(s.size());
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

void StringArena::clear() {
  if (blocks_.size() > 1) {
    // Keep the first block only when it is the standard size, so one huge
    // record does not pin memory forever.
    auto first = std::move(blocks_.front());
    size_t first_size = block_sizes_.front();
    blocks_.clear();
    block_sizes_.clear();
    blocks_.push_back(std::move(first));
    block_sizes_.push_back(first_size);
  }
  pos_ = 0;
  used_total_ = 0;
}

void EventBatch::clear() {
  events.clear();
  fields.clear();
  identifiers.clear();
  arena.clear();
}

const Field *EventBatch::find_field(size_t i, std::string_view path) const {
  for (const Field &f : fields_of(i)) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

}  // namespace halo
