// source_contract_test.cpp -- the next_batch contract of plugin.h proved
// through the real kernel (Pipeline::run on a real SQLite store) with the
// paced-source test plugin:
//  - an empty batch without end of data means "nothing now": the kernel
//    calls again and reads everything that follows;
//  - records added before HALO_RETRY / HALO_ERROR are kept and committed
//    with the cursor reported after the call; before HALO_FATAL discarded;
//  - sources read concurrently: a slow source does not hold up a fast one,
//    each cursor is committed with its own batches, a failing source does
//    not stop the others;
//  - keep_polling: after end of data the source is called again after its
//    poll_interval, and cancellation ends the waits promptly.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "pipeline/pipeline.h"
#include "store/sqlite_store.h"

namespace halo {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("halo-source-contract-" + std::to_string(::getpid()) + "-" + std::to_string(next_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string operator/(const std::string &name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
  static inline int next_ = 0;
};

// A pipeline of the given source entries (YAML flow mappings, one a line).
std::string pipeline_yaml(const TempDir &dir, const std::vector<std::string> &sources) {
  std::string y = "version: 1\nstore: { kind: sqlite, path: " + (dir / "halo.db") +
                  " }\nrun: { batch_size: 100, commit_interval_ms: 100 }\nsources:\n";
  for (const std::string &s : sources) y += "  - " + s + "\n";
  return y;
}

struct Outcome {
  Status status;
  RunSummary summary;
  double seconds = 0;
};

Outcome run_pipeline(const std::string &yaml, RunOptions options = {}) {
  Outcome out;
  auto config = parse_pipeline(yaml, "", process_env());
  if (!config.ok()) {
    out.status = config.status();
    return out;
  }
  options.extra_plugin_dirs = {HALO_TEST_PLUGIN_DIR, HALO_BUNDLED_PLUGIN_DIR};
  auto pipeline = Pipeline::open(*config, options);
  if (!pipeline.ok()) {
    out.status = pipeline.status();
    return out;
  }
  auto start = std::chrono::steady_clock::now();
  out.status = (*pipeline)->run(&out.summary);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// What the store holds per source: messageIds in log order, and cursor.
struct Stored {
  std::map<std::string, std::vector<std::string>> ids;
  std::map<std::string, std::string> cursor;
  std::vector<DeadLetter> dead_letters;
  std::vector<std::string> log_sources;  // source of each logged event, in order
};

std::string message_id(std::string_view raw) {
  const std::string key = R"("messageId":")";
  size_t at = raw.find(key);
  if (at == std::string_view::npos) return "";
  at += key.size();
  return std::string(raw.substr(at, raw.find('"', at) - at));
}

Stored read_store(const TempDir &dir, const std::vector<std::string> &sources) {
  Stored s;
  auto store = SqliteStore::open(dir / "halo.db", {.read_only = true});
  EXPECT_TRUE(store.ok()) << store.status().message();
  if (!store.ok()) return s;
  Status st = (*store)->scan_events([&](const std::vector<LoggedEvent> &events) {
    for (const LoggedEvent &e : events) {
      s.ids[std::string(e.source)].push_back(message_id(e.raw));
      s.log_sources.emplace_back(e.source);
    }
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.message();
  for (const std::string &name : sources) {
    auto c = (*store)->cursor(name);
    if (c.ok() && c->has_value()) s.cursor[name] = **c;
  }
  st = (*store)->scan_dead_letters([&](const DeadLetter &d) { s.dead_letters.push_back(d); });
  EXPECT_TRUE(st.ok()) << st.message();
  return s;
}

std::vector<std::string> ids(const std::string &prefix, int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i <= to; ++i) out.push_back(prefix + "-" + std::to_string(i));
  return out;
}

std::string paced(const std::string &name, const std::string &config) {
  return "{ name: " + name + ", plugin: paced-source, config: { prefix: " + name +
         (config.empty() ? "" : ", " + config) + " } }";
}

// ---- empty batches ----

TEST(SourceContract, EmptyBatchesMeanNothingNowAndTheKernelCallsAgain) {
  TempDir dir;
  Outcome r =
      run_pipeline(pipeline_yaml(dir, {paced("s", "batches: 3, per_batch: 4, empty_calls: 5")}));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  Stored s = read_store(dir, {"s"});
  EXPECT_EQ(s.ids["s"], ids("s", 1, 12)) << "records after empty batches are read";
  EXPECT_EQ(s.cursor["s"], "12");
  EXPECT_FALSE(r.summary.sources.at(0).failed());
  // 15 empty calls: waits of 10, 20, 40, 80, 160 ms (reset by records) per
  // batch, about 0.9 s in all; not a busy loop, and not a long sleep.
  EXPECT_GT(r.seconds, 0.3);
  EXPECT_LT(r.seconds, 10.0);
}

// ---- RETRY / ERROR / FATAL ----

TEST(SourceContract, RecordsAddedBeforeRetryAreKeptWithTheCursorAfterTheCall) {
  TempDir dir;
  Outcome r =
      run_pipeline(pipeline_yaml(dir, {paced("s", "batches: 4, per_batch: 5, retry_call: 2")}));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  Stored s = read_store(dir, {"s"});
  EXPECT_EQ(s.ids["s"], ids("s", 1, 20)) << "the retried call's records are not lost";
  EXPECT_EQ(s.cursor["s"], "20");
  EXPECT_EQ(r.summary.duplicates, 0u) << "nothing was handed over twice";
  EXPECT_TRUE(s.dead_letters.empty());
}

TEST(SourceContract, RecordsAddedBeforeErrorAreKeptAndTheErrorIsDeadLettered) {
  TempDir dir;
  Outcome r =
      run_pipeline(pipeline_yaml(dir, {paced("s", "batches: 4, per_batch: 5, error_call: 2")}));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  Stored s = read_store(dir, {"s"});
  EXPECT_EQ(s.ids["s"], ids("s", 1, 20)) << "the failed call's records are not lost";
  EXPECT_EQ(s.cursor["s"], "20");
  ASSERT_EQ(s.dead_letters.size(), 1u);
  EXPECT_EQ(s.dead_letters[0].stage, "source");
  EXPECT_EQ(s.dead_letters[0].reason, "source_error");
  EXPECT_NE(s.dead_letters[0].message.find("paced: failed after records"), std::string::npos);
  EXPECT_FALSE(r.summary.sources.at(0).failed()) << "one ERROR does not end the source";
}

TEST(SourceContract, RecordsAddedBeforeFatalAreDiscardedAndTheSourceEnds) {
  TempDir dir;
  Outcome r =
      run_pipeline(pipeline_yaml(dir, {paced("s", "batches: 4, per_batch: 5, fatal_call: 3")}));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  Stored s = read_store(dir, {"s"});
  EXPECT_EQ(s.ids["s"], ids("s", 1, 10)) << "calls 1 and 2 only";
  EXPECT_EQ(s.cursor["s"], "10") << "the cursor before the FATAL call: a rerun re-reads it";
  ASSERT_EQ(r.summary.sources.size(), 1u);
  EXPECT_TRUE(r.summary.sources[0].failed());
  EXPECT_NE(r.summary.sources[0].error.find("paced: fatal after records"), std::string::npos);
}

// ---- concurrent sources ----

TEST(SourceContract, ASlowSourceDoesNotHoldUpAFastOne) {
  TempDir dir;
  // slow: 4 batches, 300 ms per call (about 1.5 s); fast: 40 batches at once.
  Outcome r =
      run_pipeline(pipeline_yaml(dir, {paced("slow", "batches: 4, per_batch: 3, delay_ms: 300"),
                                       paced("fast", "batches: 40, per_batch: 10")}));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  Stored s = read_store(dir, {"slow", "fast"});
  EXPECT_EQ(s.ids["slow"], ids("slow", 1, 12));
  EXPECT_EQ(s.ids["fast"], ids("fast", 1, 400));
  EXPECT_EQ(s.cursor["slow"], "12");
  EXPECT_EQ(s.cursor["fast"], "400");
  // Read one after another, every fast event would follow the slow ones;
  // read at once, the fast source is done before the slow one's 2nd batch.
  size_t last_fast = 0;
  for (size_t i = 0; i < s.log_sources.size(); ++i) {
    if (s.log_sources[i] == "fast") last_fast = i;
  }
  size_t slow_before_last_fast = 0;
  for (size_t i = 0; i < last_fast; ++i) slow_before_last_fast += s.log_sources[i] == "slow";
  EXPECT_LT(slow_before_last_fast, 12u) << "the fast source finished while the slow one read";
}

TEST(SourceContract, EachCursorIsCommittedWithItsOwnBatchesWhenARunIsCancelled) {
  TempDir dir;
  std::atomic<bool> cancel{false};
  RunOptions options;
  options.cancel = &cancel;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    cancel = true;
  });
  Outcome r =
      run_pipeline(pipeline_yaml(dir, {paced("a", "batches: 100, per_batch: 2, delay_ms: 40"),
                                       paced("b", "batches: 100, per_batch: 3, delay_ms: 70")}),
                   options);
  stopper.join();
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  Stored s = read_store(dir, {"a", "b"});
  for (const std::string name : {"a", "b"}) {
    ASSERT_TRUE(s.cursor.count(name)) << name;
    int committed = std::stoi(s.cursor[name]);
    EXPECT_GT(committed, 0) << name << " read concurrently";
    EXPECT_LT(committed, name == std::string("a") ? 200 : 300) << name << " was cancelled";
    EXPECT_EQ(s.ids[name], ids(name, 1, committed))
        << name << ": the stored events are exactly those its cursor covers";
  }
  // A second run resumes each source at its own cursor and completes it.
  Outcome again = run_pipeline(pipeline_yaml(
      dir, {paced("a", "batches: 100, per_batch: 2"), paced("b", "batches: 100, per_batch: 3")}));
  ASSERT_TRUE(again.status.ok()) << again.status.message();
  s = read_store(dir, {"a", "b"});
  EXPECT_EQ(s.ids["a"], ids("a", 1, 200));
  EXPECT_EQ(s.ids["b"], ids("b", 1, 300));
  EXPECT_EQ(again.summary.duplicates, 0u);
}

TEST(SourceContract, AFailingSourceDoesNotStopTheOthers) {
  TempDir dir;
  Outcome r = run_pipeline(pipeline_yaml(
      dir, {paced("bad", "batches: 50, per_batch: 2, delay_ms: 20, fail_from_call: 3"),
            paced("good", "batches: 30, per_batch: 5, delay_ms: 10")}));
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  Stored s = read_store(dir, {"bad", "good"});
  EXPECT_EQ(s.ids["good"], ids("good", 1, 150));
  EXPECT_EQ(s.cursor["good"], "150");
  EXPECT_EQ(s.ids["bad"], ids("bad", 1, 4)) << "its two good batches are kept";
  EXPECT_EQ(s.cursor["bad"], "4");
  ASSERT_EQ(r.summary.sources.size(), 2u);
  EXPECT_TRUE(r.summary.sources[0].failed());
  EXPECT_FALSE(r.summary.sources[1].failed());
  EXPECT_EQ(r.summary.failed_sources(), 1u);
}

// ---- polling ----

TEST(SourceContract, KeepPollingCallsAgainAfterEndOfDataUntilCancelled) {
  TempDir dir;
  std::atomic<bool> cancel{false};
  RunOptions options;
  options.cancel = &cancel;
  options.keep_polling = true;
  // Three rounds of 2x3 records, end of data after each; poll every 1 s.
  std::thread stopper([&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      auto store = SqliteStore::open(dir / "halo.db", {.read_only = true});
      if (!store.ok()) continue;
      auto c = (*store)->cursor("s");
      if (c.ok() && c->has_value() && **c == "18") break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel = true;
  });
  std::string yaml =
      pipeline_yaml(dir, {"{ name: s, plugin: paced-source, poll_interval: 1s, "
                          "config: { prefix: s, batches: 2, per_batch: 3, rounds: 3 } }"});
  auto start = std::chrono::steady_clock::now();
  Outcome r = run_pipeline(yaml, options);
  auto cancelled_after = std::chrono::steady_clock::now() - start;
  stopper.join();
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  Stored s = read_store(dir, {"s"});
  EXPECT_EQ(s.ids["s"], ids("s", 1, 18)) << "every round was read by polling";
  EXPECT_EQ(s.cursor["s"], "18");
  // Two poll waits of 1 s were needed; the cancel ended the third at once.
  EXPECT_GE(std::chrono::duration<double>(cancelled_after).count(), 2.0);
  EXPECT_LT(std::chrono::duration<double>(cancelled_after).count(), 15.0);
}

TEST(SourceContract, CancellationEndsAPollWaitPromptly) {
  TempDir dir;
  std::atomic<bool> cancel{false};
  RunOptions options;
  options.cancel = &cancel;
  options.keep_polling = true;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    cancel = true;
  });
  std::string yaml = pipeline_yaml(dir, {"{ name: s, plugin: paced-source, poll_interval: 1h, "
                                         "config: { prefix: s, batches: 1, per_batch: 3 } }"});
  Outcome r = run_pipeline(yaml, options);
  stopper.join();
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_LT(r.seconds, 3.0) << "the 1 h wait ended with the cancel";
  Stored s = read_store(dir, {"s"});
  EXPECT_EQ(s.ids["s"], ids("s", 1, 3));
  EXPECT_EQ(s.cursor["s"], "3");
}

