// normalizer_event.cpp -- the semantic half of NormalizerImpl: event type
// and name, message id, skew-corrected timestamp and identifiers, following
// the Segment Spec (https://segment.com/docs/connections/spec/common/). Still scratch-only.
#include <algorithm>
#include <climits>
#include <cstring>
#include <optional>
#include <utility>

#include "common/iso_time.h"
#include "common/utf8.h"
#include "event/trait_path.h"
#include "normalize/block_list.h"
#include "normalize/normalizer_impl.h"
#include "normalize/persian.h"
#include "normalize/reject.h"

namespace halo {

namespace {

struct TypeName {
  std::string_view name;
  halo_event_type type;
};
constexpr TypeName kTypes[] = {
    {"identify", HALO_EVENT_IDENTIFY}, {"track", HALO_EVENT_TRACK}, {"page", HALO_EVENT_PAGE},
    {"screen", HALO_EVENT_SCREEN},     {"group", HALO_EVENT_GROUP}, {"alias", HALO_EVENT_ALIAS},
};

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

bool lookup_type(std::string_view text, halo_event_type *type) {
  for (const TypeName &t : kTypes) {
    if (equals_ignore_case(text, t.name)) {
      *type = t.type;
      return true;
    }
  }
  return false;
}

bool parse_field_time(std::string_view field, std::string_view text, int64_t *ms, Rejection *why) {
  if (auto parsed = parse_iso8601_ms(text)) {
    *ms = *parsed;
    return true;
  }
  reject(why, rejection::kInvalidTimestamp,
         "field `" + std::string(field) + "` is \"" + std::string(text.substr(0, 64)) +
             "\", not an ISO-8601 time; use e.g. \"2026-01-02T10:00:00.000Z\"");
  return false;
}

}  // namespace

bool NormalizerImpl::resolve_header(std::string_view raw, std::string_view source,
                                    int64_t received_at_ms, Rejection *why) {
  const RecordHeader &r = record_;
  if (!r.has_type) {
    reject(why, rejection::kMissingField,
           "field `type` is missing; set it to one of identify, track, page, screen, group, "
           "alias");
    return false;
  }
  if (!lookup_type(r.type, &event_type_)) {
    reject(why, rejection::kWrongType,
           "field `type` is \"" + std::string(r.type.substr(0, 64)) +
               "\"; expected one of identify, track, page, screen, group, alias");
    return false;
  }
  event_name_ = {};
  fold_event_name_ = false;
  // `event` and `name` below may become fields too: keep max_fields exact.
  const bool names_event = event_type_ == HALO_EVENT_PAGE || event_type_ == HALO_EVENT_SCREEN;
  const size_t extra_fields = (event_type_ != HALO_EVENT_TRACK && !r.event.empty() ? 1 : 0) +
                              (!names_event && !r.name.empty() ? 1 : 0);
  if (leaves_.size() + extra_fields > options_.limits.max_fields) {
    reject(why, rejection::kTooManyFields,
           "the record has more than " + std::to_string(options_.limits.max_fields) +
               " fields; split it, or raise " + limit_key("max_fields") + " in the pipeline file");
    return false;
  }
  if (event_type_ == HALO_EVENT_TRACK) {
    if (r.event_not_string) {
      reject(why, rejection::kWrongType,
             "field `event` must be a string, got " + std::string(json_type_name(r.event_seen)) +
                 "; send the event name as a JSON string");
      return false;
    }
    if (r.event.empty()) {
      reject(why, rejection::kMissingField,
             "a track event needs a non-empty string field `event` (e.g. \"Order Completed\")");
      return false;
    }
    event_name_ = r.event;
  } else if (!r.event.empty()) {
    add_leaf("event", Value{HALO_VALUE_STRING, false, 0, r.event}, false);
  }
  if (event_type_ == HALO_EVENT_PAGE || event_type_ == HALO_EVENT_SCREEN) {
    event_name_ = r.name;
    fold_event_name_ = true;
  } else if (!r.name.empty()) {
    add_leaf("name", Value{HALO_VALUE_STRING, false, 0, r.name}, true);
  }
  if (r.message_id.empty()) make_auto_message_id(source, raw);
  return resolve_timestamp(received_at_ms, why);
}

// timestamp wins; else originalTimestamp, moved by the client's clock skew
// (receivedAt - sentAt) when sentAt is known; else the arrival time.
bool NormalizerImpl::resolve_timestamp(int64_t received_at_ms, Rejection *why) {
  const RecordHeader &r = record_;
  if (r.has_timestamp) return parse_field_time("timestamp", r.timestamp, &timestamp_ms_, why);
  if (!r.has_original_timestamp) {
    timestamp_ms_ = received_at_ms;
    return true;
  }
  int64_t original = 0;
  if (!parse_field_time("originalTimestamp", r.original_timestamp, &original, why)) return false;
  timestamp_ms_ = original;
  if (!r.has_sent_at) return true;
  int64_t sent = 0;
  if (!parse_field_time("sentAt", r.sent_at, &sent, why)) return false;
  timestamp_ms_ = received_at_ms - (sent - original);
  return true;
}

void NormalizerImpl::make_auto_message_id(std::string_view source, std::string_view raw) {
  XXH3_128bits_reset(hash_state_);
  XXH3_128bits_update(hash_state_, source.data(), source.size());
  XXH3_128bits_update(hash_state_, "", 1);  // the '\0' separator
  XXH3_128bits_update(hash_state_, raw.data(), raw.size());
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(hash_state_));
  static constexpr char kHex[] = "0123456789abcdef";
  std::memcpy(auto_message_id_, "auto-", 5);
  for (size_t i = 0; i < 16; ++i) {
    auto byte = static_cast<unsigned char>(canonical.digest[i]);
    auto_message_id_[5 + 2 * i] = kHex[byte >> 4];
    auto_message_id_[6 + 2 * i] = kHex[byte & 0xF];
  }
  record_.message_id = std::string_view(auto_message_id_, sizeof auto_message_id_);
}

