// normalizer_parse.cpp -- the parse half of NormalizerImpl: one pass over
// the record with simdjson On-Demand, consuming the header members and
// flattening every other scalar leaf into leaves_ with its dotted path.
// Only scratch state is written here (see normalizer_impl.h).
#include <charconv>
#include <cstring>

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
  record_ = RecordHeader{};
  leaves_.clear();
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
  if (rejected) return false;
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
  for (auto member : root) {
    od::field field;
    error_code err = std::move(member).get(field);
    std::string_view key;
    if (err == SUCCESS) err = read_key(field, &key);
    if (err == SUCCESS) err = read_member(key, field.value(), why, rejected);
    if (err != SUCCESS || *rejected) return err;
  }
  return SUCCESS;
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
      return v.get_string().get(key == "event" ? r.event : r.name);
    }
    if (key == "event") {
      r.event_not_string = true;
      r.event_seen = t;
    }
  }
  path_.assign(key);
  if (key == "previousId" && (t == od::json_type::string || t == od::json_type::number)) {
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
  if (t != od::json_type::string) {
    *rejected = true;
    reject(why, rejection::kWrongType,
           "field `" + std::string(key) + "` must be a string, got " +
               std::string(json_type_name(t)) + "; send it as a JSON string");
    return SUCCESS;
  }
  *present = true;
  return v.get_string().get(*dst);
}

error_code NormalizerImpl::walk(od::value v, bool name_leaf) {
  od::json_type t{};
  error_code err = v.type().get(t);
  if (err != SUCCESS) return err;
  if (t == od::json_type::object) return walk_object(v);
  if (t == od::json_type::array) return walk_array(v);
  return add_scalar(v, t, name_leaf);
}

error_code NormalizerImpl::walk_object(od::value v) {
  od::object obj;
  error_code err = v.get_object().get(obj);
  if (err != SUCCESS) return err;
  const size_t parent_len = path_.size();
  for (auto member : obj) {
    od::field field;
    std::string_view key;
    if ((err = std::move(member).get(field)) != SUCCESS) return err;
    if ((err = read_key(field, &key)) != SUCCESS) return err;
    path_.push_back('.');
    path_.append(key);
    err = walk(field.value(), mentions_name(key));
    path_.resize(parent_len);
    if (err != SUCCESS) return err;
  }
  return SUCCESS;
}

error_code NormalizerImpl::walk_array(od::value v) {
  od::array arr;
  error_code err = v.get_array().get(arr);
  if (err != SUCCESS) return err;
  const size_t parent_len = path_.size();
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
      err = v.get_string().get(value.text);
      break;
    case od::json_type::number: {
      value.kind = HALO_VALUE_NUMBER;
      value.text = trim_trailing_space(v.raw_json_token());
      if (v.get_double().get(value.number) != SUCCESS) {
        // Integers beyond 64 bits: keep the exact text, approximate the value.
        std::from_chars(value.text.data(), value.text.data() + value.text.size(), value.number);
      }
      break;
    }
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
