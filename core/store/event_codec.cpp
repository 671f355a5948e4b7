// event_codec.cpp -- encodes and decodes event-log batch payloads (layout in
// event_codec.h). Integers are assembled byte by byte so the format is
// little-endian on any host; compilers turn this into plain loads/stores.
#include "store/event_codec.h"

#include <bit>
#include <cstring>

namespace halo::store {

namespace {

constexpr size_t kEventFixedBytes = 8 + 8 + 2 + 4;

template <class T>
char *put_le(char *p, T value) {
  auto v = static_cast<std::make_unsigned_t<T>>(value);
  for (size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return p + sizeof(T);
}

template <class T>
T get_le(const char *p) {
  std::make_unsigned_t<T> v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    v |= static_cast<std::make_unsigned_t<T>>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return static_cast<T>(v);
}

char *put_bytes(char *p, std::string_view s) {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Bounds-checked reader over a payload; every failure names the event.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  size_t left() const { return in_.size() - pos_; }

  template <class T>
  bool read(T &out) {
    if (left() < sizeof(T)) return false;
    out = get_le<T>(in_.data() + pos_);
    pos_ += sizeof(T);
    return true;
  }
  bool read_bytes(size_t n, std::string_view &out) {
    if (left() < n) return false;
    out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

Status damaged(size_t event, const std::string &what) {
  return Status::Corruption("event " + std::to_string(event) + ": " + what);
}

Status decode_one(Reader &r, size_t index, LoggedEvent &e) {
  uint16_t source_len = 0;
  uint32_t raw_len = 0;
  if (!r.read(e.sequence) || !r.read(e.received_at_ms) || !r.read(source_len)) {
    return damaged(index, "header truncated");
  }
  if (!r.read_bytes(source_len, e.source)) {
    return damaged(index, "source length " + std::to_string(source_len) + " exceeds the " +
                              std::to_string(r.left()) + " bytes left");
  }
  if (!r.read(raw_len)) return damaged(index, "raw length truncated");
  if (!r.read_bytes(raw_len, e.raw)) {
    return damaged(index, "raw length " + std::to_string(raw_len) + " exceeds the " +
                              std::to_string(r.left()) + " bytes left");
  }
  return Status::Ok();
}

}  // namespace

size_t encoded_batch_size(const std::vector<LoggedEvent> &events) {
  size_t total = 4;
  for (const LoggedEvent &e : events) total += kEventFixedBytes + e.source.size() + e.raw.size();
  return total;
}

Status encode_batch(const std::vector<LoggedEvent> &events, std::string &out) {
  if (events.size() > 0xFFFFFFFFu) return Status::Invalid("event batch has more than 2^32 events");
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].source.size() > kMaxSourceLen) {
      return Status::Invalid("event " + std::to_string(events[i].sequence) + ": source name is " +
                             std::to_string(events[i].source.size()) +
                             " bytes; the event log allows at most 65535");
    }
    if (events[i].raw.size() > kMaxRawLen) {
      return Status::Invalid("event " + std::to_string(events[i].sequence) +
                             ": raw record exceeds 4 GiB");
    }
  }
  out.resize(encoded_batch_size(events));
  char *p = put_le(out.data(), static_cast<uint32_t>(events.size()));
  for (const LoggedEvent &e : events) {
    p = put_le(p, e.sequence);
    p = put_le(p, e.received_at_ms);
    p = put_le(p, static_cast<uint16_t>(e.source.size()));
    p = put_bytes(p, e.source);
    p = put_le(p, static_cast<uint32_t>(e.raw.size()));
    p = put_bytes(p, e.raw);
  }
  return Status::Ok();
}

Status decode_batch(std::string_view payload, std::vector<LoggedEvent> &out) {
  out.clear();
  Reader r(payload);
  uint32_t count = 0;
  if (!r.read(count)) return Status::Corruption("batch header truncated");
  // Each event needs at least its fixed header: a damaged count cannot make
  // us reserve gigabytes.
  if (count > r.left() / kEventFixedBytes) {
    return Status::Corruption("batch claims " + std::to_string(count) + " events but holds only " +
                              std::to_string(payload.size()) + " bytes");
  }
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    if (Status s = decode_one(r, i, out[i]); !s.ok()) return s;
  }
  if (r.left() != 0) {
    return Status::Corruption(std::to_string(r.left()) + " unexpected bytes after the last event");
  }
  return Status::Ok();
}

void encode_keys(const std::vector<MessageKey> &keys, std::string &out) {
  out.resize(keys.size() * kKeyBytes);
  char *p = out.data();
  for (const MessageKey &k : keys) {
    p = put_le(p, k.hi);
    p = put_le(p, k.lo);
  }
}

Status decode_keys(std::string_view bytes, std::vector<MessageKey> &out) {
  if (bytes.size() % kKeyBytes != 0) {
    return Status::Corruption("message-key column has " + std::to_string(bytes.size()) +
                              " bytes, not a multiple of 16");
  }
  out.resize(bytes.size() / kKeyBytes);
  if (out.empty()) return Status::Ok();  // memcpy takes no null pointer, even for 0 bytes
  if constexpr (std::endian::native == std::endian::little && sizeof(MessageKey) == kKeyBytes) {
    // The stored form is the in-memory form here: one copy (a million keys
    // are read at a run's start).
    std::memcpy(out.data(), bytes.data(), bytes.size());
    return Status::Ok();
  }
  const char *p = bytes.data();
  for (MessageKey &k : out) {
    k.hi = get_le<uint64_t>(p);
    k.lo = get_le<uint64_t>(p + 8);
    p += kKeyBytes;
  }
  return Status::Ok();
}

}  // namespace halo::store
