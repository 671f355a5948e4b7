// consent_events_e2e_test.cpp -- consent stated by events (docs/consent.md)
// through the real `halo` binary: `Unsubscribed` and `Consent Updated`
// events add ledger records for the event's normalized addresses with the
// event's time, source and proof; an event whose consent cannot be used is
// stored, counted and logged but changes nothing; a rebuild adds no record
// twice; `halo consent set|show|list` read and write the same ledger.
#include <gtest/gtest.h>

#include <algorithm>

#include "e2e_support.h"

namespace halo::e2e::consent_events_e2e_test {
namespace {

std::string event(const std::string &name, const std::string &id, const std::string &at,
                  const std::string &traits, const std::string &properties,
                  const std::string &user = "sara") {
  return R"({"type":"track","event":")" + name + R"(","userId":")" + user + R"(","messageId":")" +
         id + R"(","timestamp":")" + at + R"(","context":{"traits":{)" + traits +
         R"(}},"properties":{)" + properties + "}}\n";
}

TEST(ConsentEvents, EventsFillTheLedgerOnceAndTheCliReadsIt) {
  TempDir dir;
  const std::string sara = R"("email":"Sara@Example.org","phone":"+98 912 123 4567")";
  write_file(dir / "events.jsonl",
             event("Unsubscribed", "e1", "2026-01-05T10:00:00Z", sara, R"("channel":"email")") +
                 event("Consent Updated", "e2", "2026-01-05T11:00:00Z", sara,
                       R"("channel":"sms","opted_in":false,"proof":"form 7")") +
                 // Older than e1 though it arrives later: it does not win.
                 event("Consent Updated", "e3", "2026-01-04T10:00:00Z", sara,
                       R"("channel":"email","opted_in":true)") +
                 event("Unsubscribed", "e4", "2026-01-05T12:00:00Z", R"("phone":"09121112233")", "",
                       "sam") +
                 event("Consent Updated", "e5", "2026-01-05T12:00:00Z", sara,
                       R"("channel":"email","opted_in":"yes")") +
                 event("Consent Updated", "e6", "2026-01-05T12:00:00Z", sara,
                       R"("channel":"push","opted_in":true)") +
                 event("Unsubscribed", "e7", "2026-01-05T12:00:00Z", R"("name":"x")", "", "kim"));
  write_file(dir / "p.yaml", R"(version: 1
store: { kind: sqlite, path: halo.db }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 2, paths: [context.traits.email] }
    - { type: phone, priority: 3, paths: [context.traits.phone], default_region: IR }
sources:
  - { name: shop, plugin: file-jsonl, config: { path: events.jsonl } }
)");
  const std::string p = dir / "p.yaml";
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "consent_events"), 4);
  EXPECT_EQ(summary_count(r.summary, "consent_events_unused"), 3);
  EXPECT_NE(r.err.find("event e5 (Consent Updated, source shop) changes no consent: "
                       "properties.opted_in is not true or false"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("'push' is not email or sms"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("event e7 (Unsubscribed, source shop) changes no consent: the event has "
                       "no address"),
            std::string::npos)
      << r.err;

  CommandResult list = run({halo_bin(), "consent", "list", p});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 4) << list.out;  // e1 .. e4
  CommandResult show =
      run({halo_bin(), "consent", "show", p, "--email", "SARA@example.org", "--format", "json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find(R"("state":{"email":"opted_out"})"), std::string::npos) << show.out;
  CommandResult phone = run({halo_bin(), "consent", "show", p, "--phone", "09121234567"});
  ASSERT_EQ(phone.exit_code, 0) << phone.err;
  EXPECT_NE(phone.out.find("+989121234567 sms: opted out"), std::string::npos) << phone.out;
  EXPECT_NE(phone.out.find("event: Consent Updated  source shop  event e2: form 7"),
            std::string::npos)
      << phone.out;

  // A rebuild reads the log again and adds nothing to the ledger.
  CommandResult rebuild = run({halo_bin(), "rebuild", p, "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_EQ(run({halo_bin(), "consent", "list", p}).out, list.out);

  CommandResult set = run({halo_bin(), "consent", "set", p, "--email", "sara@example.org",
                           "--opt-in", "--reason", "support call", "--proof", "ticket 9"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  CommandResult after =
      run({halo_bin(), "consent", "show", p, "--email", "sara@example.org", "--format", "json"});
  EXPECT_NE(after.out.find(R"("state":{"email":"opted_in"})"), std::string::npos) << after.out;
  EXPECT_NE(after.out.find(R"x("reason":"support call","source":"halo consent set (operator)",)x"
                           R"("proof":"ticket 9")"),
            std::string::npos)
      << after.out;
  EXPECT_EQ(run({halo_bin(), "consent", "set", p, "--email", "x@y.org"}).exit_code, 2);
  EXPECT_EQ(run({halo_bin(), "consent", "set", p, "--opt-out"}).exit_code, 2);
}

}  // namespace
}  // namespace halo::e2e::consent_events_e2e_test
