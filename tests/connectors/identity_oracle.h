// identity_oracle.h -- the expected profiles of a multi-source fixture,
// computed independently of the kernel: every fixture object that becomes
// a record is a node; nodes sharing a normalized identifier are one person
// (connected components, union-find). Each component's identifiers are the
// union of its nodes'; its order count and revenue the sum of its nodes'
// completed orders, in integer minor units.
//
// Invariants: identifier values are stored normalized the way the kernel
// exports them (emails trimmed + lower-cased, phones in E.164 with region
// IR, Persian/Arabic digits folded), so components compare directly with
// exported profiles. The oracle has no priorities or per-type limits: the
// test checks separately (max_per_type) that no component exceeds the
// pipeline's max_per_profile, so the two models agree on the fixture.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace halo::connectors_e2e {

using Identifiers = std::map<std::string, std::set<std::string>>;

// One fixture object as the pipeline will see it.
struct FixtureRecord {
  std::string origin;  // for messages: "woo order 12", "pos F-3", ...
  Identifiers identifiers;
  int64_t orders = 0;   // Order Completed events it carries (0 or 1)
  int64_t revenue = 0;  // their revenue in minor units (rial)
};

struct ExpectedProfile {
  Identifiers identifiers;
  int64_t order_count = 0;
  int64_t revenue = 0;
  std::vector<std::string> origins;
};

// Lower-cased, trimmed ASCII email ("" stays "").
std::string normalize_email(const std::string &email);
// E.164 for Iranian numbers in national ("0912..."), international
// ("+98912...", "0098912...") or Persian/Arabic-digit form; other "+"
// numbers keep their digits. "" when there are no digits.
std::string normalize_phone(const std::string &phone);

// Adds type=value to ids unless value is empty (email/phone normalized).
void add_identifier(Identifiers &ids, const std::string &type, const std::string &value);

// Connected components of records by shared identifiers, in a stable order
// (by their smallest identifier).
std::vector<ExpectedProfile> join_records(const std::vector<FixtureRecord> &records);

// The largest number of values of one identifier type in any profile.
size_t max_per_type(const std::vector<ExpectedProfile> &profiles, const std::string &type);

// "12", "12.50" -> minor units with `decimals` digits; throws on text with
// more decimals than that (a unit mismatch must fail the test loudly).
int64_t parse_minor_units(const std::string &amount, int decimals);

}  // namespace halo::connectors_e2e