bool NormalizerImpl::resolve_identifiers(std::string_view source, Rejection *why) {
  ids_.clear();
  id_text_.clear();
  const uint64_t blocked_before = blocked_identifiers_;
  for (size_t r = 0; r < options_.identifiers.size(); ++r) {
    const IdentifierRule &rule = options_.identifiers[r];
    bool added = false;
    size_t unusable = rule.paths.size();  // first path whose value did not normalize
    for (size_t p = 0; p < rule.paths.size() && !added; ++p) {
      std::string_view value = candidates_[rule_slot_begin_[r] + p];
      if (!value.empty() && !add_identifier(rule, value, &added) && unusable == rule.paths.size()) {
        unusable = p;
      }
    }
    if (!added && unusable < rule.paths.size()) {
      const std::string_view value = candidates_[rule_slot_begin_[r] + unusable];
      problems_.push_back({rule.type, rule.paths[unusable], std::string(value.substr(0, 64))});
    }
  }
  if (event_type_ == HALO_EVENT_ALIAS && !record_.previous_id.empty()) {
    bool added = false;
    static const IdentifierRule kPreviousId{
        "anonymous_id", IdentifierRule::Kind::kText, {}, "", {}};
    add_identifier(kPreviousId, record_.previous_id, &added);
  }
  if (!options_.detached_records.empty() &&
      options_.detached_records.count(detached_record_key(source, record_.message_id))) {
    keep_strongest_identifier();
  }
  if (!options_.linked.empty()) add_linked_identifiers();
  if (ids_.size() > options_.limits.max_identifiers) {
    reject(why, rejection::kTooManyIdentifiers,
           "the record carries " + std::to_string(ids_.size()) +
               " identifiers, more than the limit of " +
               std::to_string(options_.limits.max_identifiers) + "; raise " +
               limit_key("max_identifiers") + " in the pipeline file if that is expected");
    return false;
  }
  if (ids_.empty() && !problems_.empty()) {
    const IdentifierProblem &p = problems_.front();
    reject(why, rejection::kNoIdentifier,
           "the record's only identifier, " + p.type + " at " + p.path + ", is not a valid " +
               p.type + " ('" + p.value + "'); fix the value or set userId or anonymousId");
    problems_.clear();
    return false;
  }
  if (ids_.empty()) {
    reject(why, rejection::kNoIdentifier,
           blocked_identifiers_ != blocked_before
               ? "the record's only identifiers are placeholders or block-listed values (" +
                     last_blocked_type_ +
                     "), which identify nobody; set a real userId, anonymousId or email"
               : "the record has no usable identifier; set userId or anonymousId (or one of "
                 "the configured identifier paths, e.g. traits.email)");
    return false;
  }
  return true;
}

