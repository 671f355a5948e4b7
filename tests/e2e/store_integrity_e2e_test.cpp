// store_integrity_e2e_test.cpp -- the real `halo` on a really damaged or
// inconsistent store: every read command fails with exit 1 and a message
// that names the table and `halo store check`; `halo store check` finds the
// problem and says what to do; a stale counter is fixed by `halo rebuild`.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "demo_fixture.h"

namespace halo::e2e::store_integrity_e2e_test {
namespace {

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

void exec_sql(const std::string &db_path, const std::string &sql) {
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char *err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// Fills the root page of B-tree `name` with 0xff, as a bad disk sector would.
void damage_btree(const std::string &db_path, const std::string &name) {
  exec_sql(db_path, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt *st = nullptr;
  std::string sql =
      "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM "
      "sqlite_schema WHERE name = '" +
      name + "'";
  ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  int64_t root = sqlite3_column_int64(st, 0), page_size = sqlite3_column_int64(st, 1);
  sqlite3_finalize(st);
  sqlite3_close(db);
  ASSERT_GT(root, 1);
  std::fstream f(db_path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp((root - 1) * page_size);
  std::string junk(static_cast<size_t>(page_size), '\xff');
  f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  ASSERT_TRUE(f.good());
}

class StoreIntegrityE2E : public DemoTest {
 protected:
  void SetUp() override {
    pipeline_ = make_pipeline(dir_);
    CommandResult r = run({halo_bin(), "run", pipeline_, "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    export_ = read_file(dir_ / "var/demo/profiles.jsonl");
    for (const Person &p : read_truth(truth_path())) {
      auto it = p.identifiers.find("email");
      if (it != p.identifiers.end() && !it->second.empty()) {
        email_ = *it->second.begin();
        break;
      }
    }
    ASSERT_FALSE(email_.empty());
  }
  std::string db() const { return dir_ / "var/demo/halo.db"; }
  CommandResult halo(std::vector<std::string> args) {
    args.insert(args.begin(), halo_bin());
    return run(args);
  }

  TempDir dir_;
  std::string pipeline_, export_, email_;
};

TEST_F(StoreIntegrityE2E, SoundStorePassesTheCheck) {
  CommandResult found = halo({"profile", "get", pipeline_, "--email", email_});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_TRUE(has(found.out, email_)) << found.out;
  CommandResult check = halo({"store", "check", pipeline_});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_TRUE(has(check.out, "no problems found")) << check.out;
  EXPECT_TRUE(has(check.out, "ok       SQLite integrity check")) << check.out;
}

TEST_F(StoreIntegrityE2E, DamagedIdentifierIndexFailsEveryReadCommandNamingTheTable) {
  damage_btree(db(), "identifiers_by_profile");
  for (const std::vector<std::string> &cmd :
       {std::vector<std::string>{"profile", "get", pipeline_, "--email", email_},
        std::vector<std::string>{"deadletters", pipeline_},
        std::vector<std::string>{"run", pipeline_, "-q"}}) {
    CommandResult r = halo(cmd);
    // Before: `profile get` exited 0 with a profile without identifiers.
    EXPECT_EQ(r.exit_code, 1) << cmd[0] << "\n" << r.out << r.err;
    EXPECT_TRUE(has(r.err, "table identifiers")) << cmd[0] << ": " << r.err;
    EXPECT_TRUE(has(r.err, "halo store check")) << cmd[0] << ": " << r.err;
    if (cmd[0] == "profile") {
      EXPECT_EQ(r.out, "");
    }
  }
  CommandResult check = halo({"store", "check", pipeline_});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_TRUE(has(check.out, "PROBLEM  table identifiers: SQLite integrity check")) << check.out;
  EXPECT_TRUE(has(check.out, "from a backup")) << check.out;
  EXPECT_EQ(read_file(dir_ / "var/demo/profiles.jsonl"), export_);  // the failed run kept it
}

TEST_F(StoreIntegrityE2E, DamagedDeadLetterTableFailsDeadlettersNamingTheTable) {
  damage_btree(db(), "dead_letters");
  CommandResult r = halo({"deadletters", pipeline_});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has(r.err, "table dead_letters")) << r.err;
  EXPECT_TRUE(has(r.err, "halo store check")) << r.err;
  CommandResult check = halo({"store", "check", pipeline_});
  EXPECT_EQ(check.exit_code, 1) << check.out;
  EXPECT_TRUE(has(check.out, "table dead_letters")) << check.out;
}

TEST_F(StoreIntegrityE2E, StaleCounterStopsTheRunAndRebuildFixesIt) {
  exec_sql(db(), "UPDATE meta SET value = '1' WHERE key = 'next_profile_id'");
  CommandResult r = halo({"run", pipeline_, "-q"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(has(r.err, "next_profile_id = 1")) << r.err;
  EXPECT_TRUE(has(r.err, "silently merge")) << r.err;
  CommandResult check = halo({"store", "check", pipeline_});
  EXPECT_EQ(check.exit_code, 1) << check.out;
  EXPECT_TRUE(has(check.out, "halo rebuild " + pipeline_)) << check.out;
  CommandResult rebuild = halo({"rebuild", pipeline_, "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  CommandResult again = halo({"store", "check", pipeline_});
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(read_file(dir_ / "var/demo/profiles.jsonl"), export_);
  EXPECT_EQ(halo({"run", pipeline_, "-q"}).exit_code, 0);
}

TEST_F(StoreIntegrityE2E, GarbageCounterIsAClearErrorNotACrash) {
  exec_sql(db(), "UPDATE meta SET value = '12x' WHERE key = 'next_profile_id'");
  CommandResult r = halo({"run", pipeline_, "-q"});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // before: std::stoull threw, abort (134)
  EXPECT_TRUE(has(r.err, "key next_profile_id holds '12x'")) << r.err;
  CommandResult check = halo({"store", "check", pipeline_});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_TRUE(has(check.out, "halo rebuild")) << check.out;
}

TEST_F(StoreIntegrityE2E, IdentifierLinkedToAMissingProfileIsAStoreError) {
  exec_sql(db(),
           "DELETE FROM profiles WHERE id = (SELECT profile_id FROM identifiers WHERE "
           "type = 'email' AND value = '" +
               email_ + "')");
  CommandResult r = halo({"profile", "get", pipeline_, "--email", email_});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // before: 3, "not found"
  EXPECT_TRUE(has(r.err, "table profiles does not hold")) << r.err;
  CommandResult check = halo({"store", "check", pipeline_});
  EXPECT_EQ(check.exit_code, 1) << check.out;
  EXPECT_TRUE(has(check.out, "linked to a profile that table profiles does not hold")) << check.out;
  EXPECT_TRUE(has(check.out, "halo rebuild")) << check.out;
}

TEST_F(StoreIntegrityE2E, ReadCommandsNeverCreateAStore) {
  std::filesystem::remove_all(dir_ / "var");
  CommandResult check = halo({"store", "check", pipeline_});
  EXPECT_EQ(check.exit_code, 3) << check.out << check.err;
  EXPECT_TRUE(has(check.err, "does not exist")) << check.err;
  CommandResult get = halo({"profile", "get", pipeline_, "--email", email_});
  EXPECT_EQ(get.exit_code, 3) << get.err;
  EXPECT_EQ(halo({"deadletters", pipeline_}).exit_code, 3);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "var"));
}

TEST(StoreCommand, HelpAndUsage) {
  CommandResult help = run({halo_bin(), "store", "check", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(has(help.out, "usage: halo store check PIPELINE.yaml")) << help.out;
  EXPECT_EQ(run({halo_bin(), "store"}).exit_code, 2);
  EXPECT_EQ(run({halo_bin(), "store", "fix", "p.yaml"}).exit_code, 2);
  EXPECT_EQ(run({halo_bin(), "store", "check", "/nonexistent/p.yaml"}).exit_code, 2);
  CommandResult top = run({halo_bin(), "--help"});
  EXPECT_TRUE(has(top.out, "store check PIPELINE.yaml")) << top.out;
}

}  // namespace
}  // namespace halo::e2e::store_integrity_e2e_test
