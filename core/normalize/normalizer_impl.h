// normalizer_impl.h -- internals of Normalizer (private to core/normalize):
// the per-thread parser, the scratch record a parse fills, and the interning
// of paths in the destination batch.
//
// Invariants:
//  - A parse fills only scratch state (record_, leaves_, path_text_,
//    candidates_); `out` is written only by commit(), after every check has
//    passed, which is what lets a rejection leave the batch untouched.
//  - string_views in the scratch state point into the input buffer
//    (parse_buf_), the parser's string buffer or auto_message_id_; they are
//    valid until the next parse. Leaf values inside parse_buf_ are
//    committed as views into the event's copy of the record, not copied.
//  - Every view in interned_ points into the arena of the batch identified
//    by intern_batch_/intern_events_/intern_arena_bytes_.
#pragma once

#include <simdjson.h>
#include <xxhash.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/normalizer.h"
#include "normalize/object_keys.h"
#include "normalize/path_table.h"

namespace halo {

// A scalar leaf waiting to be committed; its path is path_text_[path_begin,
// path_begin + path_len).
struct PendingLeaf {
  uint32_t path_begin = 0, path_len = 0;
  uint64_t path_hash = 0;  // path_hash() of the path, reused for interning
  Value value;
  bool fold_letters = false;  // the leaf's key names a person/thing ("name")
};

// The top-level members the normalizer consumes itself.
struct RecordHeader {
  std::string_view type;  // as written
  bool has_type = false;
  simdjson::ondemand::json_type type_seen{};  // when `type` is not a string
  bool type_not_string = false;
  std::string_view message_id;
  std::string_view event, name;  // string values only
  bool event_not_string = false;
  simdjson::ondemand::json_type event_seen{};
  std::string_view timestamp, original_timestamp, sent_at;
  bool has_timestamp = false, has_original_timestamp = false, has_sent_at = false;
  std::string_view previous_id;
};

struct PendingIdentifier {
  std::string_view type;
  uint32_t begin = 0, len = 0;  // in id_text_
};

// "; raise limits.<limit> in the pipeline file (now <value>) ...": the end
// of every over-the-limit message (normalizer_limits.cpp).
std::string raise_hint(const char *limit, uint64_t value);

class NormalizerImpl {
 public:
  explicit NormalizerImpl(NormalizeOptions options);
  ~NormalizerImpl();
  NormalizerImpl(const NormalizerImpl &) = delete;
  NormalizerImpl &operator=(const NormalizerImpl &) = delete;

  // borrow_raw: see Normalizer::RawBytes::kBorrow.
  bool normalize(std::string_view raw, size_t readable_capacity, std::string_view source,
                 int64_t received_at_ms, EventBatch &out, Rejection *why, bool borrow_raw);
  uint64_t blocked_identifiers() const { return blocked_identifiers_; }
  const std::vector<IdentifierProblem> &identifier_problems() const { return problems_; }
  const std::vector<KindProblem> &kind_problems() const { return kind_problems_; }

 private:
  void watch_path(std::string_view path, uint32_t slot);

  // --- parse (normalizer_parse.cpp) ---
  bool parse(std::string_view raw, size_t readable_capacity, Rejection *why);
  simdjson::error_code read_members(simdjson::ondemand::object root, Rejection *why,
                                    bool *rejected);
  simdjson::error_code read_member(std::string_view key, simdjson::ondemand::value v,
                                   Rejection *why, bool *rejected);
  simdjson::error_code read_header_string(std::string_view key, simdjson::ondemand::value v,
                                          std::string_view *dst, bool *present, Rejection *why,
                                          bool *rejected);
  // The member name of `field`, once it passed the string limit and was
  // not used before in the same object (path_ is the object's path).
  simdjson::error_code accept_key(simdjson::ondemand::field &field, std::string_view *key);
  simdjson::error_code walk(simdjson::ondemand::value v, bool name_leaf);
  simdjson::error_code walk_object(simdjson::ondemand::value v);
  simdjson::error_code walk_array(simdjson::ondemand::value v);
  simdjson::error_code add_scalar(simdjson::ondemand::value v, simdjson::ondemand::json_type t,
                                  bool name_leaf);
  simdjson::error_code read_number(simdjson::ondemand::value v, Value *value);
  void add_leaf(std::string_view path, const Value &value, bool fold_letters);

  // --- limits (normalizer_limits.cpp) ---
  // Fills *why_ with a typed rejection and returns kStop, which unwinds the
  // walk; parse() then reports the rejection instead of the error code.
  static constexpr simdjson::error_code kStop = simdjson::UNEXPECTED_ERROR;
  simdjson::error_code stop(std::string_view reason, std::string message);
  simdjson::error_code reject_too_deep();
  simdjson::error_code check_string(std::string_view path_suffix, std::string_view s);
  simdjson::error_code count_value();  // max_fields
  // path_ (+ "." + suffix), shortened for messages.
  std::string shown_path(std::string_view suffix = {}) const;
  // `buf` is the parsed buffer when doc_ holds this record, else nullptr.
  void reject_malformed(simdjson::error_code err, std::string_view raw, const char *buf,
                        Rejection *why);

