// store_conformance_test.cpp -- the Store contract of store.h, written against
// the Store interface only and run for every backend: a typed GoogleTest
// suite (https://google.github.io/googletest/advanced.html#typed-tests) over
// a Backend that names a `store.kind` and gives each test a fresh, empty
// location. Stores are opened through open_store(), the factory the kernel
// uses. A new backend (PostgreSQL) adds one Backend struct to `Backends`
// and must pass every test here unchanged.
//
// What is a backend's own (SQLite's one row per batch, its WAL files, its
// damaged pages) is tested beside it, not here: event_log_test.cpp,
// store_integrity_test.cpp, store_lock_test.cpp and the others in this folder.
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "profile/typed_codec.h"
#include "store/profile_reads.h"
#include "store/store.h"
#include "temp_store.h"  // must(), OwnedBatch, make_batch

namespace halo::testing {
namespace {

// The SQLite backend: a file in a new temp directory, under a directory
// that does not exist yet (open_store creates it).
class SqliteBackend {
 public:
  static constexpr const char *kKind = "sqlite";
  SqliteBackend() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "halo-conf-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) dir_ = tmpl;
    location_ = (dir_ / "nested" / "halo.db").string();
  }
  ~SqliteBackend() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  SqliteBackend(const SqliteBackend &) = delete;
  SqliteBackend &operator=(const SqliteBackend &) = delete;
  const std::string &location() const { return location_; }

