// Identity rules through the real `halo run`: placeholder and block-listed
// identifiers never glue people together, and the run says how many it
// skipped.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "e2e_support.h"

namespace halo::e2e::identity_rules_e2e_test {
namespace {

// Three people who typed the same placeholder email and phone into a form,
// and one whose email is on the pipeline's own block list.
const char *kEvents =
    R"({"type":"identify","messageId":"m1","userId":"ali","traits":{"email":"test@test.com","phone":"09120000000"},"timestamp":"2026-01-01T00:00:00Z"}
{"type":"identify","messageId":"m2","userId":"sara","traits":{"email":"Test@Test.com","phone":"0912 000 0000"},"timestamp":"2026-01-02T00:00:00Z"}
{"type":"identify","messageId":"m3","anonymousId":"dev-9","traits":{"email":"test@test.com"},"timestamp":"2026-01-03T00:00:00Z"}
{"type":"identify","messageId":"m4","userId":"reza","traits":{"email":"reza@mailinator.com"},"timestamp":"2026-01-04T00:00:00Z"}
{"type":"identify","messageId":"m5","userId":"undefined","traits":{"email":"noemail@shop.ir"},"timestamp":"2026-01-05T00:00:00Z"}
)";

std::string pipeline(const TempDir &dir) {
  write_file(dir / "events.jsonl", kEvents);
  write_file(
      dir / "p.yaml",
      "version: 1\n"
      "store: { kind: sqlite, path: halo.db }\n"
      "identity:\n"
      "  identifiers:\n"
      "    - { type: user_id, priority: 1, max_per_profile: 1 }\n"
      "    - { type: email, priority: 2, max_per_profile: 5, ignore: [\"*@mailinator.com\"] }\n"
      "    - { type: phone, priority: 3, max_per_profile: 3 }\n"
      "    - { type: anonymous_id, priority: 9 }\n"
      "sources:\n"
      "  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }\n"
      "destinations:\n"
      "  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }\n");
  return dir / "p.yaml";
}

TEST(IdentityRules, PlaceholdersAndBlockListedValuesLinkNobody) {
  TempDir dir;
  RunOutcome r = run_pipeline(pipeline(dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // ali, sara, dev-9 and reza stay four people; the all-placeholder record
  // is a dead letter.
  EXPECT_EQ(summary_count(r.summary, "profiles"), 4) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "merges"), 0);
  EXPECT_EQ(summary_count(r.summary, "rejected"), 1);
  // m1: email + phone; m2: email + phone; m3: email; m4: email; m5: user_id + email.
  EXPECT_EQ(summary_count(r.summary, "blocked_identifiers"), 8) << r.summary;
  for (const Profile &p : read_profiles(dir / "profiles.jsonl")) {
    EXPECT_EQ(p.identifiers.count("email"), 0u) << p.line;
    EXPECT_EQ(p.identifiers.count("phone"), 0u) << p.line;
  }
  CommandResult dl = run({halo_bin(), "deadletters", dir / "p.yaml"});
  EXPECT_NE(dl.out.find("placeholders or block-listed values"), std::string::npos) << dl.out;
}

TEST(IdentityRules, PlaceholdersCanBeTurnedOffPerIdentifier) {
  TempDir dir;
  std::string yaml = read_file(pipeline(dir));
  const std::string email_rule = "ignore: [\"*@mailinator.com\"] }";
  yaml.replace(yaml.find(email_rule), email_rule.size(), "block_placeholders: false }");
  write_file(dir / "p.yaml", yaml);
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // test@test.com now glues dev-9's record onto ali's profile (sara's own
  // user_id demotes the email, so she keeps her profile), and
  // noemail@shop.ir is someone: nothing rejected.
  EXPECT_EQ(summary_count(r.summary, "profiles"), 4) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "conflicts"), 1);  // the demotion
  EXPECT_EQ(summary_count(r.summary, "rejected"), 0);
  EXPECT_EQ(summary_count(r.summary, "blocked_identifiers"), 3);  // two phones, user_id "undefined"
  CommandResult dev =
      run({halo_bin(), "profile", "get", dir / "p.yaml", "--id", "anonymous_id=dev-9"});
  EXPECT_NE(dev.out.find(R"("user_id":["ali"])"), std::string::npos) << dev.out;
}

