// halo/profile_map.hpp -- header-only container for per-profile state in
// plugins and the kernel: a paged dense array indexed by profile id.
//
// Profile ids come from the kernel's counter (resolve_new_profile): small,
// dense, never reused. Indexing an array by id costs one cache miss per
// lookup where a node-based hash map costs two or three and an allocation
// per profile, which matters when every event touches a profile. Pages of
// 4096 slots are allocated on first use, so sparse ids cost a page each, not
// the whole range.
//
// Ownership: the map owns its values. References stay valid until the
// value is erased or the map is destroyed (pages never move). Not
// thread-safe.
#ifndef HALO_PROFILE_MAP_HPP
#define HALO_PROFILE_MAP_HPP

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace halo {

template <class T>
class ProfileMap {
 public:
  T *find(uint64_t id) {
    std::optional<T> *slot = existing_slot(id);
    return slot && *slot ? &**slot : nullptr;
  }
  const T *find(uint64_t id) const { return const_cast<ProfileMap *>(this)->find(id); }

  T &get_or_create(uint64_t id) {
    size_t page = static_cast<size_t>(id >> kPageBits);
    if (page >= pages_.size()) pages_.resize(page + 1);
    if (!pages_[page]) pages_[page] = std::make_unique<Page>();
    std::optional<T> &slot = (*pages_[page])[id & kPageMask];
    if (!slot) {
      slot.emplace();
      ++size_;
    }
    return *slot;
  }

  // Starts loading `id`'s slot into the cache without waiting for it, so
  // that a find() or get_or_create() a few events later does not stall on
  // memory. Both ends of the slot: a value larger than a cache line keeps
  // std::optional's flag after it. A hint only: nothing changes. Always
  // inlined: GCC judges a function whose only effect is a prefetch to have
  // no effect at all and drops calls to it.
  [[gnu::always_inline]] void prefetch(uint64_t id) const {
    const std::optional<T> *slot = const_cast<ProfileMap *>(this)->existing_slot(id);
    if (slot == nullptr) return;
    const char *first = reinterpret_cast<const char *>(slot);
    __builtin_prefetch(first);
    __builtin_prefetch(first + sizeof(*slot) - 1);
  }

  void erase(uint64_t id) {
    std::optional<T> *slot = existing_slot(id);
    if (slot && *slot) {
      slot->reset();
      --size_;
    }
  }

  size_t size() const { return size_; }

  // Calls fn(id, value) for every value in ascending id order.
  template <class Fn>
  void for_each(Fn &&fn) const {
    for (size_t p = 0; p < pages_.size(); ++p) {
      if (!pages_[p]) continue;
      for (size_t i = 0; i < kPageSize; ++i) {
        const std::optional<T> &slot = (*pages_[p])[i];
        if (slot) fn((static_cast<uint64_t>(p) << kPageBits) | i, *slot);
      }
    }
  }

 private:
  static constexpr unsigned kPageBits = 12;
  static constexpr size_t kPageSize = size_t{1} << kPageBits;
  static constexpr uint64_t kPageMask = kPageSize - 1;
  using Page = std::array<std::optional<T>, kPageSize>;

  std::optional<T> *existing_slot(uint64_t id) {
    size_t page = static_cast<size_t>(id >> kPageBits);
    if (page >= pages_.size() || !pages_[page]) return nullptr;
    return &(*pages_[page])[id & kPageMask];
  }

  std::vector<std::unique_ptr<Page>> pages_;
  size_t size_ = 0;
};

}  // namespace halo

#endif  // HALO_PROFILE_MAP_HPP