 private:
  std::filesystem::path dir_;
  std::string location_;
};

using Backends = ::testing::Types<SqliteBackend>;

// Test names carry the kind: StoreConformance/sqlite.Name.
struct BackendName {
  template <class Backend>
  static std::string GetName(int) {
    return Backend::kKind;
  }
};

template <class Backend>
class StoreConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open();
    ASSERT_TRUE(store_);
  }
  void TearDown() override { store_.reset(); }

  std::unique_ptr<Store> open(const StoreOpenOptions &options = {}) {
    auto store = open_store(Backend::kKind, backend_.location(), options);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  void reopen() {
    store_.reset();
    store_ = open();
    ASSERT_TRUE(store_);
  }
  Store &store() { return *store_; }

  void append(uint64_t first, size_t n) { append_batch(store(), first, n); }
  void put_profile(uint64_t id, std::string traits) {
    put_test_profile(store(), id, std::move(traits));
  }
  static ProfileChange change(uint64_t seq, uint64_t profile, uint32_t kinds, uint64_t into = 0) {
    return {seq, profile, kinds, into, 1000 + static_cast<int64_t>(seq)};
  }
  std::vector<ProfileChange> changes_after(uint64_t after, size_t limit) {
    std::vector<ProfileChange> out;
    Status s =
        store().scan_changes(after, limit, [&](const ProfileChange &c) { out.push_back(c); });
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }
  std::vector<uint64_t> due(int64_t until) {
    std::vector<uint64_t> out;
    EXPECT_TRUE(store().scan_due_reemits(until, [&](uint64_t id) { out.push_back(id); }).ok());
    return out;
  }

  Backend backend_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(StoreConformance, Backends, BackendName);

// Every write method, called outside begin()...commit(): each is refused
// with InvalidArgument and nothing is stored.
TYPED_TEST(StoreConformance, WritesOutsideATransactionAreRefused) {
  Store &s = this->store();
  OwnedBatch b = make_batch(1, 1);
  StoredProfile p;
  p.id = 1;
  DeadLetter d;
  d.stage = "parse";
  d.reason = "malformed_json";
  d.raw = "{bad";
  const std::vector<std::pair<const char *, Status>> writes = {
      {"set_meta", s.set_meta("k", "v")},
      {"set_cursor", s.set_cursor("shop", "1")},
      {"append_events", s.append_events(b.view(), b.keys)},
      {"put_identifier", s.put_identifier("email", "a", 1, 0, 0)},
      {"repoint_identifiers", s.repoint_identifiers(1, 2)},
      {"set_link_time", s.set_link_time("email", "a", 5)},
      {"add_merge", s.add_merge(1, 2, 3)},
      {"add_conflict", s.add_conflict(1, "a", "b", 1, "r", 0)},
      {"put_profile", s.put_profile(p)},
      {"put_features", s.put_features(1, "f")},
      {"delete_profile", s.delete_profile(1)},
      {"clear_profile", s.clear_profile(1)},
      {"put_feature_state", s.put_feature_state("agg", 1, "x", 1)},
      {"delete_feature_state", s.delete_feature_state("agg", 1)},
      {"add_dead_letter", s.add_dead_letter(d)},
      {"update_dead_letter", s.update_dead_letter(d)},
      {"delete_dead_letter", s.delete_dead_letter(1)},
      {"append_changes", s.append_changes({this->change(1, 1, kChangeTraits)})},
      {"set_consumer_position", s.set_consumer_position("features@1", 1)},
      {"schedule_reemit", s.schedule_reemit(1, 5)},
      {"cancel_reemit", s.cancel_reemit(1)},
      {"clear_derived", s.clear_derived()},
  };
  for (const auto &[name, status] : writes) {
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << name << ": " << status.message();
    EXPECT_NE(status.message().find("outside a transaction"), std::string::npos)
        << name << ": " << status.message();
  }
  EXPECT_EQ(must(s.get_meta("k")), std::nullopt);
  EXPECT_EQ(must(s.cursor("shop")), std::nullopt);
  EXPECT_EQ(must(s.event_count()), 0u);
  EXPECT_EQ(must(s.find_profile("email", "a")), std::nullopt);
  EXPECT_EQ(must(s.profile_count()), 0u);
  EXPECT_EQ(must(s.dead_letter_count()), 0u);
  EXPECT_EQ(must(s.last_change_sequence()), 0u);
  EXPECT_EQ(must(s.consumer_position("features@1")), std::nullopt);
}

TYPED_TEST(StoreConformance, TransactionMisuseIsRefusedWithAFix) {
  Store &s = this->store();
  EXPECT_FALSE(s.in_transaction());
  EXPECT_FALSE(s.commit().ok());
  EXPECT_FALSE(s.rollback().ok());
  ASSERT_TRUE(s.begin().ok());
  EXPECT_TRUE(s.in_transaction());
  Status again = s.begin();
  EXPECT_EQ(again.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(again.message().find("commit() or rollback()"), std::string::npos) << again.message();
  ASSERT_TRUE(s.commit().ok());
  EXPECT_FALSE(s.in_transaction());
}

TYPED_TEST(StoreConformance, MetaAndCursorsRoundTrip) {
  Store &s = this->store();
  EXPECT_EQ(must(s.get_meta("next_profile_id")), std::nullopt);
  EXPECT_EQ(must(s.cursor("shop")), std::nullopt);
  ASSERT_TRUE(s.begin().ok());
  ASSERT_TRUE(s.set_meta("next_profile_id", "10").ok());
  ASSERT_TRUE(s.set_meta("next_profile_id", "11").ok());
  const std::string binary_cursor("\x00\xffpage", 6);
  ASSERT_TRUE(s.set_cursor("shop", binary_cursor).ok());
  ASSERT_TRUE(s.set_cursor("web", "").ok());
  ASSERT_TRUE(s.commit().ok());
  EXPECT_EQ(must(s.get_meta("next_profile_id")), "11");
  EXPECT_EQ(must(s.next_profile_id()), 11u);
  EXPECT_EQ(must(s.cursor("shop")), binary_cursor);
  EXPECT_EQ(must(s.cursor("web")), "");  // empty, not absent
}

// append_events takes exactly last_sequence()+1, +2, ...; anything else is
// refused whole and stores nothing.
TYPED_TEST(StoreConformance, AppendEventsTakesTheNextSequences) {
  Store &s = this->store();
  EXPECT_EQ(must(s.last_sequence()), 0u);
  ASSERT_TRUE(s.begin().ok());
  this->append(1, 2);
  OwnedBatch gap = make_batch(4, 2), repeat = make_batch(2, 2);
  Status st = s.append_events(gap.view(), gap.keys);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("continues at 3"), std::string::npos) << st.message();
  EXPECT_EQ(s.append_events(repeat.view(), repeat.keys).code(), StatusCode::kInvalidArgument);
  OwnedBatch holey = make_batch(3, 3);
  holey.events[2].sequence = 9;
  st = s.append_events(holey.events, holey.keys);
  EXPECT_NE(st.message().find("event 2 has sequence 9"), std::string::npos) << st.message();
  OwnedBatch short_keys = make_batch(3, 2);
  short_keys.keys.pop_back();
  st = s.append_events(short_keys.view(), short_keys.keys);
  EXPECT_NE(st.message().find("2 events but 1 message keys"), std::string::npos) << st.message();
  EXPECT_TRUE(s.append_events({}, {}).ok());  // stores nothing
  ASSERT_TRUE(s.commit().ok());
  EXPECT_EQ(must(s.last_sequence()), 2u);
  EXPECT_EQ(must(s.event_count()), 2u);
  ASSERT_TRUE(s.begin().ok());
  this->append(3, 4);
  ASSERT_TRUE(s.commit().ok());
  std::vector<uint64_t> sequences;
  ASSERT_TRUE(s.scan_events([&](const std::vector<LoggedEvent> &events) {
                 for (const LoggedEvent &e : events) sequences.push_back(e.sequence);
                 return Status::Ok();
               }).ok());
  EXPECT_EQ(sequences, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
}

// The message keys come back batch by batch, resumable after any batch:
// pages of any size give every key once, in sequence order.
TYPED_TEST(StoreConformance, MessageKeysScanInPagesAfterABatch) {
  Store &s = this->store();
  ASSERT_TRUE(s.begin().ok());
  this->append(1, 3);
  this->append(4, 1);
  this->append(5, 2);
  ASSERT_TRUE(s.commit().ok());
  std::vector<MessageKey> all;
  ASSERT_TRUE(s.scan_message_keys([&](const MessageKey *k, size_t n) {
                 all.insert(all.end(), k, k + n);
               }).ok());
  ASSERT_EQ(all.size(), 6u);
  for (size_t page : {1, 2, 5}) {
    std::vector<MessageKey> paged;
    std::vector<uint64_t> firsts;
    uint64_t after = 0;
    for (size_t read = page; read == page;) {
      read = 0;
      ASSERT_TRUE(
          s.scan_message_keys(after, page, [&](uint64_t first, const MessageKey *k, size_t n) {
             paged.insert(paged.end(), k, k + n);
             firsts.push_back(first);
             after = first;
             ++read;
           }).ok());
    }
    EXPECT_EQ(paged, all) << "pages of " << page;
    EXPECT_EQ(firsts, (std::vector<uint64_t>{1, 4, 5})) << "pages of " << page;
  }
  size_t calls = 0;
  ASSERT_TRUE(
      s.scan_message_keys(5, 10, [&](uint64_t, const MessageKey *, size_t) { ++calls; }).ok());
  EXPECT_EQ(calls, 0u) << "nothing after the last batch";
}

// A batch and the cursor that describes it land together or not at all.
TYPED_TEST(StoreConformance, CursorsAreCommittedWithTheirBatch) {
  ASSERT_TRUE(this->store().begin().ok());
  this->append(1, 3);
  ASSERT_TRUE(this->store().set_cursor("shop", "after-3").ok());
  ASSERT_TRUE(this->store().commit().ok());
  ASSERT_TRUE(this->store().begin().ok());
  this->append(4, 2);
  ASSERT_TRUE(this->store().set_cursor("shop", "after-5").ok());
  ASSERT_TRUE(this->store().rollback().ok());
  this->reopen();
  EXPECT_EQ(must(this->store().last_sequence()), 3u);
  EXPECT_EQ(must(this->store().cursor("shop")), "after-3");
}

TYPED_TEST(StoreConformance, RollbackDiscardsCursorEventsAndProfiles) {
  Store &s = this->store();
  ASSERT_TRUE(s.begin().ok());
  this->append(1, 5);
  ASSERT_TRUE(s.set_cursor("shop", "after-5").ok());
  this->put_profile(1, "{}");
  // Reads inside the transaction see its writes.
  EXPECT_EQ(must(s.last_sequence()), 5u);
  EXPECT_EQ(must(s.cursor("shop")), "after-5");
  EXPECT_EQ(must(s.profile_count()), 1u);
  ASSERT_TRUE(s.rollback().ok());
  EXPECT_FALSE(s.in_transaction());
  EXPECT_EQ(must(s.last_sequence()), 0u);
  EXPECT_EQ(must(s.event_count()), 0u);
  EXPECT_EQ(must(s.cursor("shop")), std::nullopt);
  EXPECT_EQ(must(s.profile_count()), 0u);
  // The log continues from the committed state, not the discarded one.
  ASSERT_TRUE(s.begin().ok());
  this->append(1, 2);
  ASSERT_TRUE(s.commit().ok());
  EXPECT_EQ(must(s.last_sequence()), 2u);
}

TYPED_TEST(StoreConformance, ClosingInsideATransactionDiscardsIt) {
  ASSERT_TRUE(this->store().begin().ok());
  this->append(1, 3);
  ASSERT_TRUE(this->store().set_cursor("shop", "x").ok());
  this->reopen();
  EXPECT_EQ(must(this->store().event_count()), 0u);
  EXPECT_EQ(must(this->store().cursor("shop")), std::nullopt);
}

TYPED_TEST(StoreConformance, ChangeLogContinuesAndScansAfterACursor) {
  Store &s = this->store();
  ASSERT_TRUE(s.begin().ok());
  EXPECT_EQ(must(s.last_change_sequence()), 0u);
  ASSERT_TRUE(s.append_changes({this->change(1, 7, kChangeCreated | kChangeTraits),
                                this->change(2, 8, kChangeMerged, 7)})
                  .ok());
  ASSERT_TRUE(s.append_changes({this->change(3, 7, kChangeFeatures)}).ok());
  ASSERT_TRUE(s.commit().ok());
  EXPECT_EQ(must(s.last_change_sequence()), 3u);
  std::vector<ProfileChange> all = this->changes_after(0, 100);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].profile_id, 7u);
  EXPECT_EQ(all[0].kinds, kChangeCreated | kChangeTraits);
  EXPECT_EQ(all[1].merged_into, 7u);
  EXPECT_EQ(all[1].at_ms, 1002);
  EXPECT_EQ(all[2].sequence, 3u);
  std::vector<ProfileChange> after = this->changes_after(1, 1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].sequence, 2u);
  EXPECT_TRUE(this->changes_after(3, 10).empty());
}

