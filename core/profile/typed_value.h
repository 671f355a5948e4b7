// typed_value.h -- one typed profile value (a trait or a feature) as the
// kernel and the store keep it; JSON is rendered from it only at export.
//
// Kinds: null, bool, integer (int64), exact decimal (the JSON number literal
// exactly as received, so money keeps "19.90" and sums stay exact), double
// (a computed value, rendered with 17 significant digits), UTF-8 string,
// timestamp (ms since the Unix epoch, UTC) and list of strings.
//
// Invariants:
//  - A decimal's text is a JSON number literal (RFC 8259 section 6); the
//    factories refuse anything else (they return null), so rendering it raw
//    can never inject JSON.
//  - from_number() keeps an integer literal in canonical form (no sign on 0,
//    no leading zeros, fits int64) as kInteger and everything else as
//    kDecimal, so rendering gives back exactly the received text.
//  - A double is finite (a NaN or infinity becomes null, as JSON has none).
// Size: 48 bytes (kind, 8 scalar bytes, one std::string for text payloads;
// strings up to 15 bytes need no heap block).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "event/event.h"

namespace halo {

enum class TypedKind : uint8_t {
  kNull = 0,
  kBool = 1,
  kInteger = 2,
  kDecimal = 3,
  kDouble = 4,
  kString = 5,
  kTimestamp = 6,
  kStringList = 7,
};
inline constexpr uint8_t kTypedKindCount = 8;

class TypedValue {
 public:
  TypedValue() = default;
  static TypedValue null() { return {}; }
  static TypedValue boolean(bool b);
  static TypedValue integer(int64_t v);
  // `literal` must be a JSON number; otherwise the result is null.
  static TypedValue decimal(std::string_view literal);
  // Integer when `literal` is a canonical int64, else decimal (see above).
  static TypedValue from_number(std::string_view literal);
  static TypedValue real(double v);
  static TypedValue string(std::string_view utf8);
  static TypedValue timestamp(int64_t ms);
  static TypedValue string_list(const std::vector<std::string_view> &items);
  // A scalar leaf of a normalized event (numbers keep their exact text).
  static TypedValue from_leaf(const Value &leaf);

  TypedKind kind() const { return kind_; }
  bool as_bool() const { return bits_ != 0; }
  int64_t as_integer() const { return bits_; }     // kInteger, kTimestamp
  double as_double() const;                        // any numeric kind; 0 otherwise
  std::string_view text() const { return text_; }  // kString, kDecimal
  std::vector<std::string_view> list() const;      // kStringList items

  // Appends the value as JSON: numbers as their text, a timestamp as an
  // ISO-8601 string ("2026-01-02T10:00:00.000Z"), a list as an array.
  void append_json(std::string &out) const;
  // The JSON number text of a numeric kind (integer, decimal, double).
  std::string number_text() const;

  bool operator==(const TypedValue &other) const = default;

 private:
  TypedKind kind_ = TypedKind::kNull;
  int64_t bits_ = 0;  // bool, integer, timestamp; a double's bit pattern
  std::string text_;  // string, decimal text, or the encoded list items
};

// True when `s` is exactly one JSON number literal (RFC 8259 section 6).
bool is_json_number(std::string_view s);

// A named value: a trait as exported, or one feature an instance emitted.
struct NamedValue {
  std::string name;
  TypedValue value;
  bool operator==(const NamedValue &other) const = default;
};
// Features in emission order; traits sorted by name.
using NamedValues = std::vector<NamedValue>;

// {"name":value,...} in the order given (names escaped per RFC 8259).
void append_json_object(std::string &out, const NamedValues &values);
std::string json_object(const NamedValues &values);

}  // namespace halo
