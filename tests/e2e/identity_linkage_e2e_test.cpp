// identity.linkage through `halo run`: the FEBRL 1 person records (each
// with its own record id, no shared key) become one profile per person,
// a rebuild and a run split in two give the same profiles, and a bad
// linkage section is a configuration error `halo validate` reports.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "e2e_support.h"

namespace halo::e2e::identity_linkage_e2e_test {
namespace {

const char *kLinkage =
    "  linkage:\n"
    "    fields:\n"
    "      - { column: given_name,    compare: name, swap_with: surname }\n"
    "      - { column: surname,       compare: name, swap_with: given_name }\n"
    "      - { column: street_number, compare: code }\n"
    "      - { column: address_1,     compare: text, swap_with: address_2 }\n"
    "      - { column: address_2,     compare: text, swap_with: address_1 }\n"
    "      - { column: suburb,        compare: text }\n"
    "      - { column: postcode,      compare: code }\n"
    "      - { column: state,         compare: exact }\n"
    "      - { column: date_of_birth, compare: date }\n"
    "      - { column: soc_sec_id,    compare: code }\n"
    "    blocking:\n"
    "      - [soc_sec_id]\n"
    "      - [date_of_birth]\n"
    "      - [surname:soundex, given_name:soundex]\n"
    "      - [surname:soundex, postcode]\n"
    "      - [postcode, street_number]\n";

// DIR/p.yaml reading DIR/people.csv as identify events keyed by rec_id.
std::string pipeline(const TempDir &dir, const std::string &linkage = kLinkage) {
  // A fixed time: rows without one would take the time they were read.
  std::string mapping =
      "        type: \"=identify\"\n        userId: rec_id\n"
      "        timestamp: \"=2026-01-01T00:00:00Z\"\n";
  for (const char *c : {"given_name", "surname", "street_number", "address_1", "address_2",
                        "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"}) {
    mapping += std::string("        traits.") + c + ": " + c + "\n";
  }
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: halo.db }\n"
             "identity:\n  identifiers:\n"
             "    - { type: record_id, priority: 1, paths: [userId] }\n" +
                 linkage +
                 "sources:\n  - name: crm\n    plugin: file-csv\n    config:\n"
                 "      path: people.csv\n      mapping:\n" +
                 mapping +
                 "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: "
                 "profiles.jsonl } }\n");
  return dir / "p.yaml";
}

std::vector<std::string> febrl_lines() {
  return read_lines(source_dir() + "/tests/data/febrl/dataset1.csv");
}

// The FEBRL 1 row of `rec_id` as column -> value, as file-csv reads it (the
// file puts a space after each comma; the comparators ignore it).
std::map<std::string, std::string> febrl_row(const std::string &rec_id) {
  auto split = [](const std::string &line) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t comma = 0; comma != std::string::npos; start = comma + 1) {
      comma = line.find(',', start);
      out.push_back(line.substr(start, comma == std::string::npos ? comma : comma - start));
    }
    return out;
  };
  const std::vector<std::string> lines = febrl_lines();
  std::vector<std::string> header = split(lines.front());
  for (std::string &name : header) name.erase(0, name.find_first_not_of(' '));
  for (const std::string &line : lines) {
    const std::vector<std::string> cells = split(line);
    if (cells.front() != rec_id) continue;
    std::map<std::string, std::string> row;
    for (size_t c = 0; c < header.size() && c < cells.size(); ++c) row[header[c]] = cells[c];
    return row;
  }
  return {};
}