// Many changes in one call (a backend may write them several rows at a
// time): every one is stored, in order, with its own fields.
TYPED_TEST(StoreConformance, ManyChangesAtOnceAreEachStored) {
  Store &s = this->store();
  ASSERT_TRUE(s.begin().ok());
  std::vector<ProfileChange> many;
  for (uint64_t i = 1; i <= 75; ++i) {
    many.push_back(this->change(i, 100 + i, i % 2 ? kChangeTraits : kChangeMerged, i % 2 ? 0 : i));
  }
  ASSERT_TRUE(s.append_changes(many).ok());
  ASSERT_TRUE(s.commit().ok());
  std::vector<ProfileChange> all = this->changes_after(0, 1000);
  ASSERT_EQ(all.size(), 75u);
  for (uint64_t i = 1; i <= 75; ++i) {
    const ProfileChange &c = all[i - 1];
    EXPECT_EQ(c.sequence, i);
    EXPECT_EQ(c.profile_id, 100 + i);
    EXPECT_EQ(c.kinds, i % 2 ? kChangeTraits : kChangeMerged);
    EXPECT_EQ(c.merged_into, i % 2 ? 0 : i);
    EXPECT_EQ(c.at_ms, many[i - 1].at_ms);
  }
}

TYPED_TEST(StoreConformance, ChangeLogRefusesAGapOrARepeatedSequence) {
  Store &s = this->store();
  ASSERT_TRUE(s.begin().ok());
  ASSERT_TRUE(s.append_changes({this->change(1, 1, kChangeTraits)}).ok());
  Status gap = s.append_changes({this->change(3, 1, kChangeTraits)});
  EXPECT_FALSE(gap.ok());
  EXPECT_NE(gap.message().find("does not continue"), std::string::npos) << gap.message();
  EXPECT_FALSE(s.append_changes({this->change(1, 1, kChangeTraits)}).ok());
  ASSERT_TRUE(s.commit().ok());
  EXPECT_EQ(must(s.last_change_sequence()), 1u);
}

TYPED_TEST(StoreConformance, ConsumerPositionsCommitWithTheTransactionAndSurviveReopen) {
  Store &s = this->store();
  EXPECT_EQ(must(s.consumer_position("features@1")), std::nullopt);
  ASSERT_TRUE(s.begin().ok());
  ASSERT_TRUE(s.set_consumer_position("features@1", 5).ok());
  ASSERT_TRUE(s.commit().ok());
  ASSERT_TRUE(s.begin().ok());
  ASSERT_TRUE(s.set_consumer_position("features@1", 9).ok());
  EXPECT_EQ(must(s.consumer_position("features@1")), std::optional<uint64_t>(9));
  ASSERT_TRUE(s.rollback().ok());
  this->reopen();
  EXPECT_EQ(must(this->store().consumer_position("features@1")), std::optional<uint64_t>(5));
  EXPECT_EQ(must(this->store().consumer_position("destination:x@1")), std::nullopt);
}

// One entry per profile (the latest schedule wins), due by time then id;
// cancel and delete_profile remove the entry.
TYPED_TEST(StoreConformance, ReemitsAreDueByTimeThenIdOneEntryPerProfile) {
  Store &s = this->store();
  ASSERT_TRUE(s.begin().ok());
  ASSERT_TRUE(s.schedule_reemit(3, 500).ok());
  ASSERT_TRUE(s.schedule_reemit(1, 900).ok());
  ASSERT_TRUE(s.schedule_reemit(2, 100).ok());
  ASSERT_TRUE(s.schedule_reemit(1, 200).ok());  // replaces 900
  ASSERT_TRUE(s.schedule_reemit(4, 200).ok());  // same time as 1: by id
  EXPECT_EQ(this->due(99), std::vector<uint64_t>{});
  EXPECT_EQ(this->due(200), (std::vector<uint64_t>{2, 1, 4}));
  EXPECT_EQ(this->due(1000), (std::vector<uint64_t>{2, 1, 4, 3}));
  ASSERT_TRUE(s.cancel_reemit(2).ok());
  ASSERT_TRUE(s.cancel_reemit(4).ok());
  this->put_profile(3, "{}");
  ASSERT_TRUE(s.delete_profile(3).ok());  // a merged-away profile
  ASSERT_TRUE(s.commit().ok());
  EXPECT_EQ(this->due(1000), std::vector<uint64_t>{1});
}

TYPED_TEST(StoreConformance, ScanCallbackMayReenterTheStore) {
  Store &s = this->store();
  ASSERT_TRUE(s.begin().ok());
  for (uint64_t id = 1; id <= 3; ++id) this->put_profile(id, "{}");
  ASSERT_TRUE(s.put_identifier("email", "x", 2, 0, 0).ok());
  std::vector<size_t> identifier_counts;
  ASSERT_TRUE(s.scan_profiles([&](const StoredProfile &p) {
                 identifier_counts.push_back(must(s.identifiers_of(p.id)).size());
                 EXPECT_TRUE(s.put_features(p.id, "{\"seen\":1}").ok());
               }).ok());
  ASSERT_TRUE(s.commit().ok());
  EXPECT_EQ(identifier_counts, (std::vector<size_t>{0, 1, 0}));
  EXPECT_EQ(must(s.get_profile(3))->features, "{\"seen\":1}");
}

