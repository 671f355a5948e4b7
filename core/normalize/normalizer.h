// normalizer.h -- the kernel's normalize stage: one raw JSON
// record shaped like the Segment spec -> one halo::Event appended to an
// EventBatch, or a typed Rejection for the dead-letter store.
//
// Invariants:
//  - On success exactly one Event is appended, with its fields and
//    identifiers in contiguous ranges after everything already in `out`, and
//    every string it references copied into out.arena.
//  - On failure `out` is untouched (not even its arena) and *why names the
//    reason code, the field or byte offset, and what to fix.
//  - A Normalizer belongs to one thread (it owns a simdjson parser and
//    scratch buffers reused across calls, so steady-state normalization does
//    not allocate per event). Create one per worker thread.
//  - Paths, identifier types and source names are interned in the batch
//    arena; the intern table is dropped automatically whenever `out` is a
//    different batch or was changed by anyone else since the last call.
//  - Hostile input cannot crash it or make it guess: every EventLimits
//    limit is enforced before recursion or accumulation, a number is
//    accepted only when it is valid JSON (RFC 8259 §6) that fits the limits
//    and a finite double (never a silent 0), and a record with a duplicate
//    member name in any object is refused as duplicate_key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "event/event.h"
#include "normalize/identifiers.h"
#include "normalize/limits.h"
#include "normalize/trait_kind.h"

namespace halo {

struct NormalizeOptions {
  std::vector<IdentifierRule> identifiers = default_identifier_rules();
  EventLimits limits;  // see limits.h
  // Probabilistic links between profiles (identity.linkage): an event that
  // carries identifier (type, value) also carries (kLinkedIdentifierType,
  // key), and so on for that identifier in turn (a link key may itself be
  // linked to another). Keyed by linked_key(type, value).
  std::unordered_map<std::string, std::string> linked = {};
  // Source records an operator detached (`halo identity unmerge
  // --detach-record`), keyed by detached_record_key(source, messageId):
  // such a record keeps only its strongest identifier (the lowest
  // IdentifierRule::priority, the earlier rule on a tie), so it lands on
  // that identifier's person and links nothing else to it.
  std::unordered_set<std::string> detached_records = {};
  // `traits: { NAME: { kind: KIND } }`: a trait value of another kind is
  // left out of the event and reported (kind_problems()).
  std::map<std::string, TraitKind, std::less<>> trait_kinds = {};
  // `events: { EVENT: { properties: { NAME: KIND } } }`: in an event of that
  // name, a value at properties.NAME of another kind (or an object or list
  // there) is left out and reported (kind_problems()). NAME may be a dotted
  // path (shipping.city), with `[]` after the key of a list naming each
  // element (products[].sku, tags[]: a value there that is not a list is
  // left out whole); no NAME lies inside another. A page or screen name is
  // matched with its Persian/Arabic letters folded (persian.h).
  using PropertyKinds = std::map<std::string, TraitKind, std::less<>>;
  std::map<std::string, PropertyKinds, std::less<>> event_properties = {};
};

// The key of `linked` for an identifier.
std::string linked_key(std::string_view type, std::string_view value);
// The key of `detached_records` for a record.
std::string detached_record_key(std::string_view source, std::string_view message_id);

// Why a record was not accepted. `reason` is one of the codes below; the
// message is written for the person fixing the data.
struct Rejection {
  std::string reason;
  std::string message;
};

namespace rejection {
inline constexpr std::string_view kMalformedJson = "malformed_json";
inline constexpr std::string_view kInvalidUtf8 = "invalid_utf8";
inline constexpr std::string_view kTooLarge = "too_large";
inline constexpr std::string_view kWrongType = "wrong_type";
inline constexpr std::string_view kMissingField = "missing_field";
inline constexpr std::string_view kInvalidTimestamp = "invalid_timestamp";
inline constexpr std::string_view kNoIdentifier = "no_identifier";
// One code per limit of EventLimits (too_large is max_record_bytes).
inline constexpr std::string_view kTooDeep = "too_deep";
inline constexpr std::string_view kStringTooLong = "string_too_long";
inline constexpr std::string_view kTooManyFields = "too_many_fields";
inline constexpr std::string_view kTooManyIdentifiers = "too_many_identifiers";
inline constexpr std::string_view kNumberTooPrecise = "number_too_precise";
inline constexpr std::string_view kNumberOutOfRange = "number_out_of_range";
// The same member name twice in one object (RFC 8259 §4 leaves the meaning
// of such a record to each parser; Halo refuses it rather than guess).
inline constexpr std::string_view kDuplicateKey = "duplicate_key";
}  // namespace rejection

// An identifier the record holds but that could not be made canonical
// (an email without '@', a phone with letters): the record is accepted
// without it, and the pipeline reports it (dead letter stage "identifier").
struct IdentifierProblem {
  std::string type;   // identifier type, e.g. "phone"
  std::string path;   // where the value was, e.g. "traits.phone"
  std::string value;  // the value as written (at most 64 bytes of it)
};

// A trait value of another kind than `traits:` declares (text where a
// number is declared, a time that is not ISO 8601), or an event property
// of another kind than `events:` declares for the event: the record is
// accepted without it, and the pipeline reports it (dead letter stage
// "trait" or "property").
struct KindProblem {
  std::string event;  // "" for a trait; the event's name for a property
  std::string name;   // the trait or property, e.g. "age", "revenue"
  std::string path;   // where the value was, e.g. "traits.age"
  std::string value;  // the value as written (at most 64 bytes of it); "" when structured
  TraitKind declared = TraitKind::kText;
  bool structured = false;  // an object or a list where the property is declared
  // Not empty: the value is not a list, and `list` is the declaration
  // naming its elements (`products[].sku`); `declared` is then unused.
  std::string list;
};

class NormalizerImpl;

class Normalizer {
 public:
  explicit Normalizer(NormalizeOptions options = {});
  ~Normalizer();
  Normalizer(Normalizer &&) noexcept;
  Normalizer &operator=(Normalizer &&) noexcept;

  // `raw` need not be padded: it is copied into an internal padded buffer.
  bool normalize(std::string_view raw, std::string_view source, int64_t received_at_ms,
                 EventBatch &out, Rejection *why);
  // Zero-copy form: `readable_capacity` bytes starting at raw.data() may be
  // read; when that covers raw.size() + SIMDJSON_PADDING (64) the record is
  // parsed in place. With RawBytes::kBorrow the caller promises that `raw`
  // stays valid and unchanged as long as `out` holds the event: the event's
  // `raw` and its string and number values then point into it instead of
  // into a copy in out's arena (one copy less of every record, which is
  // what bounds the memory a huge record costs).
  enum class RawBytes { kCopy, kBorrow };
  bool normalize(std::string_view raw, size_t readable_capacity, std::string_view source,
                 int64_t received_at_ms, EventBatch &out, Rejection *why,
                 RawBytes bytes = RawBytes::kCopy);

  // Identifier values skipped since construction because a block list or
  // the built-in placeholders (block_list.h) name them, in accepted and
  // rejected records alike.
  uint64_t blocked_identifiers() const;

  // After normalize() accepted a record: its identifiers that were present
  // but did not normalize, where no other path of the same rule gave a valid
  // value. Empty after a rejection; valid until the next normalize().
  const std::vector<IdentifierProblem> &identifier_problems() const;
  // After normalize() accepted a record: its trait values left out for
  // their kind. Empty after a rejection; valid until the next normalize().
  const std::vector<KindProblem> &kind_problems() const;

 private:
  std::unique_ptr<NormalizerImpl> impl_;
};

}  // namespace halo
