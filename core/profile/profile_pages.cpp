// profile_pages.cpp -- page lookup and the live/dirty bitmaps of
// profile_pages.h.
#include "profile/profile_pages.h"

#include <bit>

#include "profile/profile_book.h"

namespace halo {

ProfileData *ProfilePages::find(uint64_t id) {
  Page *page = page_of(id);
  size_t i = static_cast<size_t>(id % kPageSize);
  return page && test(page->live, i) ? &page->records[i] : nullptr;
}

const ProfileData *ProfilePages::find(uint64_t id) const {
  return const_cast<ProfilePages *>(this)->find(id);
}

ProfileData &ProfilePages::get_or_create(uint64_t id) {
  size_t page = static_cast<size_t>(id >> kPageBits);
  if (page >= pages_.size()) pages_.resize(page + 1);
  if (!pages_[page]) pages_[page] = std::make_unique<Page>();
  Page &p = *pages_[page];
  size_t i = static_cast<size_t>(id % kPageSize);
  if (!test(p.live, i)) {
    p.live[i / 64] |= uint64_t{1} << (i % 64);
    ++size_;
  }
  return p.records[i];
}

void ProfilePages::erase(uint64_t id) {
  Page *page = page_of(id);
  size_t i = static_cast<size_t>(id % kPageSize);
  if (page == nullptr || !test(page->live, i)) return;
  page->records[i] = ProfileData{};  // frees the traits
  page->live[i / 64] &= ~(uint64_t{1} << (i % 64));
  page->dirty[i / 64] &= ~(uint64_t{1} << (i % 64));
  --size_;
}

bool ProfilePages::mark_dirty(uint64_t id) {
  Page *page = page_of(id);
  size_t i = static_cast<size_t>(id % kPageSize);
  if (page == nullptr || !test(page->live, i) || test(page->dirty, i)) return false;
  page->dirty[i / 64] |= uint64_t{1} << (i % 64);
  return true;
}

template <class Pick>
std::vector<uint64_t> ProfilePages::collect(Pick &&pick) const {
  size_t count = 0;
  for (const auto &page : pages_) {
    if (!page) continue;
    for (uint64_t word : pick(*page)) count += static_cast<size_t>(std::popcount(word));
  }
  std::vector<uint64_t> out;
  out.reserve(count);
  for (size_t p = 0; p < pages_.size(); ++p) {
    if (!pages_[p]) continue;
    const Bits &bits = pick(*pages_[p]);
    for (size_t w = 0; w < kWords; ++w) {
      for (uint64_t word = bits[w]; word != 0; word &= word - 1) {
        uint64_t bit = static_cast<uint64_t>(std::countr_zero(word));
        out.push_back((static_cast<uint64_t>(p) << kPageBits) | (w * 64 + bit));
      }
    }
  }
  return out;
}

std::vector<uint64_t> ProfilePages::dirty_ids() const {
  return collect([](const Page &p) -> const Bits & { return p.dirty; });
}

std::vector<uint64_t> ProfilePages::ids() const {
  return collect([](const Page &p) -> const Bits & { return p.live; });
}

void ProfilePages::clear_dirty() {
  for (auto &page : pages_) {
    if (page) page->dirty.fill(0);
  }
}

size_t ProfilePages::memory_bytes() const {
  size_t pages = 0;
  for (const auto &page : pages_) pages += page ? sizeof(Page) : 0;
  return pages + pages_.capacity() * sizeof(pages_[0]);
}

}  // namespace halo