// The same scan inside its own callback reads on a statement of its own;
// each sees every row, and the scan runs again afterwards from the start.
TYPED_TEST(StoreConformance, AScanMayRunItselfInsideItsCallback) {
  Store &s = this->store();
  ASSERT_TRUE(s.begin().ok());
  for (uint64_t id = 1; id <= 3; ++id) this->put_profile(id, "{}");
  ASSERT_TRUE(s.commit().ok());
  std::vector<uint64_t> outer, inner;
  ASSERT_TRUE(s.scan_profiles(0, 10, [&](const StoredProfile &p) {
                 outer.push_back(p.id);
                 if (p.id != 2) return;
                 EXPECT_TRUE(s.scan_profiles(0, 10, [&](const StoredProfile &q) {
                                inner.push_back(q.id);
                              }).ok());
               }).ok());
  EXPECT_EQ(outer, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(inner, (std::vector<uint64_t>{1, 2, 3}));
  // Stopped early (a limit), then again: from the first row, not where it stopped.
  for (int round = 0; round < 2; ++round) {
    std::vector<uint64_t> first;
    ASSERT_TRUE(s.scan_profiles(1, 1, [&](const StoredProfile &p) { first.push_back(p.id); }).ok());
    EXPECT_EQ(first, std::vector<uint64_t>{2});
  }
}

// A read-only Store reads but refuses every write and transaction, and
// leaves the store as it was.
TYPED_TEST(StoreConformance, ReadOnlyOpenRefusesWrites) {
  ASSERT_TRUE(this->store().begin().ok());
  this->append(1, 2);
  this->put_profile(1, "{}");
  ASSERT_TRUE(this->store().set_meta("next_profile_id", "2").ok());
  ASSERT_TRUE(this->store().commit().ok());
  this->store_.reset();
  auto reader = this->open({.read_only = true, .check_invariants = true});
  ASSERT_TRUE(reader);
  EXPECT_EQ(must(reader->event_count()), 2u);
  EXPECT_EQ(must(reader->profile_count()), 1u);
  EXPECT_EQ(reader->begin().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(reader->commit().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(reader->rollback().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(reader->set_meta("k", "v").ok());
  EXPECT_FALSE(reader->set_cursor("shop", "1").ok());
  EXPECT_FALSE(reader->in_transaction());
  reader.reset();
  this->reopen();
  EXPECT_EQ(must(this->store().get_meta("k")), std::nullopt);
  EXPECT_EQ(must(this->store().event_count()), 2u);
}

// Fitted parameters round-trip exactly, in their order, with the
// configuration and the model bytes; the latest fit of an instance wins; a
// rebuild (clear_derived) keeps them (a `refit` policy reuses them).
TYPED_TEST(StoreConformance, ModelFitsRoundTripAndOutliveARebuild) {
  ASSERT_TRUE(this->store().begin().ok());
  const std::string model("\x01\0\xff model", 9);
  ModelFit first{"lifetime", 1000, 900, 3, 12, {{"r", 0.1 + 0.2}, {"alpha", 4.413532}}, "a", ""};
  ModelFit second{
      "lifetime",          2000, 1900, 4, 20, {{"r", 1e-300}, {"b", -2.5}, {"a_2", 1e21}},
      "model:lifetime@1f", model};
  ModelFit other{"rfm", 3000, 2900, 5, 20, {}, "", ""};
  for (const ModelFit *f : {&first, &second, &other}) {
    ASSERT_TRUE(this->store().add_model_fit(*f).ok());
  }
  ASSERT_TRUE(this->store().commit().ok());
  auto got = must(this->store().latest_model_fit("lifetime"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->fitted_at_ms, 2000);
  EXPECT_EQ(got->as_of_ms, 1900);
  EXPECT_EQ(got->profiles, 4u);
  EXPECT_EQ(got->last_sequence, 20u);
  EXPECT_EQ(got->params, second.params);  // exact doubles, same order
  EXPECT_EQ(got->config, "model:lifetime@1f");
  EXPECT_EQ(got->model, model);  // every byte, NULs included
  auto empty = must(this->store().latest_model_fit("rfm"));
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->params.empty());
  EXPECT_FALSE(must(this->store().latest_model_fit("none")).has_value());
  ASSERT_TRUE(this->store().begin().ok());
  ASSERT_TRUE(this->store().clear_derived().ok());
  ASSERT_TRUE(this->store().commit().ok());
  auto kept = must(this->store().latest_model_fit("lifetime"));
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->model, model);
}

// Segment membership: definitions with sizes, changes recorded with what
// each profile entered and exited, memberships by profile and by segment,
// kernel-bug calls refused, a profile merged away exiting everything, and a
// deleted profile leaving its segments without a change.
SegmentChange segment_change(uint64_t profile, std::vector<std::string> entered,
                             std::vector<std::string> exited, int64_t at) {
  SegmentChange c;
  c.profile_id = profile;
  c.entered = std::move(entered);
  c.exited = std::move(exited);
  c.at_ms = at;
  return c;
}

// A change in a batch sees the batch's earlier changes of the same profile.
TYPED_TEST(StoreConformance, OneBatchMayChangeAProfileTwice) {
  Store &st = this->store();
  ASSERT_TRUE(st.begin().ok());
  for (uint64_t id : {1, 2}) this->put_profile(id, "");
  ASSERT_TRUE(st.define_segment("vip", "features.revenue > 10", 1).ok());
  ASSERT_TRUE(st.define_segment("lapsed", "features.last < now() - 30d", 1).ok());
  ASSERT_TRUE(
      st.change_segments({segment_change(1, {"vip"}, {}, 10), segment_change(2, {"vip"}, {}, 10),
                          segment_change(1, {"lapsed"}, {"vip"}, 20)})
          .ok());
  EXPECT_EQ(must(st.segments_of(1)), std::vector<std::string>{"lapsed"});
  EXPECT_EQ(must(st.segments_of(2)), std::vector<std::string>{"vip"});
  ASSERT_TRUE(st.commit().ok());
  ASSERT_TRUE(st.begin().ok());
  EXPECT_EQ(st.change_segments(
                  {segment_change(2, {"lapsed"}, {}, 30), segment_change(2, {"lapsed"}, {}, 30)})
                .code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(st.rollback().ok());
  for (const SegmentDefinition &d : must(st.segment_definitions())) {
    EXPECT_EQ(d.size, 1u) << d.name;
  }
}

// The stored memberships a change applies to are read for ids close
// together (a page of profiles) and for ids far apart alike; a profile
// between the changed ones keeps its own.
TYPED_TEST(StoreConformance, SegmentChangesApplyToStoredMembershipsNearAndFar) {
  Store &st = this->store();
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.define_segment("a", "traits.x", 1).ok());
  ASSERT_TRUE(st.define_segment("b", "traits.y", 1).ok());
  const std::vector<uint64_t> near = {10, 11, 12, 13}, far = {20, 5'000, 9'000'000};
  std::vector<SegmentChange> first;
  for (uint64_t id : near) first.push_back(segment_change(id, {"a"}, {}, 1));
  for (uint64_t id : far) first.push_back(segment_change(id, {"a"}, {}, 1));
  ASSERT_TRUE(st.change_segments(first).ok());
  for (const std::vector<uint64_t> *ids : {&near, &far}) {
    // Every other one: the ones between keep "a" alone.
    std::vector<SegmentChange> next;
    for (size_t k = 0; k < ids->size(); k += 2) {
      next.push_back(segment_change((*ids)[k], {"b"}, {"a"}, 2));
    }
    ASSERT_TRUE(st.change_segments(next).ok());
    for (size_t k = 0; k < ids->size(); ++k) {
      EXPECT_EQ(must(st.segments_of((*ids)[k])), std::vector<std::string>{k % 2 == 0 ? "b" : "a"})
          << (*ids)[k];
    }
  }
  // A change to a member of "b" is checked against what is stored.
  EXPECT_EQ(st.change_segments({segment_change(near[0], {"b"}, {}, 3)}).code(),
            StatusCode::kInvalidArgument);
  // A profile in no segment yet: entries in any order are kept ascending,
  // one named twice is refused.
  ASSERT_TRUE(st.change_segments({segment_change(30, {"b", "a"}, {}, 4)}).ok());
  EXPECT_EQ(must(st.segments_of(30)), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(st.change_segments({segment_change(31, {"a", "a"}, {}, 4)}).code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(st.rollback().ok());
}

TYPED_TEST(StoreConformance, SegmentMembershipKeepsSizesAndChanges) {
  Store &st = this->store();
  ASSERT_TRUE(st.begin().ok());
  for (uint64_t id : {1, 2, 3}) this->put_profile(id, "");
  ASSERT_TRUE(st.define_segment("vip", "features.revenue > 10", 100).ok());
  ASSERT_TRUE(st.define_segment("lapsed", "features.last < now() - 30d", 100).ok());
  ASSERT_TRUE(st.change_segments({segment_change(2, {"lapsed", "vip"}, {}, 200),
                                  segment_change(3, {"vip"}, {}, 210)})
                  .ok());
  ASSERT_TRUE(st.change_segments({segment_change(3, {}, {"vip"}, 230)}).ok());
  ASSERT_TRUE(st.commit().ok());
  // Entering twice, leaving a segment one is not in, an undefined segment, a
  // name the store cannot keep: refused (the caller rolls back).
  ASSERT_TRUE(st.begin().ok());
  EXPECT_EQ(st.change_segments({segment_change(2, {"vip"}, {}, 240)}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(st.change_segments({segment_change(1, {}, {"vip"}, 240)}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(st.change_segments({segment_change(1, {"nobody"}, {}, 240)}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(st.define_segment("a,b", "traits.x", 240).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(st.rollback().ok());

  auto defs = must(st.segment_definitions());
  ASSERT_EQ(defs.size(), 2u);
  EXPECT_EQ(defs[0].name, "lapsed");  // by name
  EXPECT_EQ(defs[0].size, 1u);
  EXPECT_EQ(defs[0].changed_at_ms, 200);
  EXPECT_EQ(defs[1].name, "vip");
  EXPECT_EQ(defs[1].expression, "features.revenue > 10");
  EXPECT_EQ(defs[1].size, 1u);
  EXPECT_EQ(defs[1].changed_at_ms, 230);
  EXPECT_EQ(must(st.segments_of(2)), (std::vector<std::string>{"lapsed", "vip"}));
  EXPECT_TRUE(must(st.segments_of(3)).empty());
  std::vector<std::pair<uint64_t, std::string>> by_profile;
  ASSERT_TRUE(st.scan_segments_by_profile(1, 3, [&](uint64_t id, std::string_view s) {
                  by_profile.emplace_back(id, s);
                }).ok());
  EXPECT_EQ(by_profile, (std::vector<std::pair<uint64_t, std::string>>{{2, "lapsed"}, {2, "vip"}}));
  std::vector<uint64_t> members;
  ASSERT_TRUE(
      st.scan_segment_members("vip", 0, 10, [&](uint64_t id) { members.push_back(id); }).ok());
  EXPECT_EQ(members, std::vector<uint64_t>{2});
  std::vector<SegmentChange> changes;
  ASSERT_TRUE(
      st.scan_segment_changes(0, 10, [&](const SegmentChange &c) { changes.push_back(c); }).ok());
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].entered, (std::vector<std::string>{"lapsed", "vip"}));
  EXPECT_EQ(changes[2].profile_id, 3u);
  EXPECT_TRUE(changes[2].entered.empty());
  EXPECT_EQ(changes[2].exited, std::vector<std::string>{"vip"});
  EXPECT_EQ(changes[2].at_ms, 230);
  EXPECT_LT(changes[1].id, changes[2].id);
  std::vector<SegmentChange> after;
  ASSERT_TRUE(st.scan_segment_changes(changes[0].id, 1, [&](const SegmentChange &c) {
                  after.push_back(c);
                }).ok());
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].id, changes[1].id);

  // A redefinition keeps the members; a profile merged away exits each of
  // its segments in one change; a deleted profile leaves without one.
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.define_segment("vip", "features.revenue > 20", 300).ok());
  ASSERT_TRUE(st.change_segments({segment_change(1, {"vip"}, {}, 310)}).ok());
  ASSERT_TRUE(st.exit_all_segments(2, 400).ok());
  ASSERT_TRUE(st.exit_all_segments(3, 400).ok());  // in none: nothing
  ASSERT_TRUE(st.delete_profile(1).ok());
  ASSERT_TRUE(st.commit().ok());
  defs = must(st.segment_definitions());
  EXPECT_EQ(defs[1].expression, "features.revenue > 20");
  EXPECT_EQ(defs[0].size, 0u);
  EXPECT_EQ(defs[1].size, 0u);
  EXPECT_EQ(defs[1].changed_at_ms, 400);
  EXPECT_TRUE(must(st.segments_of(1)).empty());
  EXPECT_TRUE(must(st.segments_of(2)).empty());
  changes.clear();
  ASSERT_TRUE(
      st.scan_segment_changes(0, 10, [&](const SegmentChange &c) { changes.push_back(c); }).ok());
  ASSERT_EQ(changes.size(), 5u);
  EXPECT_EQ(changes[4].profile_id, 2u);
  EXPECT_EQ(changes[4].exited, (std::vector<std::string>{"lapsed", "vip"}));
  EXPECT_EQ(changes[4].at_ms, 400);
}

// clear_profile (a split) removes what made the profile -- its links, the
// merges into it at any depth, their refused links -- and its traits,
// features, state and re-emit; its id keeps its segments. Another
// profile keeps everything.
TYPED_TEST(StoreConformance, ClearingAProfileKeepsItsIdAndSegmentsOnly) {
  Store &st = this->store();
  ASSERT_TRUE(st.begin().ok());
  for (uint64_t id : {1, 5}) {
    StoredProfile p;
    p.id = id;
    p.traits = "t";
    ASSERT_TRUE(st.put_profile(p).ok());
    ASSERT_TRUE(st.put_features(id, "f").ok());
    ASSERT_TRUE(st.put_feature_state("agg", id, "x", 1).ok());
    ASSERT_TRUE(st.schedule_reemit(id, 50).ok());
  }
  ASSERT_TRUE(st.put_identifier("email", "a@x", 1, 1, 10).ok());
  ASSERT_TRUE(st.put_identifier("phone", "0912", 1, 2, 20).ok());
  ASSERT_TRUE(st.put_identifier("email", "b@x", 5, 3, 30).ok());
  ASSERT_TRUE(st.add_merge(3, 2, 4).ok());  // 3 into 2 into 1: both absorbed by 1
  ASSERT_TRUE(st.add_merge(2, 1, 5).ok());
  ASSERT_TRUE(st.add_merge(4, 5, 6).ok());
  ASSERT_TRUE(st.add_conflict(7, "user_id", "u1", 3, "limit", 0).ok());
  ASSERT_TRUE(st.add_conflict(8, "user_id", "u2", 5, "limit", 1).ok());
  ASSERT_TRUE(st.add_conflict(9, "user_id", "u3", 5, "limit", 5).ok());
  ASSERT_TRUE(st.define_segment("vip", "true", 1).ok());
  ASSERT_TRUE(st.change_segments({segment_change(1, {"vip"}, {}, 10)}).ok());
  ASSERT_TRUE(st.clear_profile(1).ok());
  ASSERT_TRUE(st.commit().ok());

  EXPECT_EQ(must(st.find_profile("email", "a@x")), std::nullopt);
  EXPECT_EQ(must(st.find_profile("phone", "0912")), std::nullopt);
  EXPECT_EQ(must(st.get_profile(1)), std::nullopt);
  EXPECT_EQ(must(st.get_features(1)), std::nullopt);
  EXPECT_EQ(must(st.get_feature_state("agg", 1)), std::nullopt);
  const IdentityHistory h = must(st.identity_history(1));
  EXPECT_TRUE(h.links.empty() && h.merges.empty() && h.refused.empty());
  EXPECT_EQ(must(st.segments_of(1)), std::vector<std::string>{"vip"});
  std::vector<uint64_t> due;
  ASSERT_TRUE(st.scan_due_reemits(100, [&](uint64_t id) { due.push_back(id); }).ok());
  EXPECT_EQ(due, std::vector<uint64_t>{5});
  // Profile 5: its link, merge and its own refused link stay; the refused
  // link whose event went to profile 1 went with it.
  EXPECT_EQ(must(st.find_profile("email", "b@x")), std::optional<uint64_t>(5));
  ASSERT_TRUE(must(st.get_profile(5)).has_value());
  EXPECT_EQ(must(st.get_feature_state("agg", 5)), std::optional<std::string>("x"));
  const IdentityHistory kept = must(st.identity_history(5));
  ASSERT_EQ(kept.merges.size(), 1u);
  EXPECT_EQ(kept.merges[0].from, 4u);
  ASSERT_EQ(kept.refused.size(), 1u);
  EXPECT_EQ(kept.refused[0].sequence, 9u);
}

// The reads for a list of profiles give exactly what the one-profile
// reads give for each, by id, skipping ids with nothing stored -- also for
// an id near the top of the id range and a list longer than one chunk.
TYPED_TEST(StoreConformance, ReadsOfAListOfProfilesEqualTheOneProfileReads) {
  Store &st = this->store();
  constexpr uint64_t kHigh = (uint64_t{1} << 62) + 3;
  std::vector<uint64_t> stored;
  for (uint64_t id = 1; id <= 3000; id += 3) stored.push_back(id);
  stored.push_back(kHigh);
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.define_segment("vip", "traits.vip", 1).ok());
  ASSERT_TRUE(st.define_segment("new", "traits.new", 1).ok());
  for (uint64_t id : stored) {
    this->put_profile(id, "t" + std::to_string(id));
    if (id % 2) {
      ASSERT_TRUE(st.put_features(id, "f" + std::to_string(id)).ok());
    }
    for (uint64_t k = 0; k < id % 4; ++k) {
      ASSERT_TRUE(st.put_identifier(k % 2 ? "email" : "phone", std::to_string(id * 10 + k), id, id,
                                    static_cast<int64_t>(id + k))
                      .ok());
    }
    const std::string state = "s" + std::to_string(id);
    if (id % 5) {
      ASSERT_TRUE(st.put_feature_state("orders", id, state.data(), state.size()).ok());
    }
    ASSERT_TRUE(st.put_feature_state("other", id, "x", 1).ok());
    std::vector<std::string> in;
    if (id % 7 == 0) in.push_back("vip");
    if (id % 11 == 0) in.push_back("new");
    if (!in.empty()) {
      ASSERT_TRUE(st.change_segments({segment_change(id, in, {}, 5)}).ok());
    }
  }
  ASSERT_TRUE(st.commit().ok());

  std::vector<uint64_t> ids;  // every other id, stored or not, and the high one
  for (uint64_t id = 1; id <= 3001; id += 2) ids.push_back(id);
  ids.push_back(kHigh);
  std::vector<uint64_t> profiles, expected_profiles;
  ASSERT_TRUE(st.get_profiles(ids, [&](const StoredProfile &p) {
                  profiles.push_back(p.id);
                  auto one = must(st.get_profile(p.id));
                  ASSERT_TRUE(one.has_value());
                  EXPECT_EQ(p.traits, one->traits);
                  EXPECT_EQ(p.features, one->features) << p.id;
                  EXPECT_EQ(p.updated_at_ms, one->updated_at_ms);
                }).ok());
  using Link = std::tuple<uint64_t, std::string, std::string, int64_t>;
  std::vector<Link> links, expected_links;
  ASSERT_TRUE(st.scan_links_of(ids, [&](uint64_t id, std::string_view type, std::string_view value,
                                        int64_t at) {
                  links.emplace_back(id, type, value, at);
                }).ok());
  std::vector<std::pair<uint64_t, std::string>> states, expected_states, memberships,
      expected_memberships;
  ASSERT_TRUE(st.get_feature_states("orders", ids, [&](uint64_t id, std::string_view data) {
                  states.emplace_back(id, data);
                }).ok());
  std::vector<std::pair<uint64_t, std::string>> features, expected_features;
  ASSERT_TRUE(st.get_features(ids, [&](uint64_t id, std::string_view f) {
                  features.emplace_back(id, f);
                }).ok());
  ASSERT_TRUE(st.scan_segments_of(ids, [&](uint64_t id, std::string_view segment) {
                  memberships.emplace_back(id, segment);
                }).ok());
  for (uint64_t id : ids) {
    if (must(st.get_profile(id)).has_value()) expected_profiles.push_back(id);
    for (const StoredLink &l : must(st.links_of(id)))
      expected_links.emplace_back(id, l.type, l.value, l.at_ms);
    if (auto data = must(st.get_feature_state("orders", id)))
      expected_states.emplace_back(id, *data);
    if (auto f = must(st.get_features(id))) expected_features.emplace_back(id, *f);
    for (const std::string &seg : must(st.segments_of(id)))
      expected_memberships.emplace_back(id, seg);
  }
  EXPECT_EQ(profiles, expected_profiles);
  EXPECT_EQ(links, expected_links);
  EXPECT_EQ(states, expected_states);
  EXPECT_EQ(features, expected_features);
  EXPECT_EQ(memberships, expected_memberships);
  // What the lists hold: half the ids are stored, and the high id is read.
  EXPECT_EQ(profiles.size(), 501u);
  EXPECT_EQ(profiles.back(), kHigh);
  EXPECT_FALSE(links.empty());
  EXPECT_FALSE(features.empty());
  EXPECT_FALSE(memberships.empty());
  bool called = false;  // an empty list reads nothing
  ASSERT_TRUE(st.get_profiles({}, [&](const StoredProfile &) { called = true; }).ok());
  EXPECT_FALSE(called);
}

// Many re-checks at once (more than one multi-row statement's worth),
// with cancels between them: applied in order, a profile named twice
// keeps the last.
TYPED_TEST(StoreConformance, ManySegmentChecksAtOnceAreAppliedInOrder) {
  Store &st = this->store();
  std::vector<SegmentCheck> checks;
  std::map<uint64_t, int64_t> expected;  // profile -> due
  for (uint64_t id = 1; id <= 100; ++id) {
    checks.push_back({id, static_cast<int64_t>(1000 + id)});
    expected[id] = static_cast<int64_t>(1000 + id);
    if (id % 7 == 0) {  // cancelled again later in the same call
      checks.push_back({id, std::nullopt});
      expected.erase(id);
    }
  }
  checks.push_back({3, 5});  // scheduled twice: the last time holds
  expected[3] = 5;
  checks.push_back({14, 9});  // cancelled, then scheduled again
  expected[14] = 9;
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.set_segment_checks(checks).ok());
  ASSERT_TRUE(st.commit().ok());
  std::vector<uint64_t> due, want;
  ASSERT_TRUE(st.scan_due_segment_checks(INT64_MAX, [&](uint64_t id) { due.push_back(id); }).ok());
  std::vector<std::pair<int64_t, uint64_t>> by_due;
  for (const auto &[id, at] : expected) by_due.emplace_back(at, id);
  std::sort(by_due.begin(), by_due.end());
  for (const auto &entry : by_due) want.push_back(entry.second);
  EXPECT_EQ(due, want);
  due.clear();
  ASSERT_TRUE(st.scan_due_segment_checks(9, [&](uint64_t id) { due.push_back(id); }).ok());
  EXPECT_EQ(due, (std::vector<uint64_t>{3, 14}));
}

TYPED_TEST(StoreConformance, DropSegmentAndRebuildKeepMembership) {
  Store &st = this->store();
  ASSERT_TRUE(st.begin().ok());
  this->put_profile(1, "");  // profile 2 is gone (merged away) by the time of the rebuild
  ASSERT_TRUE(st.define_segment("a", "traits.x", 1).ok());
  ASSERT_TRUE(st.define_segment("b", "traits.y", 1).ok());
  ASSERT_TRUE(
      st.change_segments({segment_change(1, {"a", "b"}, {}, 2), segment_change(2, {"a"}, {}, 2)})
          .ok());
  ASSERT_TRUE(st.set_segment_checks(std::vector<SegmentCheck>{{1, 50}}).ok());
  ASSERT_TRUE(st.drop_segment("a").ok());
  ASSERT_TRUE(st.commit().ok());
  EXPECT_EQ(must(st.segments_of(1)), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(must(st.segments_of(2)).empty());
  ASSERT_EQ(must(st.segment_definitions()).size(), 1u);
  std::vector<uint64_t> due;
  ASSERT_TRUE(st.scan_due_segment_checks(49, [&](uint64_t id) { due.push_back(id); }).ok());
  EXPECT_TRUE(due.empty());
  ASSERT_TRUE(st.scan_due_segment_checks(50, [&](uint64_t id) { due.push_back(id); }).ok());
  EXPECT_EQ(due, std::vector<uint64_t>{1});
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.set_segment_checks(std::vector<SegmentCheck>{{1, std::nullopt}}).ok());
  ASSERT_TRUE(st.commit().ok());
  due.clear();
  ASSERT_TRUE(st.scan_due_segment_checks(INT64_MAX, [&](uint64_t id) { due.push_back(id); }).ok());
  EXPECT_TRUE(due.empty());
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.set_segment_checks(std::vector<SegmentCheck>{{1, 70}, {2, 80}}).ok());
  ASSERT_TRUE(st.cancel_all_segment_checks().ok());
  ASSERT_TRUE(st.commit().ok());
  ASSERT_TRUE(st.scan_due_segment_checks(INT64_MAX, [&](uint64_t id) { due.push_back(id); }).ok());
  EXPECT_TRUE(due.empty());
  // A rebuild keeps memberships and their changes (its evaluation records
  // what differs) and forgets the re-check times.
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.set_segment_checks(std::vector<SegmentCheck>{{1, 60}}).ok());
  ASSERT_TRUE(st.clear_derived().ok());
  ASSERT_TRUE(st.commit().ok());
  EXPECT_EQ(must(st.segment_definitions()).size(), 1u);
  EXPECT_EQ(must(st.segments_of(1)), (std::vector<std::string>{"b"}));
  size_t changes = 0;
  ASSERT_TRUE(st.scan_segment_changes(0, 10, [&](const SegmentChange &) { ++changes; }).ok());
  EXPECT_EQ(changes, 2u);
  ASSERT_TRUE(st.scan_due_segment_checks(INT64_MAX, [&](uint64_t id) { due.push_back(id); }).ok());
  EXPECT_TRUE(due.empty());
  // Profile 1 is gone after the rebuild: its membership ends, and the size
  // counts what is left.
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.exit_all_segments(1, 70).ok());
  ASSERT_TRUE(st.commit().ok());
  EXPECT_EQ(must(st.segment_definitions())[0].size, 0u);
  EXPECT_TRUE(must(st.segments_of(1)).empty());
}

// set_segment_sizes sets the sizes named and leaves the others; an
// undefined name is refused.
TYPED_TEST(StoreConformance, SegmentSizesAreSetAsCounted) {
  Store &st = this->store();
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.define_segment("a", "traits.x", 1).ok());
  ASSERT_TRUE(st.define_segment("b", "traits.y", 1).ok());
  ASSERT_TRUE(st.define_segment("c", "traits.z", 1).ok());
  ASSERT_TRUE(st.change_segments({segment_change(1, {"c"}, {}, 2)}).ok());
  ASSERT_TRUE(st.set_segment_sizes({{"a", 2}, {"b", 0}}).ok());
  auto defs = must(st.segment_definitions());
  EXPECT_EQ(defs[0].size, 2u);
  EXPECT_EQ(defs[1].size, 0u);
  EXPECT_EQ(defs[2].size, 1u);
  Status refused = st.set_segment_sizes({{"nope", 1}});
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("'nope'"), std::string::npos) << refused.message();
  ASSERT_TRUE(st.rollback().ok());
}

// Members of one segment come in pages, skipping profiles of other segments.
TYPED_TEST(StoreConformance, SegmentMembersComeInPages) {
  Store &st = this->store();
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.define_segment("a", "traits.x", 1).ok());
  ASSERT_TRUE(st.define_segment("b", "traits.y", 1).ok());
  std::vector<SegmentChange> changes;
  for (uint64_t id = 1; id <= 10; ++id) {
    this->put_profile(id, "");
    changes.push_back(segment_change(id, {id % 3 == 0 ? "a" : "b"}, {}, 5));
  }
  ASSERT_TRUE(st.change_segments(changes).ok());
  ASSERT_TRUE(st.commit().ok());
  std::vector<uint64_t> page;
  ASSERT_TRUE(st.scan_segment_members("a", 0, 2, [&](uint64_t id) { page.push_back(id); }).ok());
  EXPECT_EQ(page, (std::vector<uint64_t>{3, 6}));
  page.clear();
  ASSERT_TRUE(st.scan_segment_members("a", 6, 2, [&](uint64_t id) { page.push_back(id); }).ok());
  EXPECT_EQ(page, std::vector<uint64_t>{9});
  EXPECT_EQ(must(st.segment_definitions())[1].size, 7u);
}