// Pairwise F1 of the exported profiles against the record ids' truth
// (rec-N-org and rec-N-dup-K are person N).
double pairwise_f1(const std::vector<Profile> &profiles) {
  auto person = [](const std::string &rec) { return rec.substr(0, rec.find('-', 4)); };
  std::map<std::string, size_t> records_of;  // person -> records
  size_t predicted = 0, correct = 0;
  for (const Profile &p : profiles) {
    const std::set<std::string> &ids = p.identifiers.at("record_id");
    predicted += ids.size() * (ids.size() - 1) / 2;
    std::map<std::string, size_t> here;
    for (const std::string &rec : ids) ++here[person(rec)];
    for (const auto &[who, n] : here) correct += n * (n - 1) / 2;
    for (const std::string &rec : ids) ++records_of[person(rec)];
  }
  size_t actual = 0;
  for (const auto &[who, n] : records_of) actual += n * (n - 1) / 2;
  const double precision = predicted ? double(correct) / predicted : 0;
  const double recall = actual ? double(correct) / actual : 0;
  return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
}

// Person 122 of FEBRL 1 is two records differing in the postcode (4814 /
// 4184). Each probabilistic link of its profile carries the comparison of
// those two records, field by field, with weights that add up to the
// pair's weight.
void expect_field_evidence_of_person_122(const std::string &explain_json) {
  const std::map<std::string, std::string> org = febrl_row("rec-122-org");
  const std::map<std::string, std::string> dup = febrl_row("rec-122-dup-0");
  ASSERT_EQ(org.at("postcode"), " 4814");
  ASSERT_EQ(dup.at("postcode"), " 4184");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(explain_json).get(doc), simdjson::SUCCESS) << explain_json;
  size_t links = 0;
  for (simdjson::dom::element id : doc["identifiers"].get_array()) {
    simdjson::dom::element evidence;
    if (id["probabilistic_link"]["evidence"].get(evidence) != simdjson::SUCCESS) continue;
    ++links;
    const std::string own{std::string_view(id["value"])};
    const std::string with{std::string_view(evidence["with"]["value"])};
    ASSERT_TRUE(own == "rec-122-org" || own == "rec-122-dup-0") << own;
    EXPECT_EQ(with, own == "rec-122-org" ? "rec-122-dup-0" : "rec-122-org");
    const auto &mine = own == "rec-122-org" ? org : dup;
    const auto &theirs = own == "rec-122-org" ? dup : org;
    double sum = 0;
    size_t fields = 0;
    for (simdjson::dom::element f : evidence["fields"].get_array()) {
      const std::string column{std::string_view(f["column"])};
      EXPECT_EQ(std::string_view(f["a"]), mine.at(column)) << column;
      EXPECT_EQ(std::string_view(f["b"]), theirs.at(column)) << column;
      const std::string_view level = f["level"];
      EXPECT_EQ(level == "equal", mine.at(column) == theirs.at(column)) << column << " " << level;
      sum += double(f["weight"]);
      ++fields;
    }
    EXPECT_EQ(fields, 10u);
    EXPECT_NEAR(sum, double(evidence["weight"]), 0.01);
    EXPECT_GT(sum, 0) << "a link is evidence for one person";
  }
  EXPECT_EQ(links, 2u) << "both records' identifiers carry the link key";
}