// Waits up to `seconds` for the store to hold `n` events.
bool wait_for_events(const TempDir &dir, uint64_t n, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    auto store = SqliteStore::open(dir / "halo.db", {.read_only = true});
    if (store.ok()) {
      auto count = (*store)->event_count();
      if (count.ok() && *count >= n) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void append_lines(const std::string &path, int from, int to) {
  std::ofstream out(path, std::ios::app);
  for (int i = from; i <= to; ++i) {
    out << R"({"type":"identify","messageId":"f-)" << i << R"(","userId":"f-)" << i << "\"}\n";
  }
}

TEST(SourceContract, APolledFileSourceReadsWhatWasAppendedAfterEndOfData) {
  TempDir dir;
  append_lines(dir / "in.jsonl", 1, 3);
  std::atomic<bool> cancel{false};
  RunOptions options;
  options.cancel = &cancel;
  options.keep_polling = true;
  std::string yaml = pipeline_yaml(dir, {"{ name: f, plugin: file-jsonl, poll_interval: 1s, "
                                         "config: { path: " +
                                         (dir / "in.jsonl") + " } }"});
  Outcome r;
  std::thread run([&] { r = run_pipeline(yaml, options); });
  bool first = wait_for_events(dir, 3, 20);
  append_lines(dir / "in.jsonl", 4, 5);  // after end of data: the next poll reads it
  bool second = first && wait_for_events(dir, 5, 20);
  cancel = true;
  run.join();
  EXPECT_TRUE(first && second) << "the appended lines were not read by polling";
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  Stored s = read_store(dir, {"f"});
  EXPECT_EQ(s.ids["f"], ids("f", 1, 5));
  EXPECT_EQ(r.summary.duplicates, 0u) << "a poll continues at the committed offset";
  EXPECT_EQ(r.summary.records_read, 5u);
}

TEST(SourceContract, PollIntervalIsADurationFromOneSecondToSevenDays) {
  TempDir dir;
  for (const char *bad :
       {"0s", "500ms", "8d", "60", "1.5s", "-1s", "1 s", "99999999999999999999d"}) {
    std::string yaml = pipeline_yaml(dir, {std::string("{ name: s, plugin: paced-source, "
                                                       "poll_interval: \"") +
                                           bad + "\" }"});
    auto config = parse_pipeline(yaml, "", process_env());
    ASSERT_FALSE(config.ok()) << bad;
    EXPECT_NE(config.status().message().find("poll_interval"), std::string::npos)
        << config.status().message();
  }
  auto config =
      parse_pipeline(pipeline_yaml(dir, {"{ name: s, plugin: paced-source, poll_interval: 5m }"}),
                     "", process_env());
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->sources[0].poll_interval_ms, 300000);
  config =
      parse_pipeline(pipeline_yaml(dir, {"{ name: s, plugin: paced-source }"}), "", process_env());
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->sources[0].poll_interval_ms, 60000) << "the default";
}

}  // namespace
}  // namespace halo