// read_profile_page with `gone`: each page also reports the memberships of
// ids no profile holds, from after `after` through the page's last id, and
// the empty page at the end those above every profile.
TYPED_TEST(StoreConformance, ProfilePagesReportMembershipsOfProfilesGone) {
  Store &st = this->store();
  ASSERT_TRUE(st.begin().ok());
  ASSERT_TRUE(st.define_segment("a", "traits.x", 1).ok());
  std::vector<SegmentChange> changes;
  for (uint64_t id : {1, 2, 3, 4, 6, 9}) changes.push_back(segment_change(id, {"a"}, {}, 5));
  ASSERT_TRUE(st.change_segments(changes).ok());
  for (uint64_t id : {1, 3, 5, 7}) this->put_profile(id, TraitEncoder(0).take());
  ASSERT_TRUE(st.commit().ok());
  std::vector<ProfileExport> page;
  std::vector<uint64_t> gone;
  std::vector<std::vector<uint64_t>> pages, gone_by_page;
  std::vector<uint64_t> members;  // profiles read with segment "a"
  for (uint64_t after = 0;;) {
    gone.clear();
    Status read = read_profile_page(st, after, 2, IdentifierTypes{}, page, &gone);
    ASSERT_TRUE(read.ok()) << read.message();
    std::vector<uint64_t> ids;
    for (const ProfileExport &p : page) {
      ids.push_back(p.id);
      if (!p.segments.empty()) members.push_back(p.id);
    }
    pages.push_back(ids);
    gone_by_page.push_back(gone);
    if (page.empty()) break;
    after = page.back().id;
  }
  EXPECT_EQ(pages, (std::vector<std::vector<uint64_t>>{{1, 3}, {5, 7}, {}}));
  EXPECT_EQ(gone_by_page, (std::vector<std::vector<uint64_t>>{{2}, {4, 6}, {9}}));
  EXPECT_EQ(members, (std::vector<uint64_t>{1, 3}));
  // Without `gone`, a page reads only its own profiles' memberships.
  ASSERT_TRUE(read_profile_page(st, 0, 2, IdentifierTypes{}, page).ok());
  EXPECT_EQ(page[1].segments, (std::vector<std::string>{"a"}));
}

