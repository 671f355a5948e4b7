// typed_codec.cpp -- encoder and bounds-checked decoder of typed_codec.h.
#include "profile/typed_codec.h"

#include <cmath>
#include <cstring>

namespace halo {

namespace {

void put_varint(std::string &out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

int64_t unzigzag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

void put_bytes(std::string &out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

void put_value(std::string &out, const TypedValue &v) {
  out.push_back(static_cast<char>(v.kind()));
  switch (v.kind()) {
    case TypedKind::kNull:
      return;
    case TypedKind::kBool:
      out.push_back(v.as_bool() ? 1 : 0);
      return;
    case TypedKind::kInteger:
    case TypedKind::kTimestamp:
      put_varint(out, zigzag(v.as_integer()));
      return;
    case TypedKind::kDouble: {
      double d = v.as_double();
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof d);
      for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
      return;
    }
    case TypedKind::kDecimal:
    case TypedKind::kString:
      put_bytes(out, v.text());
      return;
    case TypedKind::kStringList: {
      auto items = v.list();
      put_varint(out, items.size());
      for (std::string_view item : items) put_bytes(out, item);
      return;
    }
  }
}

// A cursor over untrusted bytes: every read checks what remains and
// latches the first failure.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  bool ok() const { return error_.empty(); }
  const std::string &error() const { return error_; }
  bool at_end() const { return rest_.empty(); }

  uint8_t byte(const char *what) {
    if (rest_.empty()) return fail(what), 0;
    uint8_t b = static_cast<uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return b;
  }
  uint64_t varint(const char *what) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = byte(what);
      if (!ok()) return 0;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail(what), 0;
  }
  std::string_view bytes(const char *what) {
    uint64_t n = varint(what);
    if (!ok() || n > rest_.size()) return fail(what), std::string_view();
    std::string_view s = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return s;
  }
  // An entry count no larger than the bytes left could hold.
  uint64_t count(const char *what) {
    uint64_t n = varint(what);
    if (ok() && (n > rest_.size() || n > kMaxTypedEntries)) fail(what);
    return ok() ? n : 0;
  }
  void fail(const std::string &what) {
    if (error_.empty()) error_ = what;
  }

 private:
  std::string_view rest_;
  std::string error_;
};

TypedValue read_value(Reader &r) {
  uint8_t kind = r.byte("value kind");
  if (!r.ok()) return {};
  switch (static_cast<TypedKind>(kind)) {
    case TypedKind::kNull:
      return TypedValue::null();
    case TypedKind::kBool: {
      uint8_t b = r.byte("bool");
      if (b > 1) r.fail("bool byte " + std::to_string(b) + " is not 0 or 1");
      return TypedValue::boolean(b == 1);
    }
    case TypedKind::kInteger:
      return TypedValue::integer(unzigzag(r.varint("integer")));
    case TypedKind::kTimestamp:
      return TypedValue::timestamp(unzigzag(r.varint("timestamp")));
    case TypedKind::kDouble: {
      uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(r.byte("double")) << (8 * i);
      double d;
      std::memcpy(&d, &bits, sizeof d);
      if (r.ok() && !std::isfinite(d)) r.fail("double is not finite");
      return TypedValue::real(d);
    }
    case TypedKind::kDecimal: {
      std::string_view text = r.bytes("decimal");
      if (r.ok() && !is_json_number(text)) r.fail("decimal is not a JSON number");
      return TypedValue::decimal(text);
    }
    case TypedKind::kString:
      return TypedValue::string(r.bytes("string"));
    case TypedKind::kStringList: {
      std::vector<std::string_view> items(r.count("list length"));
      for (auto &item : items) item = r.bytes("list item");
      return TypedValue::string_list(items);
    }
  }
  r.fail("unknown value kind " + std::to_string(kind));
  return {};
}

// Reads the version byte: kTypedCodecVersion up to `newest`.
Result<uint8_t> check_version(Reader &r, const char *what, uint8_t newest = kTypedCodecVersion) {
  uint8_t version = r.byte("version");
  if (r.ok() && version >= kTypedCodecVersion && version <= newest) return version;
  std::string found = r.ok() ? "version byte " + std::to_string(version) : "no bytes";
  std::string expected = std::to_string(kTypedCodecVersion);
  if (newest != kTypedCodecVersion) expected += " to " + std::to_string(newest);
  return Status::Corruption(std::string(what) + ": " + found + ", expected typed format " +
                            expected);
}

Status finish(const Reader &r, const char *what) {
  if (!r.ok()) return Status::Corruption(std::string(what) + ": bad or truncated " + r.error());
  if (!r.at_end()) return Status::Corruption(std::string(what) + ": trailing bytes");
  return Status::Ok();
}

}  // namespace

