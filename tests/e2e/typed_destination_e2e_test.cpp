// typed_destination_e2e_test.cpp -- a destination reads traits, features and
// identifiers through the typed accessors (typed-recorder in
// faulty_plugin.cpp never calls profile_json) and sees exactly what the
// export format carries: the same exact number text, the same strings (the
// later event's email wins the trait); and
// the values survive the store (a second run restores them typed) and a
// rebuild.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::typed_destination_e2e_test {
namespace {

std::string pipeline(const TempDir &dir) {
  return R"(version: 1
store: { kind: sqlite, path: var/halo.db }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - name: orders
    plugin: aggregates
    config:
      features:
        order_count: { count: { event: Order Completed } }
        revenue: { sum: { event: Order Completed, field: properties.revenue } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }
  - { name: typed, plugin: typed-recorder, config: { path: ")" +
         (dir / "typed.txt") + R"(" } }
)";
}

const char *kEvents =
    R"({"type":"identify","messageId":"i1","timestamp":"2026-01-02T10:00:00Z","traits":{"email":"sara@x.ir","name":"Sara \"S\"","age":42,"balance":19.90,"vip":true,"note":null}})"
    "\n"
    R"({"type":"track","event":"Order Completed","messageId":"o1","timestamp":"2026-01-02T10:00:01Z","context":{"traits":{"email":"sara@x.ir"}},"properties":{"revenue":10.25}})"
    "\n"
    R"({"type":"track","event":"Order Completed","messageId":"o2","timestamp":"2026-01-02T10:00:02Z","context":{"traits":{"email":"sara@x.ir","plan":"gold"}},"properties":{"revenue":20}})"
    "\n";

// Kinds: 1 null, 2 bool, 3 integer, 4 decimal, 6 string (plugin.h).
const char *kExpected =
    "|ids=email:sara@x.ir,"
    "|t:age=3:42|t:balance=4:19.90|t:email=6:sara@x.ir|t:name=6:Sara \"S\"|t:note=1:"
    "|t:plan=6:gold|t:vip=2:";

TEST(TypedDestination, ReadsWhatTheExportCarriesWithoutParsingJson) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline(dir));
  write_file(dir / "events.jsonl", kEvents);
  auto run_once = [&](const char *command) {
    CommandResult r =
        run({halo_bin(), command, dir / "p.yaml", "--plugin-dir", HALO_TEST_PLUGIN_DIR});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  run_once("run");
  std::vector<Profile> profiles = read_profiles(dir / "var/profiles.jsonl");
  ASSERT_EQ(profiles.size(), 1u);
  const Profile &p = profiles[0];
  std::string typed = read_file(dir / "typed.txt");
  std::string expected = p.id + "|1767348002000" + kExpected + "|f:order_count=3:" + p.order_count +
                         "|f:revenue=4:" + p.revenue + "\n";
  EXPECT_EQ(typed, expected);
  EXPECT_EQ(p.order_count, "2");
  EXPECT_TRUE(same_decimal(p.revenue, "30.25")) << p.revenue;
  for (const char *exported :
       {R"("traits":{"age":42,"balance":19.90,"email":"sara@x.ir","name":"Sara \"S\"",)",
        R"("note":null,"plan":"gold","vip":true})"}) {
    EXPECT_NE(p.line.find(exported), std::string::npos) << p.line;
  }

  // A second run restores the typed traits from the store; a rebuild
  // recomputes them from the log: both give the same bytes.
  std::string export_before = read_file(dir / "var/profiles.jsonl");
  run_once("run");
  EXPECT_EQ(read_file(dir / "typed.txt"), typed);
  EXPECT_EQ(read_file(dir / "var/profiles.jsonl"), export_before);
  run_once("rebuild");
  EXPECT_EQ(read_file(dir / "typed.txt"), typed);
  EXPECT_EQ(read_file(dir / "var/profiles.jsonl"), export_before);
  CommandResult check = run({halo_bin(), "store", "check", dir / "p.yaml"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("typed traits and features decode (1 profiles)"), std::string::npos)
      << check.out;
}

}  // namespace
}  // namespace halo::e2e::typed_destination_e2e_test