// Page reads fill in every identifier, none, or those of the types asked
// for (a segment evaluation's), sorted either way.
TYPED_TEST(StoreConformance, ProfilePagesReadTheIdentifierTypesAskedFor) {
  Store &st = this->store();
  ASSERT_TRUE(st.begin().ok());
  for (uint64_t id : {1, 2}) this->put_profile(id, TraitEncoder(0).take());
  ASSERT_TRUE(st.put_identifier("phone", "+989120000001", 1, 0, 0).ok());
  ASSERT_TRUE(st.put_identifier("email", "b@x.ir", 1, 0, 0).ok());
  ASSERT_TRUE(st.put_identifier("anonymous_id", "a1", 1, 0, 0).ok());
  ASSERT_TRUE(st.put_identifier("email", "a@x.ir", 1, 0, 0).ok());
  ASSERT_TRUE(st.put_identifier("anonymous_id", "a2", 2, 0, 0).ok());
  ASSERT_TRUE(st.commit().ok());
  using Ids = std::vector<std::pair<std::string, std::string>>;
  const std::vector<uint64_t> both = {1, 2};
  const IdentifierTypes mail_and_phone{false, {"email", "phone"}};
  for (const bool by_ids : {false, true}) {
    auto read = [&](const IdentifierTypes &types) {
      std::vector<ProfileExport> page;
      Status s = by_ids ? read_profile_exports(st, both, types, page)
                        : read_profile_page(st, 0, 10, types, page);
      EXPECT_TRUE(s.ok()) << s.message();
      EXPECT_EQ(page.size(), 2u);
      return page;
    };
    auto page = read(IdentifierTypes::all());
    EXPECT_EQ(page[0].identifiers, (Ids{{"anonymous_id", "a1"},
                                        {"email", "a@x.ir"},
                                        {"email", "b@x.ir"},
                                        {"phone", "+989120000001"}}));
    EXPECT_EQ(page[1].identifiers, (Ids{{"anonymous_id", "a2"}}));
    page = read(mail_and_phone);
    EXPECT_EQ(page[0].identifiers,
              (Ids{{"email", "a@x.ir"}, {"email", "b@x.ir"}, {"phone", "+989120000001"}}));
    EXPECT_TRUE(page[1].identifiers.empty());
    page = read(IdentifierTypes{});
    EXPECT_TRUE(page[0].identifiers.empty());
  }
}