TEST(IdentityRules, AnInvalidIdentifierIsADeadLetterAndTheEventIsStoredWithoutIt) {
  TempDir dir;
  write_file(
      dir / "events.jsonl",
      R"({"type":"identify","messageId":"m1","userId":"ali","traits":{"phone":"0912-CALL-ME","email":"ali@x.ir"}})"
      "\n");
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: halo.db }\nsources:\n"
             "  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }\n");
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "accepted"), 1) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "rejected"), 0);
  EXPECT_EQ(summary_count(r.summary, "invalid_identifiers"), 1);
  CommandResult dl = run({halo_bin(), "deadletters", dir / "p.yaml", "--stage", "identifier"});
  EXPECT_NE(dl.out.find("\"reason\":\"invalid_identifier\""), std::string::npos) << dl.out;
  EXPECT_NE(
      dl.out.find("phone at traits.phone is not a valid phone ('0912-CALL-ME'); the event was "
                  "stored without it"),
      std::string::npos)
      << dl.out;
  CommandResult p = run({halo_bin(), "profile", "get", dir / "p.yaml", "--email", "ali@x.ir"});
  EXPECT_EQ(p.exit_code, 0) << p.err;
  // Not an identifier; the trait keeps what was written.
  EXPECT_NE(p.out.find(R"("identifiers":{"email":["ali@x.ir"],"user_id":["ali"]})"),
            std::string::npos)
      << p.out;
  EXPECT_NE(p.out.find(R"("phone":"0912-CALL-ME")"), std::string::npos) << p.out;
}

// Declared trait kinds through `halo run`: a value of another kind is a
// dead letter of stage `trait`, the event lands without it (the profile
// keeps the value it had), `halo rebuild` agrees, and once the kind is
// declared otherwise a rebuild reads the value from the log again.
TEST(IdentityRules, ATraitValueOfAnotherKindIsADeadLetterAndTheEventIsStoredWithoutIt) {
  TempDir dir;
  write_file(
      dir / "events.jsonl",
      R"({"type":"identify","messageId":"m1","userId":"ali","timestamp":"2026-01-01T00:00:00Z","traits":{"age":41,"city":"Shiraz"}}
{"type":"identify","messageId":"m2","userId":"ali","timestamp":"2026-01-02T00:00:00Z","traits":{"age":"forty-two","city":"Tehran"}}
{"type":"track","messageId":"m3","userId":"ali","event":"Viewed","timestamp":"2026-01-03T00:00:00Z","context":{"traits":{"vip":"yes"}}}
)");
  const std::string head =
      "version: 1\nstore: { kind: sqlite, path: halo.db }\nsources:\n"
      "  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }\n"
      "destinations:\n"
      "  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }\n";
  write_file(dir / "p.yaml", head + "traits:\n  age: { kind: number }\n  vip: { kind: bool }\n");
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "accepted"), 3) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "rejected"), 0);
  EXPECT_EQ(summary_count(r.summary, "invalid_traits"), 2);
  CommandResult dl = run({halo_bin(), "deadletters", dir / "p.yaml", "--stage", "trait"});
  EXPECT_NE(dl.out.find("\"reason\":\"trait_kind\""), std::string::npos) << dl.out;
  EXPECT_NE(dl.out.find("traits.age at traits.age is 'forty-two', not a number as `traits:` "
                        "declares; the event was stored without it"),
            std::string::npos)
      << dl.out;
  EXPECT_NE(dl.out.find("traits.vip at context.traits.vip is 'yes', not true or false"),
            std::string::npos)
      << dl.out;
  CommandResult replay = run({halo_bin(), "deadletters", "replay", dir / "p.yaml"});
  EXPECT_NE(replay.out.find("halo rebuild"), std::string::npos) << replay.out << replay.err;
  const std::string export_line = read_file(dir / "profiles.jsonl");
  EXPECT_NE(export_line.find(R"("traits":{"age":41,"city":"Tehran"})"), std::string::npos)
      << export_line;

  ASSERT_EQ(run({halo_bin(), "rebuild", dir / "p.yaml", "-q"}).exit_code, 0);
  EXPECT_EQ(read_file(dir / "profiles.jsonl"), export_line);

  // Declared as text now: the log still holds "forty-two", and a rebuild
  // reads it (and "yes") again.
  write_file(dir / "p.yaml", head + "traits:\n  age: { kind: text }\n");
  ASSERT_EQ(run({halo_bin(), "rebuild", dir / "p.yaml", "-q"}).exit_code, 0);
  const std::string rebuilt = read_file(dir / "profiles.jsonl");
  EXPECT_NE(rebuilt.find(R"("traits":{"age":"forty-two","city":"Tehran","vip":"yes"})"),
            std::string::npos)
      << rebuilt;
}

