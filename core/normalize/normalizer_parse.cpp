// normalizer_parse.cpp -- the parse half of NormalizerImpl: one pass over
// the record with simdjson On-Demand, consuming the header members and
// flattening every other scalar leaf into leaves_ with its dotted path.
// Only scratch state is written here (see normalizer_impl.h).
#include <charconv>
#include <cmath>
#include <cstring>

#include "common/json_number.h"
#include "normalize/normalizer_impl.h"
#include "normalize/reject.h"

namespace halo {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

// Keys whose last segment mentions "name" hold names of people or things;
// their Arabic letters are folded to Persian.
bool mentions_name(std::string_view key) {
  if (key.size() < 4) return false;
  uint32_t name;  // "name" as a little-endian word, ASCII lower-case
  std::memcpy(&name, "name", 4);
  for (size_t i = 0; i + 4 <= key.size(); ++i) {
    uint32_t word;
    std::memcpy(&word, key.data() + i, 4);
    if ((word | 0x20202020u) == name) return true;  // | 0x20 lower-cases letters
  }
  return false;
}

// Keys without escapes are read straight from the input instead of being
// copied into the parser's string buffer; escaped keys are unescaped by
// simdjson. Stage 1 has validated the document, so the closing quote exists.
error_code read_key(od::field &field, std::string_view *key) {
  const char *p = field.key().raw();
  size_t n = 0;
  while (p[n] != '"') {
    if (p[n] == '\\') return field.unescaped_key().get(*key);
    ++n;
  }
  *key = std::string_view(p, n);
  return SUCCESS;
}

std::string_view trim_trailing_space(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// String values without escapes are read straight from the input: no copy
// into the parser's string buffer, and commit() can point the field into
// the event's copy of the record instead of copying the bytes again (a
// record's memory then stays a small multiple of its size). Escaped strings
// are unescaped by simdjson. Stage 1 has validated UTF-8 and the string.
error_code read_string_value(od::value v, std::string_view *out) {
  const std::string_view token = trim_trailing_space(v.raw_json_token());
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
    const std::string_view content = token.substr(1, token.size() - 2);
    if (std::memchr(content.data(), '\\', content.size()) == nullptr) {
      *out = content;
      return SUCCESS;
    }
  }
  return v.get_string().get(*out);
}

}  // namespace

bool NormalizerImpl::parse(std::string_view raw, size_t readable_capacity, Rejection *why) {
  const char *buf = raw.data();
  if (readable_capacity < raw.size() + simdjson::SIMDJSON_PADDING) {
    if (padded_.size() < raw.size() + simdjson::SIMDJSON_PADDING) {
      padded_.resize(raw.size() + simdjson::SIMDJSON_PADDING);
    }
    if (!raw.empty()) std::memcpy(padded_.data(), raw.data(), raw.size());
    std::memset(padded_.data() + raw.size(), 0, simdjson::SIMDJSON_PADDING);
    buf = padded_.data();
    readable_capacity = padded_.size();
  }
  parse_buf_ = buf;
  record_ = RecordHeader{};
  why_ = why;
  stopped_ = false;
  depth_ = 1;  // the root object
  values_ = 0;
  object_keys_.reset();
  leaves_.clear();
  list_paths_.clear();
  path_.clear();
  path_text_.clear();
  std::fill(candidates_.begin(), candidates_.end(), std::string_view{});

  simdjson::padded_string_view input(buf, raw.size(), readable_capacity);
  error_code err = parser_.iterate(input).get(doc_);
  if (err != SUCCESS) {
    reject_malformed(err, raw, nullptr, why);  // doc_ is not usable
    return false;
  }
  od::json_type root_type{};
  err = doc_.type().get(root_type);
  if (err != SUCCESS) {
    reject_malformed(err, raw, buf, why);
    return false;
  }
  if (root_type != od::json_type::object) {
    reject(why, rejection::kMalformedJson,
           "the record is a JSON " + std::string(json_type_name(root_type)) +
               "; each record must be one JSON object like {\"type\":\"track\",...}");
    return false;
  }
  od::object root;
  bool rejected = false;
  err = doc_.get_object().get(root);
  if (err == SUCCESS) err = read_members(root, why, &rejected);
  if (rejected || stopped_) return false;
  if (err == SUCCESS) {
    // After the root object only whitespace may follow; a location inside
    // the buffer means more tokens.
    const char *rest = nullptr;
    if (doc_.current_location().get(rest) == SUCCESS) {
      reject(why, rejection::kMalformedJson,
             "unexpected content after the JSON object at byte " + std::to_string(rest - buf) +
                 "; put one record per line (JSON Lines)");
      return false;
    }
  }
  if (err != SUCCESS) {
    reject_malformed(err, raw, buf, why);
    return false;
  }
  return true;
}

