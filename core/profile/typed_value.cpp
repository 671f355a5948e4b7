// typed_value.cpp -- factories, accessors and JSON rendering of TypedValue.
//
// A list keeps its items in its text as (4-byte little-endian length,
// bytes) pairs: one allocation per list instead of one per item.
#include "profile/typed_value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>

#include "common/civil_date.h"
#include "common/json_writer.h"
#include "profile/profile_export.h"

namespace halo {

namespace {

void put_u32(std::string &out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint32_t get_u32(const char *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

// "0", "-12", "12345" with no leading zeros and no "-0".
bool canonical_integer(std::string_view s, int64_t *out) {
  if (s.empty() || s.size() > 20) return false;
  size_t digits = s[0] == '-' ? 1 : 0;
  if (digits == s.size() || (s[digits] == '0' && (s.size() > digits + 1 || digits == 1))) {
    return false;
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool has_text(TypedKind k) {
  return k == TypedKind::kString || k == TypedKind::kDecimal || k == TypedKind::kStringList;
}

}  // namespace

bool is_json_number(std::string_view s) {
  size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  size_t int_begin = i;
  while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
  size_t int_digits = i - int_begin;
  if (int_digits == 0 || (int_digits > 1 && s[int_begin] == '0')) return false;
  if (i < n && s[i] == '.') {
    size_t frac_begin = ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac_begin) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_begin = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == exp_begin) return false;
  }
  return i == n;
}

// ---- storage --------------------------------------------------------------

int64_t TypedValue::bits() const {
  int64_t v;
  std::memcpy(&v, bytes_ + 8, sizeof v);
  return v;
}

void TypedValue::set_bits(int64_t v) {
  std::memcpy(bytes_ + 8, &v, sizeof v);
}

char *TypedValue::heap() const {
  char *p;
  std::memcpy(&p, bytes_ + 8, sizeof p);
  return p;
}

std::string_view TypedValue::text() const {
  if (!has_text(kind())) return {};
  if (!is_heap()) return std::string_view(bytes_ + 2, static_cast<uint8_t>(bytes_[1]));
  uint64_t size = 0;
  for (int i = 5; i >= 0; --i) size = (size << 8) | static_cast<uint8_t>(bytes_[2 + i]);
  return std::string_view(heap(), size);
}

// Called on a value holding no text yet (kind set, rest zero).
void TypedValue::set_text(std::string_view text) {
  if (text.size() <= kInline) {
    bytes_[1] = static_cast<char>(text.size());
    if (!text.empty()) std::memcpy(bytes_ + 2, text.data(), text.size());
    return;
  }
  char *block = new char[text.size()];
  std::memcpy(block, text.data(), text.size());
  bytes_[1] = static_cast<char>(kHeap);
  for (int i = 0; i < 6; ++i)
    bytes_[2 + i] = static_cast<char>((uint64_t{text.size()} >> (8 * i)) & 0xff);
  std::memcpy(bytes_ + 8, &block, sizeof block);
}

void TypedValue::release() {
  if (is_heap()) delete[] heap();
  std::memset(bytes_, 0, sizeof bytes_);
}

TypedValue::TypedValue(const TypedValue &other) {
  std::memcpy(bytes_, other.bytes_, sizeof bytes_);
  if (other.is_heap()) {
    bytes_[1] = 0;
    set_text(other.text());
  }
}

TypedValue::TypedValue(TypedValue &&other) noexcept {
  std::memcpy(bytes_, other.bytes_, sizeof bytes_);
  std::memset(other.bytes_, 0, sizeof other.bytes_);
}

TypedValue &TypedValue::operator=(const TypedValue &other) {
  if (this != &other) *this = TypedValue(other);
  return *this;
}

TypedValue &TypedValue::operator=(TypedValue &&other) noexcept {
  if (this != &other) {
    release();
    std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    std::memset(other.bytes_, 0, sizeof other.bytes_);
  }
  return *this;
}

bool TypedValue::operator==(const TypedValue &other) const {
  if (kind() != other.kind()) return false;
  return has_text(kind()) ? text() == other.text() : bits() == other.bits();
}

// ---- factories ------------------------------------------------------------

TypedValue TypedValue::boolean(bool b) {
  TypedValue v;
  v.bytes_[0] = static_cast<char>(TypedKind::kBool);
  v.set_bits(b ? 1 : 0);
  return v;
}

TypedValue TypedValue::integer(int64_t i) {
  TypedValue v;
  v.bytes_[0] = static_cast<char>(TypedKind::kInteger);
  v.set_bits(i);
  return v;
}

TypedValue TypedValue::decimal(std::string_view literal) {
  TypedValue v;
  if (!is_json_number(literal)) return v;
  v.bytes_[0] = static_cast<char>(TypedKind::kDecimal);
  v.set_text(literal);
  return v;
}

TypedValue TypedValue::from_number(std::string_view literal) {
  int64_t i = 0;
  if (canonical_integer(literal, &i)) return integer(i);
  return decimal(literal);
}

TypedValue TypedValue::real(double d) {
  TypedValue v;
  if (!std::isfinite(d)) return v;
  v.bytes_[0] = static_cast<char>(TypedKind::kDouble);
  int64_t bits;
  std::memcpy(&bits, &d, sizeof d);
  v.set_bits(bits);
  return v;
}

TypedValue TypedValue::string(std::string_view utf8) {
  TypedValue v;
  v.bytes_[0] = static_cast<char>(TypedKind::kString);
  v.set_text(utf8);
  return v;
}

TypedValue TypedValue::timestamp(int64_t ms) {
  TypedValue v;
  v.bytes_[0] = static_cast<char>(TypedKind::kTimestamp);
  v.set_bits(ms);
  return v;
}

TypedValue TypedValue::string_list(const std::vector<std::string_view> &items) {
  TypedValue v;
  v.bytes_[0] = static_cast<char>(TypedKind::kStringList);
  std::string encoded;
  for (std::string_view item : items) {
    put_u32(encoded, static_cast<uint32_t>(item.size()));
    encoded.append(item);
  }
  v.set_text(encoded);
  return v;
}

TypedValue TypedValue::from_leaf(const Value &leaf) {
  switch (leaf.kind) {
    case HALO_VALUE_BOOL:
      return boolean(leaf.boolean);
    case HALO_VALUE_NUMBER:
      return from_number(leaf.text);
    case HALO_VALUE_STRING:
      return string(leaf.text);
    default:
      return null();
  }
}

double TypedValue::as_double() const {
  switch (kind()) {
    case TypedKind::kInteger:
      return static_cast<double>(bits());
    case TypedKind::kDouble: {
      double d;
      int64_t b = bits();
      std::memcpy(&d, &b, sizeof d);
      return d;
    }
    case TypedKind::kDecimal: {
      double d = 0;
      std::string_view t = text();
      std::from_chars(t.data(), t.data() + t.size(), d);
      return d;
    }
    default:
      return 0;
  }
}

std::vector<std::string_view> TypedValue::list() const {
  std::vector<std::string_view> out;
  std::string_view item;
  for (size_t pos = 0; next_item(pos, item);) out.push_back(item);
  return out;
}

bool TypedValue::next_item(size_t &pos, std::string_view &item) const {
  if (kind() != TypedKind::kStringList) return false;
  const std::string_view items = text();
  if (pos + 4 > items.size()) return false;
  const uint32_t len = get_u32(items.data() + pos);
  item = items.substr(pos + 4, len);
  pos += 4 + item.size();
  return true;
}

std::string TypedValue::number_text() const {
  switch (kind()) {
    case TypedKind::kInteger:
      return std::to_string(bits());
    case TypedKind::kDecimal:
      return std::string(text());
    case TypedKind::kDouble: {
      // %.17g round-trips every double; a finite one is always a JSON number.
      char buf[32];
      int n = std::snprintf(buf, sizeof buf, "%.17g", as_double());
      return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
    }
    default:
      return {};
  }
}

void TypedValue::append_json(std::string &out) const {
  switch (kind()) {
    case TypedKind::kNull:
      out.append("null");
      return;
    case TypedKind::kBool:
      out.append(bits() ? "true" : "false");
      return;
    case TypedKind::kInteger:
    case TypedKind::kDecimal:
    case TypedKind::kDouble:
      out.append(number_text());
      return;
    case TypedKind::kString:
      append_json_string(out, text());
      return;
    case TypedKind::kTimestamp:
      append_json_string(out, format_iso8601_ms(bits()));
      return;
    case TypedKind::kStringList: {
      out.push_back('[');
      bool first = true;
      for (std::string_view item : list()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, item);
      }
      out.push_back(']');
      return;
    }
  }
}

void append_json_object(std::string &out, const NamedValues &values) {
  out.push_back('{');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(out, values[i].name);
    out.push_back(':');
    values[i].value.append_json(out);
  }
  out.push_back('}');
}

std::string json_object(const NamedValues &values) {
  std::string out;
  append_json_object(out, values);
  return out;
}

}  // namespace halo
