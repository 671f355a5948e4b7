// crash_e2e_test.cpp -- killing `halo run` at arbitrary moments and running
// it again must give exactly the profiles of an uninterrupted run: cursors
// commit atomically with the batches they produced. (Profile ids are left
// out of the comparison: sources are read concurrently, so ids follow the
// order batches arrived in.)
#include "demo_fixture.h"

namespace halo::e2e::crash_e2e_test {
namespace {

// Small batches and frequent commits so kills land between and inside
// commits many times.
const char *kSmallBatches =
    "  as_of: \"2026-12-31T00:00:00Z\"\n  batch_size: 128\n  commit_every: 512";

std::string clean_run_output(DemoTest *, const std::string &pipeline, const TempDir &dir) {
  CommandResult r = run({halo_bin(), "run", pipeline, "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return profiles_without_ids(dir / "var/demo/profiles.jsonl");
}

class CrashTest : public DemoTest {};

TEST_F(CrashTest, ExitMidRunThenResumeEqualsCleanRun) {
  TempDir clean, crashed;
  std::string expected = clean_run_output(this, make_pipeline(clean, kSmallBatches), clean);
  std::string pipeline = make_pipeline(crashed, kSmallBatches);
  // Leaves without committing the open group after ~3000 accepted events.
  CommandResult r =
      run({halo_bin(), "run", pipeline, "-q"}, {{"HALO_TEST_EXIT_AFTER_EVENTS", "3000"}});
  ASSERT_EQ(r.exit_code, 3) << r.err;
  CommandResult resume = run({halo_bin(), "run", pipeline, "-q"});
  ASSERT_EQ(resume.exit_code, 0) << resume.err;
  EXPECT_EQ(profiles_without_ids(crashed / "var/demo/profiles.jsonl"), expected);
}

TEST_F(CrashTest, SigkillAtRandomMomentsThenResumeEqualsCleanRun) {
  TempDir clean, crashed;
  std::string expected = clean_run_output(this, make_pipeline(clean, kSmallBatches), clean);
  std::string pipeline = make_pipeline(crashed, kSmallBatches);
  int kills = 0;
  // Deterministic spread of kill delays; each run resumes the previous one.
  for (int delay_ms : {40, 90, 150, 230, 330}) {
    kills += kill_after({halo_bin(), "run", pipeline, "-q"}, delay_ms);
  }
  CommandResult finish = run({halo_bin(), "run", pipeline, "-q"});
  ASSERT_EQ(finish.exit_code, 0) << finish.err;
  EXPECT_GT(kills, 0) << "no run was killed: the test did not test anything";
  EXPECT_EQ(profiles_without_ids(crashed / "var/demo/profiles.jsonl"), expected);
}

}  // namespace
}  // namespace halo::e2e::crash_e2e_test