// Survivorship per trait through `halo run`, and `halo rebuild` agreeing.
TEST(IdentityRules, TraitSurvivorshipRulesHoldThroughRunAndRebuild) {
  TempDir dir;
  write_file(
      dir / "crm.jsonl",
      R"({"type":"identify","messageId":"c1","userId":"ali","traits":{"name":"Ali Rezaei","channel":"crm","interests":"tea"},"timestamp":"2026-01-05T00:00:00Z"}
)");
  write_file(
      dir / "web.jsonl",
      R"({"type":"identify","messageId":"w1","userId":"ali","traits":{"name":"ali r","channel":"web","interests":"saffron"},"timestamp":"2026-01-01T00:00:00Z"}
{"type":"identify","messageId":"w2","userId":"ali","traits":{"name":"ALI","channel":"app","interests":"tea"},"timestamp":"2026-01-09T00:00:00Z"}
)");
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: halo.db }\n"
             "traits:\n"
             "  channel: { survivorship: first_seen }\n"
             "  interests: { survivorship: all }\n"
             "sources:\n"
             "  - { name: crm, plugin: file-jsonl, priority: 10, config: { path: crm.jsonl } }\n"
             "  - { name: web, plugin: file-jsonl, priority: 50, config: { path: web.jsonl } }\n");
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto profile = [&] {
    return run({halo_bin(), "profile", "get", dir / "p.yaml", "--id", "user_id=ali"}).out;
  };
  const std::string before = profile();
  // name: the CRM (priority 10) wins over later web values; channel: the
  // first seen (web, 1 January); interests: every distinct value.
  EXPECT_NE(before.find(
                R"("traits":{"channel":"web","interests":["saffron","tea"],"name":"Ali Rezaei"})"),
            std::string::npos)
      << before;
  CommandResult rebuild = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  const std::string after = profile();
  EXPECT_EQ(after.substr(0, after.find("\"updated_at\"")),
            before.substr(0, before.find("\"updated_at\"")));
}

// most_frequent: the counts are stored with the profile, so a profile
// loaded in a later run and merged there still counts every earlier event;
// `halo rebuild` agrees.
TEST(IdentityRules, MostFrequentCountsEventsAcrossRunsAndMerges) {
  TempDir dir;
  auto identify = [](const std::string &id, const std::string &who, const std::string &city,
                     int day) {
    return R"({"type":"identify","messageId":")" + id + R"(",)" + who + R"(,"traits":{"city":")" +
           city + R"("},"timestamp":"2026-01-0)" + std::to_string(day) + "T00:00:00Z\"}\n";
  };
  const std::string device = R"("anonymousId":"d1")", ali = R"("userId":"ali")";
  write_file(dir / "web.jsonl",
             identify("a1", device, "Tabriz", 1) + identify("a2", device, "Tabriz", 2) +
                 identify("a3", device, "Tabriz", 3) + identify("u1", ali, "Tehran", 4));
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: halo.db }\n"
             "traits:\n"
             "  city: { survivorship: most_frequent }\n"
             "sources:\n"
             "  - { name: web, plugin: file-jsonl, config: { path: web.jsonl } }\n");
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  // The next run: Ali signs in on the device (the two stored profiles
  // merge) from Shiraz, the latest value but offered once.
  write_file(dir / "web.jsonl",
             read_file(dir / "web.jsonl") + identify("u2", ali + "," + device, "Shiraz", 5));
  RunOutcome second = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(summary_count(second.summary, "profiles_restored"), 2) << second.summary;
  auto profile = [&] {
    return run({halo_bin(), "profile", "get", dir / "p.yaml", "--id", "user_id=ali"}).out;
  };
  const std::string before = profile();
  EXPECT_NE(before.find(R"("traits":{"city":"Tabriz"})"), std::string::npos) << before;
  CommandResult rebuild = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  const std::string after = profile();
  EXPECT_EQ(after.substr(0, after.find("\"updated_at\"")),
            before.substr(0, before.find("\"updated_at\"")));
}

