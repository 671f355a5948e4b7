// store_file_fuzz.cpp -- libFuzzer target for reading a damaged store file.
// A small, real store is built once; each input is a list of byte patches
// (3-byte little-endian offset modulo the file size, then the new byte)
// applied to a copy of that file. The copy is opened read-only and every
// read and the full check run on it.
// Invariants checked: nothing crashes or throws; every failure is a Status
// whose message names the store ("sqlite store"); and when the full check
// (`halo store check`) finds no problem, every read succeeds -- a store
// declared sound is readable.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "store/sqlite_store.h"
#include "store/store_check.h"

namespace {

std::string g_dir, g_pristine;

void require(bool ok) {
  if (!ok) std::abort();
}

// Profiles 1..40 with identifiers, features, state, two logged batches,
// a cursor and a dead letter; checkpointed into the main file.
void build_pristine() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "halo-fuzz-XXXXXX").string();
  require(mkdtemp(tmpl.data()) != nullptr);
  g_dir = tmpl;
  std::string path = g_dir + "/pristine.db";
  {
    auto store = halo::SqliteStore::open(path);
    require(store.ok());
    halo::Store &s = *store.value();
    require(s.begin().ok());
    for (uint64_t id = 1; id <= 40; ++id) {
      std::string n = std::to_string(id);
      require(s.put_identifier("email", "p" + n + "@example.ir", id, 0, 0).ok());
      require(s.put_profile({id, "{\"name\":\"p" + n + "\"}", "{}", 1700000000000}).ok());
      require(s.put_features(id, "{\"order_count\":" + n + "}").ok());
      require(s.put_feature_state("orders", id, n.data(), n.size()).ok());
    }
    require(s.add_merge(41, 1, 3).ok());
    require(s.set_meta("next_profile_id", "42").ok());
    require(s.set_cursor("web", "line=80").ok());
    std::vector<std::string> raws;
    for (int i = 0; i < 8; ++i) raws.push_back("{\"messageId\":\"m" + std::to_string(i) + "\"}");
    std::vector<halo::LoggedEvent> events;
    std::vector<halo::MessageKey> keys;
    for (uint64_t i = 0; i < raws.size(); ++i) {
      events.push_back({i + 1, 1700000000000, "web", raws[i]});
      keys.push_back({i * 31 + 7, ~i});
    }
    require(s.append_events(events, keys).ok());
    halo::DeadLetter d{"parse", "malformed_json", "line 3", "web", "web.jsonl:3", "{bad", 1};
    require(s.add_dead_letter(d).ok());
    require(s.commit().ok());
  }
  sqlite3 *db = nullptr;
  require(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  require(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  sqlite3_close(db);
  std::ifstream in(path, std::ios::binary);
  g_pristine.assign(std::istreambuf_iterator<char>(in), {});
  require(g_pristine.size() > 1024);
}

void write_patched(const std::string &path, const uint8_t *data, size_t size) {
  std::string bytes = g_pristine;
  for (size_t i = 0; i + 4 <= size; i += 4) {
    size_t off = (data[i] | data[i + 1] << 8 | data[i + 2] << 16) % bytes.size();
    bytes[off] = static_cast<char>(data[i + 3]);
  }
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

bool named(const halo::Status &s) {
  return s.message().find("sqlite store") != std::string::npos;
}

// Runs every read; false when any failed (each failure must name the store).
bool read_everything(halo::Store &s) {
  bool all_ok = true;
  auto note = [&](const halo::Status &st) {
    if (st.ok()) return;
    require(named(st));
    all_ok = false;
  };
  note(s.get_meta("next_profile_id").status());
  note(s.next_profile_id().status());
  note(s.check_invariants());
  note(s.cursor("web").status());
  note(s.last_sequence().status());
  note(s.event_count().status());
  note(s.find_profile("email", "p7@example.ir").status());
  note(s.identifiers_of(7).status());
  note(s.get_profile(7).status());
  note(s.profile_count().status());
  note(s.merge_count().status());
  note(s.conflict_count().status());
  note(s.dead_letter_count().status());
  note(s.scan_events([](const std::vector<halo::LoggedEvent> &) { return halo::Status::Ok(); }));
  note(s.scan_message_keys([](const halo::MessageKey *, size_t) {}));
  note(s.scan_identifiers([](std::string_view, std::string_view, uint64_t, int64_t) {}));
  note(s.scan_profiles([](const halo::StoredProfile &) {}));
  note(s.scan_feature_state("orders", [](uint64_t, const void *, size_t) {}));
  note(s.scan_dead_letters([](const halo::DeadLetter &) {}));
  return all_ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (g_pristine.empty()) build_pristine();
  if (size > 4 * 64) return 0;  // a few dozen patched bytes are plenty
  const std::string path = g_dir + "/patched.db";
  write_patched(path, data, size);
  auto report = halo::check_store(path);
  require(report.ok());  // the file exists: findings are problems, not a status
  auto store = halo::SqliteStore::open(path, {.read_only = true, .check_invariants = false});
  if (!store.ok()) {
    require(named(store.status()));
    require(!report->ok());  // a sound store must open
    return 0;
  }
  bool readable = read_everything(*store.value());
  if (report->ok()) require(readable);
  return 0;
}
