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
// Size: 16 bytes. A scalar keeps its 8 bytes inline; a text payload
// (string, decimal, list) of up to 14 bytes is kept inline too, a longer
// one in one heap block of exactly its size (a profile holds many values,
// so a 32-byte std::string member would triple the size of each).
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

  TypedKind kind() const { return static_cast<TypedKind>(bytes_[0]); }
  bool as_bool() const { return bits() != 0; }
  int64_t as_integer() const { return bits(); }  // kInteger, kTimestamp
  double as_double() const;                      // any numeric kind; 0 otherwise
  std::string_view text() const;                 // kString, kDecimal
  std::vector<std::string_view> list() const;    // kStringList items
  // The kStringList item at byte `pos` of its encoding (0: the first), and
  // `pos` moved to the next; false past the last. list() without a vector.
  bool next_item(size_t &pos, std::string_view &item) const;
  // Heap bytes the value owns (0 for scalars and short texts).
  size_t heap_bytes() const { return is_heap() ? text().size() : 0; }

  // Appends the value as JSON: numbers as their text, a timestamp as an
  // ISO-8601 string ("2026-01-02T10:00:00.000Z"), a list as an array.
  void append_json(std::string &out) const;
  // The JSON number text of a numeric kind (integer, decimal, double).
  std::string number_text() const;

  TypedValue(const TypedValue &other);
  TypedValue(TypedValue &&other) noexcept;
  TypedValue &operator=(const TypedValue &other);
  TypedValue &operator=(TypedValue &&other) noexcept;
  ~TypedValue() { release(); }

  bool operator==(const TypedValue &other) const;

 private:
  // bytes_[0]: kind. Scalars: bits at [8, 16). Texts: bytes_[1] is the
  // inline length (<= kInline, text at [2, 2 + length)) or kHeap, then a
  // 48-bit little-endian length at [2, 8) and the block pointer at [8, 16).
  static constexpr size_t kInline = 14;
  static constexpr uint8_t kHeap = 0xff;

  int64_t bits() const;  // bool, integer, timestamp; a double's bit pattern
  void set_bits(int64_t v);
  bool is_heap() const { return static_cast<uint8_t>(bytes_[1]) == kHeap; }
  char *heap() const;
  void set_text(std::string_view text);  // string, decimal text, encoded list
  void release();

  alignas(8) char bytes_[16] = {};
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