bool NormalizerImpl::add_identifier(const IdentifierRule &rule, std::string_view value,
                                    bool *added) {
  const size_t begin = id_text_.size();
  const std::string_view type = rule.type;
  if (!normalize_identifier_to(rule.kind, value, rule.default_region, id_text_)) return false;
  std::string_view normalized(id_text_.data() + begin, id_text_.size() - begin);
  if (is_blocked_identifier(rule, normalized)) {
    ++blocked_identifiers_;
    last_blocked_type_ = rule.type;
    id_text_.resize(begin);  // identifies nobody: try the rule's next path
    return true;
  }
  for (const PendingIdentifier &id : ids_) {
    std::string_view seen(id_text_.data() + id.begin, id.len);
    if (id.type == type && seen == normalized) {
      id_text_.resize(begin);  // the same identifier twice says nothing new
      *added = true;
      return true;
    }
  }
  ids_.push_back({type, static_cast<uint32_t>(begin), static_cast<uint32_t>(normalized.size())});
  *added = true;
  return true;
}

namespace {
std::string pair_key(std::string_view a, std::string_view b) {
  std::string key(a);
  key += '\0';
  key += b;
  return key;
}
}  // namespace

std::string linked_key(std::string_view type, std::string_view value) {
  return pair_key(type, value);
}

std::string detached_record_key(std::string_view source, std::string_view message_id) {
  return pair_key(source, message_id);
}

// A detached record: only the identifier of the strongest rule stays (an
// alias's previousId counts as the weakest). Its text stays where it is in
// id_text_.
void NormalizerImpl::keep_strongest_identifier() {
  auto priority_of = [&](std::string_view type) {
    for (size_t r = 0; r < options_.identifiers.size(); ++r) {
      const IdentifierRule &rule = options_.identifiers[r];
      if (rule.type == type) return std::pair{rule.priority, r};
    }
    return std::pair{INT_MAX, options_.identifiers.size()};
  };
  if (ids_.size() < 2) return;
  size_t best = 0;
  for (size_t i = 1; i < ids_.size(); ++i) {
    if (priority_of(ids_[i].type) < priority_of(ids_[best].type)) best = i;
  }
  ids_[0] = ids_[best];
  ids_.resize(1);
}

// Each identifier with a probabilistic link brings the link's identifier;
// those are checked in turn (a key linked to another key). Ends: an
// identifier already on the event is not added again, and keys are finite.
// Links never make an event exceed max_identifiers.
void NormalizerImpl::add_linked_identifiers() {
  static const IdentifierRule kLinked{
      std::string(kLinkedIdentifierType), IdentifierRule::Kind::kText, {}, "", {},
      /*block_placeholders=*/false};
  for (size_t i = 0; i < ids_.size() && ids_.size() < options_.limits.max_identifiers; ++i) {
    const std::string key =
        linked_key(ids_[i].type, std::string_view(id_text_).substr(ids_[i].begin, ids_[i].len));
    auto it = options_.linked.find(key);
    bool added = false;
    if (it != options_.linked.end()) add_identifier(kLinked, it->second, &added);
  }
}

}  // namespace halo

namespace halo {
namespace {

// Null suits every kind: it says the value is unknown.
bool leaf_fits(const Value &v, TraitKind kind) {
  switch (v.kind) {
    case HALO_VALUE_NULL:
      return true;
    case HALO_VALUE_BOOL:
      return kind == TraitKind::kBool;
    case HALO_VALUE_NUMBER:
      return kind == TraitKind::kNumber;
    case HALO_VALUE_STRING:
      return kind == TraitKind::kText ||
             (kind == TraitKind::kTime && parse_iso8601_ms(v.text).has_value());
  }
  return false;
}

// A value as a KindProblem shows it: at most 64 bytes of its text.
std::string shown(const Value &v) {
  if (v.kind == HALO_VALUE_BOOL) return v.boolean ? "true" : "false";
  return std::string(utf8_prefix(v.text, 64));
}

}  // namespace

void NormalizerImpl::check_trait_kinds() {
  size_t kept = 0;
  for (size_t i = 0; i < leaves_.size(); ++i) {
    const PendingLeaf &leaf = leaves_[i];
    const std::string_view path =
        std::string_view(path_text_).substr(leaf.path_begin, leaf.path_len);
    const std::string_view name = trait_name_at(event_type_, path);
    const auto declared =
        name.empty() ? options_.trait_kinds.end() : options_.trait_kinds.find(name);
    if (declared != options_.trait_kinds.end() && !leaf_fits(leaf.value, declared->second)) {
      kind_problems_.push_back({.event = {},
                                .name = std::string(name),
                                .path = std::string(path),
                                .value = shown(leaf.value),
                                .declared = declared->second,
                                .structured = false,
                                .list = {}});
      continue;
    }
    if (kept != i) leaves_[kept] = leaf;
    ++kept;
  }
  leaves_.resize(kept);
}

std::optional<std::string_view> NormalizerImpl::to_plan_form(std::string_view path, size_t offset,
                                                             bool lists) {
  plan_form_ends_.clear();
  const std::string_view under = path.substr(offset);
  if (!lists) {
    for (size_t end = under.find('.');; end = under.find('.', end + 1)) {
      const size_t at = end == std::string_view::npos ? under.size() : end;
      plan_form_ends_.push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(offset + at)});
      if (end == std::string_view::npos) return under;
    }
  }
  plan_form_.clear();
  for (size_t begin = 0; begin <= under.size();) {
    const size_t end = std::min(under.find('.', begin), under.size());
    const std::string_view key = under.substr(begin, end - begin);
    if (key.find_first_of("[]") != std::string_view::npos) return std::nullopt;
    const bool index =
        begin > 0 && !key.empty() &&
        key.find_first_not_of("0123456789") == std::string_view::npos &&
        std::find(list_paths_.begin(), list_paths_.end(),
                  path_hash(path.substr(0, offset + begin - 1))) != list_paths_.end();
    if (index) {
      plan_form_ += "[]";
    } else {
      if (begin > 0) plan_form_ += '.';
      plan_form_ += key;
    }
    plan_form_ends_.push_back(
        {static_cast<uint32_t>(plan_form_.size()), static_cast<uint32_t>(offset + end)});
    begin = end + 1;
  }
  return plan_form_;
}