error_code NormalizerImpl::read_members(od::object root, Rejection *why, bool *rejected) {
  object_keys_.open();
  for (auto member : root) {
    od::field field;
    error_code err = std::move(member).get(field);
    std::string_view key;
    path_.clear();  // read_member leaves the previous member's path
    if (err == SUCCESS) err = accept_key(field, &key);
    if (err == SUCCESS) err = read_member(key, field.value(), why, rejected);
    if (err != SUCCESS || *rejected) return err;
  }
  object_keys_.close();
  return SUCCESS;
}

error_code NormalizerImpl::accept_key(od::field &field, std::string_view *key) {
  error_code err = read_key(field, key);
  if (err != SUCCESS) return err;
  if ((err = check_string(*key, *key)) != SUCCESS) return err;
  if (!object_keys_.repeated(*key)) return SUCCESS;
  return stop(rejection::kDuplicateKey,
              "member `" + shown_path(*key) +
                  "` appears more than once in the same object (RFC 8259 §4: names should be "
                  "unique; parsers disagree on which value counts); send each member once");
}

error_code NormalizerImpl::read_member(std::string_view key, od::value v, Rejection *why,
                                       bool *rejected) {
  RecordHeader &r = record_;
  bool unused = false;
  if (key == "type") {
    return read_header_string(key, v, &r.type, &r.has_type, why, rejected);
  }
  if (key == "messageId" || (key == "message_id" && r.message_id.empty())) {
    return read_header_string(key, v, &r.message_id, &unused, why, rejected);
  }
  if (key == "timestamp") {
    return read_header_string(key, v, &r.timestamp, &r.has_timestamp, why, rejected);
  }
  if (key == "originalTimestamp") {
    return read_header_string(key, v, &r.original_timestamp, &r.has_original_timestamp, why,
                              rejected);
  }
  if (key == "sentAt") {
    return read_header_string(key, v, &r.sent_at, &r.has_sent_at, why, rejected);
  }
  od::json_type t{};
  error_code err = v.type().get(t);
  if (err != SUCCESS) return err;
  // `event` and `name` are consumed only for the types that use them; the
  // type may come later, so string values wait and others are flattened.
  if (key == "event" || key == "name") {
    if (t == od::json_type::string) {
      std::string_view &dst = key == "event" ? r.event : r.name;
      err = v.get_string().get(dst);
      return err == SUCCESS ? check_string(key, dst) : err;
    }
    if (key == "event") {
      r.event_not_string = true;
      r.event_seen = t;
    }
  }
  path_.assign(key);
  if (key == "previousId" && (t == od::json_type::string || t == od::json_type::number)) {
    if ((err = count_value()) != SUCCESS) return err;
    size_t before = leaves_.size();
    err = add_scalar(v, t, false);
    if (leaves_.size() > before) r.previous_id = leaves_.back().value.text;
    return err;
  }
  return walk(v, mentions_name(key));
}

error_code NormalizerImpl::read_header_string(std::string_view key, od::value v,
                                              std::string_view *dst, bool *present, Rejection *why,
                                              bool *rejected) {
  od::json_type t{};
  error_code err = v.type().get(t);
  if (err != SUCCESS) return err;
  if (t == od::json_type::null) return SUCCESS;  // null means "not given"
  if (t == od::json_type::string) {
    err = v.get_string().get(*dst);
    if (err == SUCCESS) err = check_string(key, *dst);
    if (err == SUCCESS) *present = true;
    return err;
  }
  *rejected = true;
  reject(why, rejection::kWrongType,
         "field `" + std::string(key) + "` must be a string, got " +
             std::string(json_type_name(t)) + "; send it as a JSON string");
  return SUCCESS;
}

error_code NormalizerImpl::walk(od::value v, bool name_leaf) {
  od::json_type t{};
  error_code err = v.type().get(t);
  if (err != SUCCESS) return err;
  // Every value counts, containers too: the scratch state per value (leaf,
  // member name, path) is then bounded by max_fields even for `[[],[],...]`.
  if ((err = count_value()) != SUCCESS) return err;
  if (t != od::json_type::object && t != od::json_type::array) return add_scalar(v, t, name_leaf);
  // Bounded recursion: the depth is checked before descending, so the
  // stack never holds more than max_depth levels (<= kMaxDepthCap).
  if (depth_ >= options_.limits.max_depth) return reject_too_deep();
  ++depth_;
  err = t == od::json_type::object ? walk_object(v) : walk_array(v);
  --depth_;
  return err;
}

error_code NormalizerImpl::walk_object(od::value v) {
  od::object obj;
  error_code err = v.get_object().get(obj);
  if (err != SUCCESS) return err;
  const size_t parent_len = path_.size();
  object_keys_.open();
  for (auto member : obj) {
    od::field field;
    std::string_view key;
    if ((err = std::move(member).get(field)) != SUCCESS) return err;
    if ((err = accept_key(field, &key)) != SUCCESS) return err;
    path_.push_back('.');
    path_.append(key);
    err = walk(field.value(), mentions_name(key));
    path_.resize(parent_len);
    if (err != SUCCESS) return err;
  }
  object_keys_.close();
  return SUCCESS;
}

