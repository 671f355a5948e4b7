// profile_records.h -- the per-profile records of one aggregates instance:
// one fixed-size, byte-packed record per profile in pages indexed by the
// kernel's dense profile id, with a present and a dirty bit per profile.
//
// Why not halo::ProfileMap<std::vector<...>>: a record's size is known only
// at run time (it depends on the configured features), and a vector per
// profile costs its 24-byte header, a heap block and malloc's overhead on
// top of the states. Here a profile costs its record plus two bits (no
// list of dirty ids either: take_dirty scans the dirty bits).
//
// Invariants:
//  - A record that is not present is all zero bytes, which every slot
//    layout reads as a fresh state (feature_state.h).
//  - Records never move (pages are allocated once), so a pointer stays
//    valid until the profile is erased or the store destroyed.
//  - The store owns no out-of-line parts: the caller releases what a
//    record's slots refer to before erasing it.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace halo::aggregates {

class ProfileRecords {
 public:
  explicit ProfileRecords(size_t record_bytes) : record_bytes_(record_bytes) {}

  std::byte *find(uint64_t id) {
    Page *page = page_of(id);
    return page != nullptr && test(page->present, id) ? record(*page, id) : nullptr;
  }
  const std::byte *find(uint64_t id) const { return const_cast<ProfileRecords *>(this)->find(id); }

  std::byte *get_or_create(uint64_t id) {
    size_t index = static_cast<size_t>(id >> kPageBits);
    if (index >= pages_.size()) pages_.resize(index + 1);
    if (!pages_[index]) {
      pages_[index] = std::make_unique<Page>();
      // Value-initialised: zero bytes, the fresh state of every slot.
      pages_[index]->records = std::make_unique<std::byte[]>(kPageSize * record_bytes_);
    }
    Page &page = *pages_[index];
    if (!test(page.present, id)) {
      set(page.present, id, true);
      ++size_;
    }
    return record(page, id);
  }

  // A get_or_create() of `id` is coming: starts loading its record into the
  // cache. Always inlined, as halo::ProfileMap::prefetch.
  [[gnu::always_inline]] void prefetch(uint64_t id) const {
    Page *page = page_of(id);
    if (page != nullptr) __builtin_prefetch(record(*page, id));
  }

  // Zeroes the record and forgets the profile (dirty bit included).
  void erase(uint64_t id) {
    Page *page = page_of(id);
    if (page == nullptr || !test(page->present, id)) return;
    std::memset(record(*page, id), 0, record_bytes_);
    set(page->present, id, false);
    if (test(page->dirty, id)) {
      set(page->dirty, id, false);
      --page->dirty_count;
    }
    --size_;
  }

  // Marks a present profile changed since the last take_dirty.
  void mark_dirty(uint64_t id) {
    Page &page = *page_of(id);
    if (test(page.dirty, id)) return;
    set(page.dirty, id, true);
    ++page.dirty_count;
  }

  // Calls fn(id, record) for every dirty profile in ascending id order,
  // clearing each dirty bit once fn returned (a throwing fn leaves the
  // profiles not yet written dirty).
  template <class Fn>
  void take_dirty(Fn &&fn) {
    for (size_t p = 0; p < pages_.size(); ++p) {
      Page *page = pages_[p].get();
      if (page == nullptr || page->dirty_count == 0) continue;
      for (size_t w = 0; w < kWords; ++w) {
        for (uint64_t bits = page->dirty[w]; bits != 0; bits &= bits - 1) {
          uint64_t id = (static_cast<uint64_t>(p) << kPageBits) | (w * 64) |
                        static_cast<uint64_t>(std::countr_zero(bits));
          fn(id, static_cast<const std::byte *>(record(*page, id)));
          set(page->dirty, id, false);
          --page->dirty_count;
        }
      }
    }
  }

  size_t size() const { return size_; }
  size_t record_bytes() const { return record_bytes_; }
  // Heap bytes held: the page table and every allocated page.
  size_t memory_bytes() const {
    size_t pages = 0;
    for (const auto &p : pages_) pages += p ? 1 : 0;
    return pages_.capacity() * sizeof(pages_[0]) +
           pages * (sizeof(Page) + kPageSize * record_bytes_);
  }

 private:
  static constexpr unsigned kPageBits = 10;  // 1024 records: little rounding waste
  static constexpr size_t kPageSize = size_t{1} << kPageBits;
  static constexpr size_t kWords = kPageSize / 64;
  using Bits = std::array<uint64_t, kWords>;

  struct Page {
    std::unique_ptr<std::byte[]> records;  // kPageSize x record_bytes_
    Bits present{}, dirty{};
    size_t dirty_count = 0;
  };

  static size_t slot(uint64_t id) { return static_cast<size_t>(id & (kPageSize - 1)); }
  static bool test(const Bits &bits, uint64_t id) {
    return (bits[slot(id) / 64] >> (slot(id) % 64)) & 1;
  }
  static void set(Bits &bits, uint64_t id, bool on) {
    uint64_t mask = uint64_t{1} << (slot(id) % 64);
    bits[slot(id) / 64] = on ? (bits[slot(id) / 64] | mask) : (bits[slot(id) / 64] & ~mask);
  }
  Page *page_of(uint64_t id) const {
    size_t index = static_cast<size_t>(id >> kPageBits);
    return index < pages_.size() ? pages_[index].get() : nullptr;
  }
  std::byte *record(Page &page, uint64_t id) const {
    return page.records.get() + slot(id) * record_bytes_;
  }

  size_t record_bytes_;
  std::vector<std::unique_ptr<Page>> pages_;
  size_t size_ = 0;
};

}  // namespace halo::aggregates