TEST(IdentityLinkage, FebrlRecordsWithoutASharedKeyBecomeOneProfilePerPerson) {
  TempDir dir;
  std::string csv;
  for (const std::string &line : febrl_lines()) csv += line + "\n";
  write_file(dir / "people.csv", csv);
  const std::string p = pipeline(dir);
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "accepted"), 1000) << r.summary;
  EXPECT_GE(summary_count(r.summary, "probabilistic_links"), 900) << r.summary;
  const std::vector<Profile> profiles = read_profiles(dir / "profiles.jsonl");
  EXPECT_NEAR(profiles.size(), 500u, 5u);
  EXPECT_GE(pairwise_f1(profiles), 0.99);

  // Explained: the identifier that carries the link, its key and probability.
  CommandResult explain =
      run({halo_bin(), "identity", "explain", p, "--id", "record_id=rec-122-dup-0"});
  ASSERT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_NE(explain.out.find("  linked record_id:rec-122-"), std::string::npos) << explain.out;
  EXPECT_NE(explain.out.find("    probabilistic link (identity.linkage, probability "),
            std::string::npos)
      << explain.out;
  EXPECT_NE(explain.out.find("      strongest record pair: with record_id rec-122-"),
            std::string::npos)
      << explain.out;
  EXPECT_NE(explain.out.find("        postcode: ' 4"), std::string::npos) << explain.out;
  CommandResult json = run(
      {halo_bin(), "identity", "explain", p, "--id", "record_id=rec-122-org", "--format", "json"});
  EXPECT_NE(json.out.find("\"probabilistic_link\":{\"key\":\"record_id:rec-122-"),
            std::string::npos)
      << json.out;
  expect_field_evidence_of_person_122(json.out);

  // The links are decisions: a rebuild reproduces them, a run with nothing
  // new makes none.
  const std::string linked = profiles_without_ids(dir / "profiles.jsonl");
  ASSERT_EQ(run({halo_bin(), "rebuild", p, "-q"}).exit_code, 0);
  EXPECT_EQ(profiles_without_ids(dir / "profiles.jsonl"), linked);
  RunOutcome again = run_pipeline(p);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "probabilistic_links"), 0) << again.summary;
}

TEST(IdentityLinkage, ARunInTwoPartsLinksAsOneRunDoes) {
  const std::vector<std::string> lines = febrl_lines();
  std::string first, all;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i <= 600) first += lines[i] + "\n";  // the header and 600 records
    all += lines[i] + "\n";
  }
  TempDir once, parts;
  write_file(once / "people.csv", all);
  ASSERT_EQ(run_pipeline(pipeline(once)).exit_code, 0);
  write_file(parts / "people.csv", first);
  const std::string p = pipeline(parts);
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  write_file(parts / "people.csv", all);  // the export grew
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "accepted"), 400) << r.summary;
  EXPECT_EQ(profiles_without_ids(parts / "profiles.jsonl"),
            profiles_without_ids(once / "profiles.jsonl"));
}

// Five people with one exact duplicate each, and five without.
const char *kPeople =
    "rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,"
    "date_of_birth,soc_sec_id\n"
    "rec-1-org,nora,kettle,14,apple lane,,greenfield,5111,sa,19881212,9100001\n"
    "rec-1-dup-0,nora,kettle,14,apple lane,,greenfield,5111,sa,19881212,9100001\n"
    "rec-2-org,maud,kettle,92,river drive,,stoneham,6222,sa,19881212,9100002\n"
    "rec-3-org,finn,marlow,14,apple lane,,greenfield,5111,wa,19770303,9100003\n"
    "rec-3-dup-0,fin,marlow,14,apple lane,,greenfeld,5111,wa,19770303,9100003\n"
    "rec-4-org,gus,marlow,92,river drive,,stoneham,6222,wa,19770303,9100004\n"
    "rec-5-org,lea,tamsin,3,pine court,,oakvale,5333,nt,19660404,9100005\n"
    "rec-5-dup-0,lea,tamsin,3,pine crt,,oakvale,5333,nt,19660404,9100005\n"
    "rec-6-org,lea,tamsin,88,cedar way,,elmwood,7444,qld,19990909,9100006\n"
    "rec-7-org,ida,wren,5,lake street,,riverton,2222,vic,19300303,9100007\n"
    "rec-7-dup-0,ida,wren,5,lake st,,riverton,2222,vic,19300303,9100007\n"
    "rec-8-org,omar,vance,61,hill road,,lowfield,3333,vic,19300304,9100008\n"
    "rec-9-org,kai,oberon,7,bay road,,seaton,4444,nsw,19550505,9100009\n"
    "rec-9-dup-0,kai,oberon,7,bay road,,seaton,4444,nsw,19550505,9100009\n"
    "rec-10-org,kai,oberon,12,gum street,,hilltop,4445,nsw,19550606,9100010\n";

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  size_t at = 0;
  for (size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(text.substr(at, nl - at));
  }
  return lines;
}