// `max_per_profile: 2 per 7d`: each link keeps its event's time in the
// store, so a later run -- which loads the profile from the store -- refuses
// exactly what one run over everything refuses, and `halo rebuild` agrees.
TEST(IdentityRules, ALimitWithAWindowHoldsAcrossRunsAndRebuild) {
  const std::string first =
      R"({"type":"identify","messageId":"m1","userId":"u1","anonymousId":"a1","timestamp":"2026-01-01T00:00:00Z"}
{"type":"track","event":"Viewed","messageId":"m2","userId":"u1","anonymousId":"a2","timestamp":"2026-01-02T00:00:00Z"}
{"type":"identify","messageId":"m3","userId":"u2","anonymousId":"b1","timestamp":"2026-01-02T00:00:00Z"}
)";
  // m4: a third anonymous id in u1's first week: refused. m5: 12 January,
  // a week after a2: taken. m6: a3 alone starts a profile of its own. m7:
  // joining it to u1 would put 1, 2 and 4 January in one week: refused.
  const std::string second =
      R"({"type":"track","event":"Viewed","messageId":"m4","userId":"u1","anonymousId":"a3","timestamp":"2026-01-03T00:00:00Z"}
{"type":"track","event":"Viewed","messageId":"m5","userId":"u1","anonymousId":"a4","timestamp":"2026-01-12T00:00:00Z"}
{"type":"track","event":"Viewed","messageId":"m6","anonymousId":"a3","timestamp":"2026-01-04T00:00:00Z"}
{"type":"track","event":"Viewed","messageId":"m7","userId":"u1","anonymousId":"a3","timestamp":"2026-01-13T00:00:00Z"}
)";
  auto pipeline = [](const TempDir &dir) {
    write_file(dir / "p.yaml",
               "version: 1\n"
               "store: { kind: sqlite, path: halo.db }\n"
               "identity:\n"
               "  identifiers:\n"
               "    - { type: user_id, priority: 1, max_per_profile: 1 }\n"
               "    - { type: anonymous_id, priority: 9, max_per_profile: 2 per 7d }\n"
               "sources:\n"
               "  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }\n"
               "destinations:\n"
               "  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }\n");
    return dir / "p.yaml";
  };
  TempDir split, whole;
  write_file(split / "events.jsonl", first);
  ASSERT_EQ(run_pipeline(pipeline(split)).exit_code, 0);
  write_file(split / "events.jsonl", first + second);
  RunOutcome later = run_pipeline(split / "p.yaml");
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(summary_count(later.summary, "conflicts"), 2) << later.summary;
  EXPECT_GT(summary_count(later.summary, "profiles_restored"), 0) << later.summary;

  std::map<std::string, std::set<std::string>> anonymous_of;  // user id -> anonymous ids
  std::vector<Profile> profiles = read_profiles(split / "profiles.jsonl");
  ASSERT_EQ(profiles.size(), 3u);
  for (const Profile &p : profiles) {
    auto user = p.identifiers.find("user_id");
    std::string name = user == p.identifiers.end() ? "-" : *user->second.begin();
    anonymous_of[name] = p.identifiers.at("anonymous_id");
  }
  EXPECT_EQ(anonymous_of["u1"], (std::set<std::string>{"a1", "a2", "a4"}));
  EXPECT_EQ(anonymous_of["-"], (std::set<std::string>{"a3"}));
  CommandResult why = run({halo_bin(), "identity", "merges", pipeline(split)});
  EXPECT_NE(why.out.find("max_per_profile exceeded for anonymous_id (limit 2 per 7d)"),
            std::string::npos)
      << why.out;
  EXPECT_NE(why.out.find("taken within one window (limit 2 per 7d)"), std::string::npos) << why.out;

  write_file(whole / "events.jsonl", first + second);
  ASSERT_EQ(run_pipeline(pipeline(whole)).exit_code, 0);
  const std::string expected = profiles_without_ids(whole / "profiles.jsonl");
  EXPECT_EQ(profiles_without_ids(split / "profiles.jsonl"), expected);
  CommandResult rebuild = run({halo_bin(), "rebuild", split / "p.yaml", "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_EQ(profiles_without_ids(split / "profiles.jsonl"), expected);
}

}  // namespace
}  // namespace halo::e2e::identity_rules_e2e_test