// A reader sees committed data only, and one snapshot for its whole life.
TYPED_TEST(StoreConformance, ReaderSeesOneCommittedSnapshot) {
  ASSERT_TRUE(this->store().begin().ok());
  this->append(1, 4);
  auto during = this->open({.read_only = true, .check_invariants = true});
  ASSERT_TRUE(during);
  EXPECT_EQ(must(during->event_count()), 0u);  // not the open transaction's rows
  ASSERT_TRUE(this->store().commit().ok());
  EXPECT_EQ(must(during->event_count()), 0u);  // nor later commits
  auto after = this->open({.read_only = true, .check_invariants = true});
  ASSERT_TRUE(after);
  EXPECT_EQ(must(after->event_count()), 4u);
}

TYPED_TEST(StoreConformance, ReadOnlyOpenOfAMissingStoreIsNotFoundAndCreatesNothing) {
  TypeParam never_written;  // a fresh location nothing has opened
  auto missing = open_store(TypeParam::kKind, never_written.location(),
                            {.read_only = true, .check_invariants = true});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound) << missing.status().message();
  auto again = open_store(TypeParam::kKind, never_written.location(),
                          {.read_only = true, .check_invariants = true});
  EXPECT_EQ(again.status().code(), StatusCode::kNotFound);  // the first left nothing
}

// The factory: the kinds of store_kind.h open, anything else is refused
// naming the known kinds.
TEST(StoreFactory, UnknownOrPlannedKindsAreRefusedNamingTheKnownKinds) {
  auto unknown = open_store("mysql", "/nonexistent/halo.db");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(), "unknown store kind 'mysql' (known kinds: sqlite)");
  auto planned = open_store("postgres", "/nonexistent/halo.db");
  ASSERT_FALSE(planned.ok());
  EXPECT_EQ(planned.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(planned.status().message(),
            "store kind 'postgres' is not implemented yet (use kind: sqlite)");
  EXPECT_FALSE(std::filesystem::exists("/nonexistent"));
}

TEST(StoreFactory, SqliteIsTheDefaultKindAndOpens) {
  for (const std::string &kind : store_kinds()) {
    EXPECT_TRUE(is_store_kind(kind));
    EXPECT_FALSE(is_planned_store_kind(kind)) << kind;
  }
  EXPECT_EQ(store_kinds().front(), "sqlite");  // the default of store.kind
  SqliteBackend where;
  auto store = open_store("sqlite", where.location());
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->path(), where.location());
}

}  // namespace
}  // namespace halo::testing
