// trait_list.cpp -- the block management of trait_list.h: raw storage from
// operator new, Traits constructed in place and moved on growth.
#include "profile/trait_list.h"

#include <limits>
#include <new>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace halo {

static_assert(sizeof(TraitList) == sizeof(void *));
static_assert(alignof(Trait) <= alignof(std::max_align_t));

bool Trait::beats(const Trait &other, Survivorship rule) const {
  const bool later = offered_later(timestamp_ms, sequence, other.timestamp_ms, other.sequence);
  switch (rule) {
    case Survivorship::kSourcePriority:
      return priority != other.priority ? priority < other.priority : later;
    case Survivorship::kFirstSeen:
      return offered_later(other.timestamp_ms, other.sequence, timestamp_ms, sequence);
    case Survivorship::kMostRecent:
    case Survivorship::kAll:
    case Survivorship::kMostFrequent:  // the book decides by its tally
      return later;
  }
  return later;
}

TraitList::Header *TraitList::allocate(size_t capacity) {
  if (capacity > std::numeric_limits<uint32_t>::max()) {
    throw std::length_error("a profile holds more than 2^32 traits");
  }
  void *raw = ::operator new(sizeof(Header) + capacity * sizeof(Trait));
  Header *h = static_cast<Header *>(raw);
  h->size = 0;
  h->capacity = static_cast<uint32_t>(capacity);
  return h;
}

Trait *TraitList::data() const {
  if (block_ == nullptr) return nullptr;
  return reinterpret_cast<Trait *>(reinterpret_cast<char *>(block_) + sizeof(Header));
}

TraitList &TraitList::operator=(TraitList &&other) noexcept {
  if (this != &other) {
    clear();
    block_ = std::exchange(other.block_, nullptr);
  }
  return *this;
}

void TraitList::clear() {
  if (block_ == nullptr) return;
  Trait *d = data();
  for (uint32_t i = 0; i < block_->size; ++i) d[i].~Trait();
  ::operator delete(block_);
  block_ = nullptr;
}

size_t TraitList::block_bytes() const {
  return block_ ? sizeof(Header) + block_->capacity * sizeof(Trait) : 0;
}

Trait *TraitList::insert(Trait *at, Trait &&trait) {
  size_t index = block_ ? static_cast<size_t>(at - data()) : 0;
  size_t n = size();
  if (block_ == nullptr || n == block_->capacity) {
    Header *grown = allocate(n + n / 8 + 1);
    Trait *to = reinterpret_cast<Trait *>(reinterpret_cast<char *>(grown) + sizeof(Header));
    Trait *from = data();
    for (size_t i = 0; i < index; ++i) new (to + i) Trait(std::move(from[i]));
    new (to + index) Trait(std::move(trait));
    for (size_t i = index; i < n; ++i) new (to + i + 1) Trait(std::move(from[i]));
    grown->size = static_cast<uint32_t>(n + 1);
    clear();
    block_ = grown;
    return to + index;
  }
  Trait *d = data();
  if (index == n) {
    new (d + n) Trait(std::move(trait));
  } else {
    new (d + n) Trait(std::move(d[n - 1]));
    for (size_t i = n - 1; i > index; --i) d[i] = std::move(d[i - 1]);
    d[index] = std::move(trait);
  }
  ++block_->size;
  return d + index;
}

void TraitList::assign(std::vector<Trait> &&traits) {
  clear();
  if (traits.empty()) return;
  Header *h = allocate(traits.size());
  Trait *to = reinterpret_cast<Trait *>(reinterpret_cast<char *>(h) + sizeof(Header));
  for (size_t i = 0; i < traits.size(); ++i) new (to + i) Trait(std::move(traits[i]));
  h->size = static_cast<uint32_t>(traits.size());
  block_ = h;
}

}  // namespace halo
