// e2e_support.h -- helpers for end-to-end tests that run the real `halo`
// and `halo-datagen` binaries as child processes on generated data.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace halo::e2e {

struct CommandResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out, err;
};

// Runs argv with a clean environment plus `env` additions; captures output.
CommandResult run(const std::vector<std::string> &argv,
                  const std::map<std::string, std::string> &env = {});

// Starts argv (output discarded, the test's environment), waits
// `delay_ms` and SIGKILLs it unless it has ended by then; true when it was
// killed.
bool kill_after(const std::vector<std::string> &argv, int delay_ms);

// `halo serve PIPELINE --interval 1s -q` in the background, stderr to
// `err_path`; the destructor SIGKILLs it if stop() was not called.
class ServeProcess {
 public:
  ServeProcess(const std::string &pipeline, const std::string &err_path);
  ~ServeProcess();
  ServeProcess(const ServeProcess &) = delete;
  ServeProcess &operator=(const ServeProcess &) = delete;
  // SIGTERM, then the exit code (128+N when killed by signal N).
  int stop();

 private:
  int pid_ = -1;
};

std::string halo_bin();
std::string datagen_bin();
std::string source_dir();
std::string binary_dir();

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return path_; }
  std::string operator/(const std::string &rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

std::string read_file(const std::string &path);
void write_file(const std::string &path, const std::string &content);
std::vector<std::string> read_lines(const std::string &path);
// An export (one profile a line) without its "profile_id" members, lines
// sorted: what two runs over the same input must agree on. Sources are read
// concurrently, so profile ids follow the order batches happened to arrive
// in and differ between a resumed and an uninterrupted run (a rebuild of
// one store replays its log order and keeps them).
std::string profiles_without_ids(const std::string &path);
// The line of an export that names user id `user` (a test failure and ""
// when none does).
std::string exported_profile(const std::string &path, const std::string &user);

// `halo run PIPELINE -q --summary-json -`: the exit code, the one-line JSON
// summary (stdout) and stderr.
struct RunOutcome {
  int exit_code;
  std::string summary;
  std::string err;
};
RunOutcome run_pipeline(const std::string &pipeline,
                        const std::map<std::string, std::string> &env = {},
                        const std::vector<std::string> &extra_args = {});
// Runs the pipeline until no message waits for a retry, at most `runs`
// times; every run must exit 0 (a gtest failure otherwise).
void run_until_delivered(const std::string &pipeline, int runs);
// `halo messages list PIPELINE`: idempotency key -> "status|reason", with
// "|<attempts JSON>" appended when with_attempts.
std::map<std::string, std::string> message_statuses(const std::string &pipeline,
                                                    bool with_attempts = false);
// `halo messages list PIPELINE`, one message per recipient: recipient ->
// "STATUS: DETAIL" of its delivery report, or its outbox status when it
// has none.
std::map<std::string, std::string> message_receipts(const std::string &pipeline);
// One customer of the message destinations' tests: an identify of `user`
// with `traits` (JSON members, without braces) at 2026-01-05T09:00:00Z, then
// a Checkout Started at 10:00:00Z; two JSON Lines.
std::string checkout_customer(const std::string &user, const std::string &traits);
// What `halo consent show PIPELINE --TYPE VALUE --format json` prints
// (standard output, then error).
std::string consent_show(const std::string &pipeline, const std::string &type,
                         const std::string &value);
// The integer value of "key": in a one-line JSON summary; -1 when absent.
long summary_count(const std::string &json, const std::string &key);
// The number after the first "key": in a JSON text; NaN when absent.
double json_number(const std::string &json, const std::string &key);

// A pipeline for one feature builder's tests: `events.jsonl` (source
// `events`, file-jsonl) into var/halo.db, builder `name` of `plugin` with
// `config` (a YAML flow mapping), profiles exported to var/profiles.jsonl,
// as of `as_of`.
std::string builder_pipeline(const std::string &name, const std::string &plugin,
                             const std::string &config,
                             const std::string &as_of = "2024-06-30T00:00:00Z");
// Adds a failure unless the profile of `user` in DIR/var/profiles.jsonl
// (the export of builder_pipeline) contains `text`.
void expect_exported(const TempDir &dir, const std::string &user, const std::string &text);
// Unix seconds as ISO 8601 UTC: "2024-06-30T00:00:00Z".
std::string iso_utc(int64_t unix_seconds);
// A number of seconds in a summary (`seconds`, a stage of `stage_seconds`);
// -1 when absent.
double summary_seconds(const std::string &json, const std::string &key);

// A small shop for the delivery tests: customers c0, c1, ... with one
// order each, and an anonymous visitor ("anon", city Tabriz).
std::string shop_events(int customers);
// c3 orders again; c5 shows up on the anonymous visitor's device (the two
// stored profiles merge).
std::string shop_changes();
// DIR/pipeline.yaml: events.jsonl -> user_id and anonymous_id -> an order
// count -> `destinations` (YAML list items "  - {...}\n"); returns its path.
std::string shop_pipeline(const TempDir &dir, const std::string &destinations);

// Pipeline text for the segment and trigger tests: events.jsonl (user_id,
// anonymous_id) -> `aggregates` with `features` (a YAML flow mapping) ->
// profiles.jsonl, with run.as_of at `as_of` (Unix seconds), then `tail`
// (the `segments:` and `triggers:` sections).
std::string segment_pipeline_text(int64_t as_of, const std::string &features,
                                  const std::string &tail);

// The demo pipeline (config/demo.yaml) copied to DIR/config/demo.yaml with
// `extra_run` lines (e.g. "  as_of: ...") appended under `run:`. The data is
// expected in DIR/data/demo, the store in DIR/var/demo.
std::string install_demo_pipeline(const std::string &dir, const std::string &extra_run = "");

// One exported profile line, decoded.
struct Profile {
  std::string id;
  std::map<std::string, std::set<std::string>> identifiers;
  std::string order_count;  // exact JSON text, "" when absent
  std::string revenue;      // exact JSON text
  std::string line;
};
std::vector<Profile> read_profiles(const std::string &path);

// A person of the generator's truth.jsonl.
struct Person {
  std::string person;
  std::map<std::string, std::set<std::string>> identifiers;
  // Values the person gave that belong to someone else (a household phone).
  std::map<std::string, std::set<std::string>> shared;
  std::string order_count;
  std::string revenue;
};
std::vector<Person> read_truth(const std::string &path);

// Decimal strings compared by value ("120.50" == "120.5").
bool same_decimal(const std::string &a, const std::string &b);

}  // namespace halo::e2e
