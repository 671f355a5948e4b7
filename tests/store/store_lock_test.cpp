// store_lock_test.cpp -- one writer per store (store_lock.h): a second
// writable open is Busy and names the holder's pid, the lock goes with the
// Store and with a killed process, two spellings of one path share it; and
// read-only Stores run beside the writer on one snapshot, never take the
// lock and leave no file behind.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "store/store_lock.h"
#include "temp_store.h"

namespace halo::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::set<std::string> files_in(const fs::path &dir) {
  std::set<std::string> names;
  for (const auto &e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

class StoreLockTest : public TempStoreTest {
 protected:
  std::string lock_file() const { return path_ + ".lock"; }

  // Commits profiles [from, to) with one email each and the counter `to`.
  static void add_profiles(Store &store, int from, int to) {
    ASSERT_TRUE(store.begin().ok());
    for (int i = from; i < to; ++i) {
      ASSERT_TRUE(store.put_identifier("email", "p" + std::to_string(i) + "@x.ir", i, 0, 0).ok());
      ASSERT_TRUE(store.put_profile({static_cast<uint64_t>(i), "{}", "{}", 0}).ok());
    }
    ASSERT_TRUE(store.set_meta("next_profile_id", std::to_string(to)).ok());
    ASSERT_TRUE(store.commit().ok());
  }
};

TEST_F(StoreLockTest, SecondWriterIsBusyAndNamesTheHolder) {
  auto first = open_store();
  ASSERT_TRUE(first);
  std::string pid = std::to_string(getpid());
  EXPECT_EQ(slurp(lock_file()), pid + "\n");
  struct stat st {};
  ASSERT_EQ(stat(lock_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = SqliteStore::open(path_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kBusy);
  EXPECT_EQ(second.status().message(),
            "store " + path_ + " is in use by pid " + pid +
                " (another `halo run` or `halo rebuild`); wait for it to finish or stop it");
  EXPECT_EQ(slurp(lock_file()), pid + "\n") << "the loser must not erase the holder's pid";
  // Unchecked writers (the rebuild) are writers too.
  auto rebuild = SqliteStore::open(path_, {.read_only = false, .check_invariants = false});
  EXPECT_EQ(rebuild.status().code(), StatusCode::kBusy);
}

TEST_F(StoreLockTest, LockGoesWithTheStore) {
  auto first = open_store();
  ASSERT_TRUE(first);
  first.reset();
  EXPECT_TRUE(fs::exists(lock_file()));  // kept: deleting it would race
  EXPECT_EQ(slurp(lock_file()), "") << "a released lock names no pid";
  auto second = open_store();
  EXPECT_TRUE(second);
}

TEST_F(StoreLockTest, TwoSpellingsOfOnePathShareOneLock) {
  auto first = open_store();
  ASSERT_TRUE(first);
  fs::create_directory_symlink(dir_ / "nested", dir_ / "alias");
  for (const fs::path &other :
       {dir_ / "alias" / "halo.db", dir_ / "nested" / "." / ".." / "nested" / "halo.db"}) {
    auto second = SqliteStore::open(other.string());
    EXPECT_EQ(second.status().code(), StatusCode::kBusy) << other;
  }
}

// A holder killed with SIGKILL runs no destructor and leaves its pid in the
// file; the kernel drops the lock with the process all the same.
TEST_F(StoreLockTest, KilledHolderLeavesNoStaleLock) {
  open_store().reset();  // create the store first
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto held = SqliteStore::open(path_);
    if (!held.ok()) _exit(1);
    for (;;) pause();
  }
  std::string child_pid = std::to_string(child);
  for (int i = 0; i < 500 && slurp(lock_file()) != child_pid + "\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(slurp(lock_file()), child_pid + "\n");
  auto busy = SqliteStore::open(path_);
  ASSERT_EQ(busy.status().code(), StatusCode::kBusy);
  EXPECT_NE(busy.status().message().find("pid " + child_pid + " "), std::string::npos)
      << busy.status().message();
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(slurp(lock_file()), child_pid + "\n");  // stale text, no stale lock
  auto next = open_store();
  EXPECT_TRUE(next);
}

TEST_F(StoreLockTest, ReadersRunBesideTheWriterOnOneSnapshot) {
  auto writer = open_store();
  ASSERT_TRUE(writer);
  add_profiles(*writer, 1, 4);
  auto reader = SqliteStore::open(path_, {.read_only = true, .check_invariants = true});
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ(must(reader.value()->profile_count()), 3u);
  add_profiles(*writer, 4, 10);  // commits while the reader is open
  EXPECT_EQ(must(reader.value()->profile_count()), 3u);
  EXPECT_EQ(must(reader.value()->next_profile_id()), 4u);
  EXPECT_FALSE(must(reader.value()->find_profile("email", "p5@x.ir")).has_value());
  EXPECT_TRUE(reader.value()->check_invariants().ok());
  auto late = SqliteStore::open(path_, {.read_only = true, .check_invariants = true});
  ASSERT_TRUE(late.ok()) << late.status().message();
  EXPECT_EQ(must(late.value()->profile_count()), 9u);
  EXPECT_EQ(slurp(lock_file()), std::to_string(getpid()) + "\n");  // still the writer's
}

TEST_F(StoreLockTest, ReadersLeaveNoFileBehind) {
  {
    auto writer = open_store();
    ASSERT_TRUE(writer);
    add_profiles(*writer, 1, 3);
  }
  fs::remove(lock_file());  // a store copied from elsewhere has none
  fs::path dir = fs::path(path_).parent_path();
  std::set<std::string> before = files_in(dir);
  ASSERT_EQ(before, (std::set<std::string>{"halo.db"}));
  {
    auto reader = SqliteStore::open(path_, {.read_only = true, .check_invariants = true});
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    EXPECT_EQ(must(reader.value()->profile_count()), 2u);
    auto second = SqliteStore::open(path_, {.read_only = true, .check_invariants = true});
    ASSERT_TRUE(second.ok()) << second.status().message();
  }
  EXPECT_EQ(files_in(dir), before);
  // A reader that outlives a writer which started after it cleans up too.
  {
    auto reader = SqliteStore::open(path_, {.read_only = true, .check_invariants = true});
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    {
      auto writer = open_store();
      ASSERT_TRUE(writer);
      add_profiles(*writer, 3, 5);
    }
    EXPECT_EQ(must(reader.value()->profile_count()), 2u);
  }
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"halo.db", "halo.db.lock"}));
  auto last = SqliteStore::open(path_, {.read_only = true, .check_invariants = true});
  ASSERT_TRUE(last.ok()) << last.status().message();
  EXPECT_EQ(must(last.value()->profile_count()), 4u);  // the writer's commits are kept
}

}  // namespace
}  // namespace halo::testing