// The review queue's line for the pair of `rec` and its duplicate.
std::string review_line(const std::string &listing, const std::string &rec) {
  for (const std::string &line : split_lines(listing)) {
    if (line.find("\"" + rec + "-org\"") != std::string::npos &&
        line.find("\"" + rec + "-dup-0\"") != std::string::npos) {
      return line;
    }
  }
  return "";
}

std::string review_id(const std::string &line) {
  const std::string key = "{\"id\":";
  return line.compare(0, key.size(), key) == 0
             ? line.substr(key.size(), line.find(',') - key.size())
             : "";
}

TEST(IdentityLinkage, AnAdminDecidesThePairsInTheReviewBand) {
  TempDir dir;
  write_file(dir / "people.csv", kPeople);
  // A link needs near certainty: every pair waits in the review band.
  const std::string strict = std::string(kLinkage) + "    link_probability: 0.999999999\n";
  const std::string p = pipeline(dir, strict);
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "probabilistic_links"), 0) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "review_pairs"), 5) << r.summary;
  EXPECT_EQ(read_profiles(dir / "profiles.jsonl").size(), 15u);
  auto review = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {halo_bin(), "identity", "review", p});
    return run(args);
  };
  const std::string listing = review({"--format", "jsonl"}).out;
  const std::string accept = review_id(review_line(listing, "rec-1"));
  const std::string reject = review_id(review_line(listing, "rec-3"));
  ASSERT_FALSE(accept.empty()) << listing;
  ASSERT_FALSE(reject.empty()) << listing;

  CommandResult a = review({"--accept", accept});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(read_profiles(dir / "profiles.jsonl").size(), 14u);  // rec-1 is one person now
  // The link is the admin's decision: no record pair is shown as its evidence.
  CommandResult explained =
      run({halo_bin(), "identity", "explain", p, "--id", "record_id=rec-1-org"});
  EXPECT_NE(explained.out.find("      no field evidence stored (an admin accepted the pair"),
            std::string::npos)
      << explained.out;
  EXPECT_EQ(explained.out.find("strongest record pair"), std::string::npos) << explained.out;
  ASSERT_EQ(review({"--reject", reject}).exit_code, 0);
  EXPECT_EQ(review({"--reject", reject}).exit_code, 3);                  // decided already
  EXPECT_EQ(split_lines(review({"--format", "jsonl"}).out).size(), 3u);  // still open
  EXPECT_EQ(split_lines(review({"--all", "--format", "jsonl"}).out).size(), 5u);

  // With the usual threshold every other pair links, the rejected one never.
  pipeline(dir);
  ASSERT_EQ(run({halo_bin(), "rebuild", p, "-q"}).exit_code, 0);
  std::vector<Profile> profiles = read_profiles(dir / "profiles.jsonl");
  EXPECT_EQ(profiles.size(), 11u);
  for (const Profile &prof : profiles) {
    const std::set<std::string> &ids = prof.identifiers.at("record_id");
    EXPECT_FALSE(ids.count("rec-3-org") && ids.count("rec-3-dup-0")) << prof.line;
  }
}

TEST(IdentityLinkage, ABadLinkageSectionIsAConfigurationError) {
  TempDir dir;
  write_file(dir / "people.csv", "rec_id,surname\nrec-1-org,smith\n");
  const std::string p =
      pipeline(dir, "  linkage:\n    fields: [{ column: surname, compare: fuzzy }]\n");
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
  EXPECT_NE((v.out + v.err).find("identity.linkage.fields[0].compare"), std::string::npos)
      << v.out << v.err;
  EXPECT_NE((v.out + v.err).find("identity.linkage.blocking: missing required key 'blocking'"),
            std::string::npos)
      << v.out << v.err;
  EXPECT_EQ(run_pipeline(p).exit_code, 2);
}

}  // namespace
}  // namespace halo::e2e::identity_linkage_e2e_test
