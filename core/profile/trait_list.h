// trait_list.h -- one trait with its last-write-wins metadata, and the
// traits of one profile: a sorted array behind a single pointer, so a
// profile with no traits costs 8 bytes and no allocation.
//
// Why not std::vector<Trait>: the book holds one list per profile and most
// profiles have zero to three traits; a vector costs 24 bytes inline even
// when empty, and its doubling growth would leave slots unused.
//
// Layout: nullptr when empty, else one heap block of a Header (size and
// capacity) followed by `capacity` Traits, `size` of them constructed.
// Capacity grows by an eighth (at least one), as a profile gains a new
// trait name rarely.
//
// Trait rule (beats): see profile_book.h.
//
// Invariants: the owner keeps the order (ascending by name text); the list
// only stores. Iterators and pointers are invalidated by insert() and
// assign(). Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "profile/survivorship.h"
#include "profile/typed_value.h"

namespace halo {

struct Trait {
  uint32_t name = 0;    // id in the book's NameTable
  uint32_t source = 0;  // id of the source name in the same table
  int32_t priority = 100;
  int64_t timestamp_ms = 0;
  uint64_t sequence = 0;
  TypedValue value;
  // True when this value should replace `other` under `rule` (for kAll:
  // when it is the later contributor, whose provenance the kept set shows).
  bool beats(const Trait &other, Survivorship rule = Survivorship::kSourcePriority) const;
};

class TraitList {
 public:
  TraitList() = default;
  TraitList(const TraitList &) = delete;
  TraitList &operator=(const TraitList &) = delete;
  TraitList(TraitList &&other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  TraitList &operator=(TraitList &&other) noexcept;
  ~TraitList() { clear(); }

  size_t size() const { return block_ ? block_->size : 0; }
  bool empty() const { return block_ == nullptr; }
  Trait *begin() { return data(); }
  Trait *end() { return data() + size(); }
  const Trait *begin() const { return data(); }
  const Trait *end() const { return data() + size(); }
  Trait &operator[](size_t i) { return data()[i]; }
  const Trait &operator[](size_t i) const { return data()[i]; }

  // Inserts before `at` (a position in this list); returns the new trait.
  Trait *insert(Trait *at, Trait &&trait);
  // Replaces the contents with `traits` in an exactly sized block.
  void assign(std::vector<Trait> &&traits);
  void clear();
  // Heap bytes of the block (header and all slots), excluding what the
  // traits' values own.
  size_t block_bytes() const;

 private:
  struct Header {
    uint32_t size;
    uint32_t capacity;
  };
  static Header *allocate(size_t capacity);
  Trait *data() const;

  Header *block_ = nullptr;
};

}  // namespace halo