error_code NormalizerImpl::walk_array(od::value v) {
  od::array arr;
  error_code err = v.get_array().get(arr);
  if (err != SUCCESS) return err;
  const size_t parent_len = path_.size();
  if (!plans_with_lists_.empty() && path_.starts_with("properties.")) {
    list_paths_.push_back(path_hash(path_));
  }
  size_t index = 0;
  for (auto element : arr) {
    od::value item;
    if ((err = std::move(element).get(item)) != SUCCESS) return err;
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, index++);
    (void)ec;
    path_.push_back('.');
    path_.append(digits, end);
    err = walk(item, false);
    path_.resize(parent_len);
    if (err != SUCCESS) return err;
  }
  return SUCCESS;
}

error_code NormalizerImpl::add_scalar(od::value v, od::json_type t, bool name_leaf) {
  Value value;
  error_code err = SUCCESS;
  switch (t) {
    case od::json_type::string:
      value.kind = HALO_VALUE_STRING;
      err = read_string_value(v, &value.text);
      if (err == SUCCESS) err = check_string({}, value.text);
      break;
    case od::json_type::number:
      err = read_number(v, &value);
      break;
    case od::json_type::boolean:
      value.kind = HALO_VALUE_BOOL;
      err = v.get_bool().get(value.boolean);
      break;
    default: {
      bool is_null = false;
      err = v.is_null().get(is_null);
      if (err == SUCCESS && !is_null) err = simdjson::INCORRECT_TYPE;
      break;
    }
  }
  if (err != SUCCESS) return err;
  add_leaf(path_, value, name_leaf && value.kind == HALO_VALUE_STRING);
  return SUCCESS;
}

// A number is kept only when its text is valid JSON, its digits fit
// max_number_digits and its value is a finite double that is not a
// non-zero literal rounded to 0: everything else is a dead letter, so an
// unusable amount can never become a silent 0.
error_code NormalizerImpl::read_number(od::value v, Value *value) {
  value->kind = HALO_VALUE_NUMBER;
  value->text = trim_trailing_space(v.raw_json_token());
  const JsonNumberShape shape = scan_json_number(value->text);
  const std::string shown = std::string(value->text.substr(0, 40));
  if (!shape.valid) {
    return stop(rejection::kMalformedJson,
                "invalid JSON: field `" + shown_path() + "` is `" + shown +
                    "`, not a JSON number (RFC 8259 §6: no leading zeros or '+', digits on "
                    "both sides of '.', an exponent needs digits); fix the source's number "
                    "formatting or send the value as a string");
  }
  const uint32_t limit = options_.limits.max_number_digits;
  if (shape.significant_digits > limit) {
    return stop(rejection::kNumberTooPrecise,
                "field `" + shown_path() + "` is a number with " +
                    std::to_string(shape.significant_digits) +
                    " significant digits, more than the limit of " + std::to_string(limit) +
                    " (it cannot be used exactly); send it as a string if it is an id" +
                    raise_hint("max_number_digits", limit));
  }
  bool in_range = v.get_double().get(value->number) == SUCCESS;
  if (!in_range) {  // simdjson refuses some valid literals (very long ones): ask the library
    const char *end = value->text.data() + value->text.size();
    in_range = std::from_chars(value->text.data(), end, value->number).ec == std::errc{};
  }
  in_range = in_range && std::isfinite(value->number) &&
             (value->number != 0 || shape.significant_digits == 0);
  if (in_range) return SUCCESS;
  return stop(rejection::kNumberOutOfRange,
              "field `" + shown_path() + "` is " + shown +
                  ", outside the range of a double (magnitude about 4.9e-324 to 1.8e308, "
                  "IEEE 754 binary64); such a value cannot be used exactly and is not "
                  "stored as 0; send it as a string or in other units");
}

void NormalizerImpl::add_leaf(std::string_view path, const Value &value, bool fold_letters) {
  PendingLeaf leaf;
  leaf.path_begin = static_cast<uint32_t>(path_text_.size());
  leaf.path_len = static_cast<uint32_t>(path.size());
  leaf.value = value;
  leaf.fold_letters = fold_letters;
  leaf.path_hash = path_hash(path);
  path_text_.append(path);
  leaves_.push_back(leaf);
  if (value.kind != HALO_VALUE_STRING && value.kind != HALO_VALUE_NUMBER) return;
  const uint64_t length_bit = path.size() < 64 ? uint64_t{1} << path.size() : uint64_t{1} << 63;
  if ((watched_lengths_ & length_bit) == 0) return;
  const PathTable::Entry *watched = path_slots_.find(path, leaf.path_hash);
  if (watched == nullptr) return;
  for (uint32_t slot : slot_lists_[watched->value]) {
    if (candidates_[slot].empty()) candidates_[slot] = value.text;
  }
}

}  // namespace halo