void NormalizerImpl::check_property_kinds() {
  const NormalizeOptions::PropertyKinds *declared_properties = nullptr;
  if (const auto plan = options_.event_properties.find(event_name_);
      plan != options_.event_properties.end()) {
    declared_properties = &plan->second;
  } else if (fold_event_name_ && has_non_ascii(event_name_)) {
    const auto folded = folded_plan_.find(fold_persian_letters(event_name_));
    if (folded != folded_plan_.end()) declared_properties = folded->second;
  }
  if (declared_properties == nullptr) return;
  const NormalizeOptions::PropertyKinds &plan = *declared_properties;
  const bool lists = std::find(plans_with_lists_.begin(), plans_with_lists_.end(), &plan) !=
                     plans_with_lists_.end();
  constexpr std::string_view kProperties = "properties.";
  std::string_view structured;  // the object or list reported last (its leaves are adjacent)
  std::string list_mark;        // scratch: a name with `[]` after it
  size_t kept = 0;
  for (size_t i = 0; i < leaves_.size(); ++i) {
    const PendingLeaf &leaf = leaves_[i];
    const std::string_view path =
        std::string_view(path_text_).substr(leaf.path_begin, leaf.path_len);
    const std::optional<std::string_view> form = path.starts_with(kProperties)
                                                     ? to_plan_form(path, kProperties.size(), lists)
                                                     : std::nullopt;
    // The declared name the leaf is at, or inside of (properties.NAME.x: an
    // object or a list where a declared NAME is), or a list declaration it
    // is not a list for (products[].sku, the leaf at properties.products).
    // No declared name lies inside another (events_config.h), so at most
    // one matches.
    auto declared = plan.end();
    std::string_view raw;  // the matched prefix in the dotted path, below `properties.`
    bool nested = false;
    std::string_view not_a_list;
    for (size_t k = 0; form && k < plan_form_ends_.size(); ++k) {
      const auto [form_end, path_end] = plan_form_ends_[k];
      const std::string_view name = form->substr(0, form_end);
      raw = path.substr(kProperties.size(), path_end - kProperties.size());
      nested = k + 1 < plan_form_ends_.size();
      declared = plan.find(name);
      if (declared != plan.end()) break;
      if (lists && form->substr(form_end, 2) != "[]") {
        list_mark.assign(name).append("[]");
        const auto list = plan.lower_bound(list_mark);
        if (list != plan.end() && list->first.starts_with(list_mark) &&
            (nested || leaf.value.kind != HALO_VALUE_NULL)) {
          not_a_list = list->first;
          break;
        }
      }
    }
    const bool fits = declared != plan.end() && !nested && leaf_fits(leaf.value, declared->second);
    if ((declared == plan.end() && not_a_list.empty()) || fits) {
      if (kept != i) leaves_[kept] = leaf;
      ++kept;
      continue;
    }
    if (!nested || raw != structured) {
      kind_problems_.push_back(
          {.event = std::string(event_name_),
           .name = std::string(raw),
           .path = "properties." + std::string(raw),
           .value = nested ? "" : shown(leaf.value),
           .declared = declared != plan.end() ? declared->second : TraitKind::kText,
           .structured = nested,
           .list = std::string(not_a_list)});
    }
    if (nested) structured = raw;
  }
  leaves_.resize(kept);
}

}  // namespace halo
