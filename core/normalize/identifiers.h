// identifiers.h -- identifier rules and the normalization of identifier
// values (emails, phones, free text) to the canonical form the identity
// resolver keys on (emails trimmed and lower-cased, phones in
// E.164 with a default region, Persian/Arabic digits folded).
//
// Invariants:
//  - A normalizer returns nullopt/false for a value it cannot make canonical;
//    it never guesses (the caller then simply does not use the identifier).
//  - Normalizing an already normalized value returns it unchanged.
//  - The *_to forms append to `out` only on success and never allocate when
//    `out` has capacity, so the hot path can reuse one buffer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo {

// One identifier type and where to find it in a record: the first path (in
// order) holding a value that normalizes gives the identifier.
struct IdentifierRule {
  std::string type;  // "email", "user_id", "woo_customer_id", ...
  enum class Kind { kEmail, kPhone, kText } kind = Kind::kText;
  std::vector<std::string> paths;     // dotted, e.g. "context.traits.email"
  std::string default_region = "IR";  // phones written without a country code
  // Normalized values that identify nobody (e.g. "0" for guest checkouts);
  // `*` in an entry matches any run of characters. Such a value is skipped
  // as if absent (block_list.h).
  std::vector<std::string> ignore;
  // Also skip the built-in placeholders of the kind (block_list.h).
  bool block_placeholders = true;
  // Exact normalized values an operator detached (`halo identity unmerge`);
  // skipped like the block list, never read as patterns.
  std::vector<std::string> detached = {};
  // The resolver's priority (lower = stronger): which identifier a detached
  // record keeps (NormalizeOptions::detached_records).
  int priority = 0;
};

// The identifier type of probabilistic links between profiles: its value is
// a link key, and events carry it as the kernel adds it (normalizer.h).
inline constexpr std::string_view kLinkedIdentifierType = "linked";

// user_id, email, phone, anonymous_id at their Segment-spec locations.
std::vector<IdentifierRule> default_identifier_rules();

// Trims, folds digits, lower-cases ASCII (non-ASCII UTF-8 kept as is).
// Rejects: not exactly one '@', empty local or domain part, inner whitespace.
std::optional<std::string> normalize_email(std::string_view raw);
bool normalize_email_to(std::string_view raw, std::string &out);

// To E.164 ("+989121234567"). Accepts separators (space - . ( ) and bidi
// marks), "+CC", "00CC" (or the region's exit prefix), national numbers with
// the region's trunk prefix, bare national numbers where unambiguous, and a
// redundant trunk 0 after the country code ("+98 0912..."). Rejects letters
// and digit counts outside the region's plan (or 8..15 for other countries).
// Regions with a numbering plan table: IR, US, GB, DE, AE, TR.
std::optional<std::string> normalize_phone(std::string_view raw, std::string_view default_region);
bool normalize_phone_to(std::string_view raw, std::string_view default_region, std::string &out);

// Free-text identifiers (user ids, custom ids): trimmed, digits folded.
// Rejects values that are empty after trimming.
bool normalize_text_identifier_to(std::string_view raw, std::string &out);

// The kind named in a pipeline file ("email", "phone", anything else: text).
IdentifierRule::Kind identifier_kind(std::string_view name);

// Normalizes `raw` with the normalizer of `kind` (one of the three above):
// appends the canonical form to `out` and returns true, or returns false.
bool normalize_identifier_to(IdentifierRule::Kind kind, std::string_view raw,
                             std::string_view default_region, std::string &out);
std::optional<std::string> normalize_identifier(IdentifierRule::Kind kind, std::string_view raw,
                                                std::string_view default_region);

// Strips ASCII whitespace (and U+00A0, U+200C, U+200E/F) at both ends.
std::string_view trim_identifier(std::string_view s);

}  // namespace halo