  // --- semantics (normalizer_event.cpp) ---
  bool resolve_header(std::string_view raw, std::string_view source, int64_t received_at_ms,
                      Rejection *why);
  bool resolve_timestamp(int64_t received_at_ms, Rejection *why);
  bool resolve_identifiers(std::string_view source, Rejection *why);
  // Normalizes `value` by the rule's kind and records it unless invalid,
  // ignored or already present; *added tells whether the rule is satisfied.
  // False when `value` does not normalize for the rule's kind.
  bool add_identifier(const IdentifierRule &rule, std::string_view value, bool *added);
  void add_linked_identifiers();
  void keep_strongest_identifier();
  void make_auto_message_id(std::string_view source, std::string_view raw);
  // Leaves out the trait leaves whose value is not of the trait's declared
  // kind, each reported in kind_problems_.
  void check_trait_kinds();
  // Leaves out the event's properties of another kind than `events:`
  // declares for its name, each reported in kind_problems_.
  void check_property_kinds();
  // The part of a leaf's dotted `path` from `offset` (below `properties.`)
  // in the plan's form, with its prefixes in plan_form_ends_: itself when
  // the plan declares no list, else plan_form_; nullopt when a key of it
  // holds a bracket (no declared name can be one).
  std::optional<std::string_view> to_plan_form(std::string_view path, size_t offset, bool lists);

  // --- commit (normalizer_commit.cpp) ---
  // borrow_raw: the event points into `raw` (which outlives it) instead of
  // into a copy in out's arena.
  void commit(std::string_view raw, bool borrow_raw, std::string_view source,
              int64_t received_at_ms, EventBatch &out);
  std::string_view intern(std::string_view s, uint64_t hash, StringArena &arena);
  std::string_view intern(std::string_view s, StringArena &arena) {
    return intern(s, path_hash(s), arena);
  }
  // `record` is the event's copy of the raw record in the arena.
  void commit_fields(EventBatch &out, std::string_view record);
  // Drops the parser's and the scratch buffers' capacity after a record
  // larger than kKeepScratchBytes, so one huge record does not pin
  // several times its size for the rest of the run.
  void release_scratch();
  static constexpr size_t kKeepScratchBytes = size_t{4} << 20;
  std::string_view copy_text(std::string_view s, bool fold_letters, StringArena &arena);
  void check_intern_table(const EventBatch &out);

  NormalizeOptions options_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;
  std::vector<char> padded_;         // copy of an unpadded input, + padding
  const char *parse_buf_ = nullptr;  // what the parser reads: raw or padded_
  XXH3_state_t *hash_state_ = nullptr;

  // Identifier lookup: rule path -> index in slot_lists_, the slots in
  // candidates_ (rule_slot_begin_[r] + position of the path in rule r) that
  // watch the path. Most leaves are no rule's path: watched_lengths_ (bit n
  // = some rule path has n bytes) rejects them before hashing.
  PathTable path_slots_;
  std::vector<std::vector<uint32_t>> slot_lists_;
  std::vector<uint32_t> rule_slot_begin_;
  uint64_t watched_lengths_ = 0;

  // Scratch state of the record being normalized.
  Rejection *why_ = nullptr;  // the caller's, for rejections from the walk
  bool stopped_ = false;      // a limit or rule rejected the record mid-walk
  uint32_t depth_ = 0;        // nesting of the value being walked; root = 1
  uint32_t values_ = 0;       // values walked so far (scalars and containers)
  ObjectKeys object_keys_;
  RecordHeader record_;
  std::vector<PendingLeaf> leaves_;
  std::string path_;       // dotted path of the value being walked
  std::string path_text_;  // paths of leaves_, back to back
  std::vector<std::string_view> candidates_;
  std::vector<PendingIdentifier> ids_;
  std::string id_text_;
  std::vector<IdentifierProblem> problems_;  // of the current record
  std::vector<KindProblem> kind_problems_;   // of the current record
  uint64_t blocked_identifiers_ = 0;         // values skipped by block lists, ever
  std::string last_blocked_type_;            // for the no_identifier message
  halo_event_type event_type_ = HALO_EVENT_TRACK;
  std::string_view event_name_;
  bool fold_event_name_ = false;
  // The plan's event names holding non-ASCII letters, folded (persian.h),
  // for page and screen names, which are matched folded.
  std::map<std::string, const NormalizeOptions::PropertyKinds *, std::less<>> folded_plan_;
  // List elements in the plan (`products[].sku`): the plans that declare
  // some, and, while such a plan exists, the path hashes of the record's
  // lists under `properties` (an index of a list and a key "3" of an
  // object have the same dotted path; only a list's takes `[]`).
  std::vector<const NormalizeOptions::PropertyKinds *> plans_with_lists_;
  std::vector<uint64_t> list_paths_;
  // The property path of the leaf being checked in the plan's form
  // (products.3.sku -> products[].sku) and where each of its '.'-separated
  // prefixes ends in the dotted path.
  std::string plan_form_;
  std::vector<std::pair<uint32_t, uint32_t>> plan_form_ends_;  // (form end, path end)
  int64_t timestamp_ms_ = 0;
  char auto_message_id_[5 + 32] = {};

  // Interning in the destination batch.
  PathTable interned_;
  const EventBatch *intern_batch_ = nullptr;
  size_t intern_events_ = 0, intern_arena_bytes_ = 0;
};

}  // namespace halo