TraitEncoder::TraitEncoder(size_t count, bool with_tallies) : with_tallies_(with_tallies) {
  out_.push_back(static_cast<char>(with_tallies ? kTraitsWithTalliesVersion : kTypedCodecVersion));
  put_varint(out_, count);
}

void TraitEncoder::add(const TraitRecord &r) {
  put_bytes(out_, r.name);
  put_bytes(out_, r.source);
  put_varint(out_, zigzag(r.priority));
  put_varint(out_, zigzag(r.timestamp_ms));
  put_varint(out_, r.sequence);
  put_value(out_, r.value ? *r.value : TypedValue());
  if (!with_tallies_) return;
  put_varint(out_, r.tally.size());
  for (const TallyRecord &t : r.tally) {
    put_value(out_, t.value ? *t.value : TypedValue());
    put_varint(out_, t.times);
    put_bytes(out_, t.source);
    put_varint(out_, zigzag(t.timestamp_ms));
    put_varint(out_, t.sequence);
  }
}

namespace {

// A trait's tally (format 2): `values` owns what the records point to.
void read_tally(Reader &r, std::vector<TypedValue> &values, std::vector<TallyRecord> &tally) {
  const uint64_t n = r.count("tally length");
  values.clear();
  tally.clear();
  values.reserve(n);  // no reallocation below: the records point into it
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    values.push_back(read_value(r));
    TallyRecord t;
    t.times = r.varint("tally count");
    t.source = r.bytes("tally source");
    t.timestamp_ms = unzigzag(r.varint("tally timestamp"));
    t.sequence = r.varint("tally sequence");
    if (r.ok() && t.times == 0) r.fail("tally count 0");
    t.value = &values.back();
    tally.push_back(t);
  }
}

}  // namespace

Status decode_traits(std::string_view bytes, const std::function<void(const TraitRecord &)> &fn) {
  Reader r(bytes);
  auto version = check_version(r, "traits", kTraitsWithTalliesVersion);
  if (!version.ok()) return version.status();
  const bool tallies = *version == kTraitsWithTalliesVersion;
  std::vector<TypedValue> tally_values;
  std::vector<TallyRecord> tally;
  uint64_t n = r.count("trait count");
  std::string_view previous;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    TraitRecord rec;
    rec.name = r.bytes("trait name");
    rec.source = r.bytes("trait source");
    int64_t priority = unzigzag(r.varint("priority"));
    rec.timestamp_ms = unzigzag(r.varint("timestamp"));
    rec.sequence = r.varint("sequence");
    TypedValue value = read_value(r);
    if (tallies) read_tally(r, tally_values, tally);
    if (!r.ok()) break;
    rec.tally = tally;
    if (priority < INT32_MIN || priority > INT32_MAX) r.fail("priority out of range");
    if (i > 0 && !(previous < rec.name)) {
      r.fail("trait names not in strictly ascending order at '" + std::string(rec.name) + "'");
    }
    if (!r.ok()) break;
    rec.priority = static_cast<int32_t>(priority);
    rec.value = &value;
    previous = rec.name;
    fn(rec);
  }
  return finish(r, "traits");
}

std::string encode_features(const NamedValues &features) {
  std::string out;
  out.push_back(static_cast<char>(kTypedCodecVersion));
  put_varint(out, features.size());
  for (const NamedValue &f : features) {
    put_bytes(out, f.name);
    put_value(out, f.value);
  }
  return out;
}

Status decode_features(std::string_view bytes, NamedValues *out) {
  out->clear();
  Reader r(bytes);
  if (auto version = check_version(r, "features"); !version.ok()) return version.status();
  uint64_t n = r.count("feature count");
  out->reserve(n);
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    std::string_view name = r.bytes("feature name");
    TypedValue value = read_value(r);
    if (r.ok()) out->push_back({std::string(name), std::move(value)});
  }
  Status s = finish(r, "features");
  if (!s.ok()) out->clear();
  return s;
}

}  // namespace halo
