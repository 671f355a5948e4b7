// profile_memory_test.cpp -- the compact profile book: the sizes its memory
// budget rests on, its own accounting at 100k profiles with 0-3 traits,
// profiles without traits owning no heap block, and the stored trait bytes
// unchanged by the compact value layout.
#include <malloc.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "profile/profile_book.h"
#include "profile/typed_codec.h"

namespace halo {
namespace {

// One event of profile `id` carrying `traits` context traits: a short
// string, an email longer than a value keeps inline, and an integer; in
// `b`, cleared first (a batch's arena holds a 1 MiB block: one batch per
// event would allocate 100 GiB in total here, slow under AddressSanitizer).
const EventBatch &traits_event(EventBatch &b, uint64_t id, int traits) {
  b.clear();
  Event e;
  e.type = HALO_EVENT_TRACK;
  e.timestamp_ms = 1767348000000 + static_cast<int64_t>(id);
  e.sequence = id;
  e.source = "web";
  auto add = [&](const char *path, halo_value_kind kind, const std::string &text) {
    Field f;
    f.path = path;
    f.value.kind = kind;
    f.value.text = b.arena.copy(text);
    b.fields.push_back(f);
  };
  add("properties.revenue", HALO_VALUE_NUMBER, "12.50");  // not a trait
  if (traits >= 1) add("context.traits.plan", HALO_VALUE_STRING, "gold");
  if (traits >= 2) {
    add("context.traits.email", HALO_VALUE_STRING, "person" + std::to_string(id) + "@example.ir");
  }
  if (traits >= 3) add("context.traits.age", HALO_VALUE_NUMBER, std::to_string(20 + id % 50));
  e.field_count = static_cast<uint32_t>(b.fields.size());
  b.events.push_back(e);
  return b;
}

TEST(ProfileMemory, RecordTraitAndValueSizes) {
  EXPECT_EQ(sizeof(TypedValue), 16u);
  EXPECT_EQ(sizeof(Trait), 48u);
  EXPECT_EQ(sizeof(ProfileData), 16u);
  EXPECT_EQ(sizeof(TraitList), sizeof(void *));
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMallocIsGlibc = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kMallocIsGlibc = false;
#else
constexpr bool kMallocIsGlibc = true;
#endif
#else
constexpr bool kMallocIsGlibc = true;
#endif

TEST(ProfileMemory, BookStaysWithinItsPerProfileBoundAt100kProfiles) {
  constexpr uint64_t kProfiles = 100000;
  EventBatch batch;
  traits_event(batch, 0, 3);  // its arena's block, outside the measurement
  size_t heap_before = mallinfo2().uordblks;
  auto book = std::make_unique<ProfileBook>();
  size_t traits = 0, email_bytes = 0;
  for (uint64_t id = 1; id <= kProfiles; ++id) {
    int n = static_cast<int>(id % 4);
    traits += static_cast<size_t>(n);
    if (n >= 2) email_bytes += ("person" + std::to_string(id) + "@example.ir").size();
    book->apply_event(id, traits_event(batch, id, n), 0, 100);
  }
  EXPECT_EQ(book->dirty().size(), kProfiles);
  book->clear_changes();
  size_t bytes = book->memory_bytes();
  size_t heap = mallinfo2().uordblks - heap_before;
  // The record and its bits (16 + 2/8 bytes), a block header per profile
  // with traits (8), 48 bytes per trait and every email out of line (the
  // other values fit inline); pages of 4096 round the ids up.
  size_t with_traits = kProfiles * 3 / 4;
  size_t bound = 4096 * 25 * (16 + 1) + with_traits * 8 + traits * 48 + email_bytes;
  EXPECT_LE(bytes, bound);
  EXPECT_GE(bytes, kProfiles * 16 + traits * 48 + email_bytes);
  // 0-3 traits (1.5 on average) cost about 105 bytes, where a ProfileMap
  // slot (48), 80-byte traits and a dirty-id list cost about 190 before.
  EXPECT_LE(bytes / kProfiles, 110u) << bytes / kProfiles << " bytes per profile";
  // The accounting covers what the book really holds: the heap grew by its
  // figure plus malloc's per-block overhead (at most 16 bytes a block:
  // trait blocks, emails, pages). glibc's counters only: AddressSanitizer
  // replaces malloc and leaves mallinfo2() at zero, so under it the bounds
  // above are what is checked.
  if (!kMallocIsGlibc) return;
  EXPECT_GE(heap + 4096, bytes);
  EXPECT_LE(heap, bytes + 16 * (with_traits + kProfiles / 2 + 64) + 4096);
}

TEST(ProfileMemory, ProfilesWithoutTraitsOwnNoHeapBlock) {
  ProfileBook book;
  EventBatch batch;
  for (uint64_t id = 1; id <= 5000; ++id) book.apply_event(id, traits_event(batch, id, 0), 0, 100);
  EXPECT_EQ(book.size(), 5000u);
  // Two pages of 4096 records (16 bytes and two bits each), nothing else.
  const size_t page = 4096 * 16 + 2 * 4096 / 8;
  EXPECT_GE(book.memory_bytes(), 2 * page);
  EXPECT_LT(book.memory_bytes(), 2 * page + 64);
  EXPECT_EQ(book.find(42)->updated_at_ms, 1767348000042);
  EXPECT_TRUE(book.export_traits(42).empty());
}

TEST(ProfileMemory, MergedAwayProfileIsFreedAndLeavesTheDirtySet) {
  ProfileBook book;
  EventBatch batch;
  book.apply_event(5000, traits_event(batch, 5000, 3), 0, 100);
  book.apply_event(3, traits_event(batch, 3, 1), 0, 100);
  size_t before = book.memory_bytes();
  book.merge(5000, 3);
  EXPECT_EQ(book.find(5000), nullptr);
  EXPECT_EQ(book.dirty(), std::vector<uint64_t>{3});  // ascending ids, live only
  EXPECT_EQ(book.export_traits(3).size(), 3u);
  EXPECT_LT(book.memory_bytes(), before);  // the merged-away traits are freed
}

// Bytes written by the codec before values became 16 bytes (the previous
// TypedValue held a std::string): the stored format must not change.
TEST(ProfileMemory, StoredBytesAreThoseOfTheFormerLayout) {
  NamedValues values = {{"b", TypedValue::boolean(true)},
                        {"d", TypedValue::decimal("19.90")},
                        {"e", TypedValue::string("person12345@example.ir")},
                        {"f", TypedValue::real(0.5)},
                        {"i", TypedValue::integer(-42)},
                        {"l", TypedValue::string_list({"a", "a-much-longer-list-item"})},
                        {"n", TypedValue::null()},
                        {"s", TypedValue::string("14-bytes-exact")},
                        {"t", TypedValue::timestamp(1767348000000)},
                        {"u", TypedValue::string("15-bytes-exact!")}};
  std::string hex;
  for (unsigned char c : encode_features(values)) {
    static const char *kDigits = "0123456789abcdef";
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  EXPECT_EQ(hex,
            "010a016201010164030531392e393001650516706572736f6e3132333435406578616d706c652e6972"
            "016604000000000000e03f01690253016c0702016117612d6d7563682d6c6f6e6765722d6c6973742d"
            "6974656d016e000173050e31342d62797465732d657861637401740680d4b2e2ef660175050f31352d"
            "62797465732d657861637421");
  NamedValues decoded;
  ASSERT_TRUE(decode_features(encode_features(values), &decoded).ok());
  EXPECT_EQ(decoded, values);
}

}  // namespace
}  // namespace halo
