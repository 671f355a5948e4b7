// resolution_sink.h -- where the identity graph reports its decisions. The
// plugin adapter forwards to halo::Resolution (the kernel); tests record.
//
// Invariants (the resolver contract of plugin.h):
//  - assign() is called exactly once per event that has identifiers.
//  - link() always names the live profile of the identifier.
//  - merge(from, into) means `from` no longer exists; the identifiers of
//    `from` are re-pointed by the receiver, never re-linked by the graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace halo::deterministic {

class ResolutionSink {
 public:
  virtual ~ResolutionSink() = default;
  virtual uint64_t new_profile() = 0;
  virtual void assign(size_t event, uint64_t profile) = 0;
  // Event `event`'s identifier (type, value) now belongs to `profile`.
  virtual void link(size_t event, std::string_view type, std::string_view value,
                    uint64_t profile) = 0;
  virtual void merge(uint64_t from, uint64_t into, size_t event) = 0;
  virtual void conflict(size_t event, std::string_view type, std::string_view value,
                        uint64_t profile, const std::string &reason) = 0;
};

// One (type, normalized value) pair of an event.
struct IdentifierRef {
  std::string_view type;
  std::string_view value;
};

}  // namespace halo::deterministic
