// profile_post.h -- the requests of one delivery of the `profile-webhook`
// destination (README): profiles in batches, removed profile ids, and a
// closing request that says the delivery is complete.
//
//   {"type":"profiles","delivery":D,"mode":M,"sequence":N,"profiles":[EXPORT, ...]}
//   {"type":"profiles.removed","delivery":D,"mode":"changes","sequence":N,"profile_ids":["7", ...]}
//   {"type":"delivery.completed","delivery":D,"mode":M,"sequence":N,"profiles":P,"removed":R}
//
// EXPORT is a profile exactly as the profile export writes it
// (docs/export-format.md). M is "full" (every live profile; a profile the
// receiver holds that the delivery did not name is gone) or "changes"
// (created and changed profiles, then the removed ones).
//
// Invariants: every body is valid JSON when the export lines are; a batch
// holds at most max_profiles profiles and, unless one profile alone is
// larger, at most max_bytes of body; sequences count 1, 2, ... within a
// delivery, and a request's id is "D:N", so the same request sent again
// (a retry) carries the same id and a receiver can drop the copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins::profile_webhook {

struct ProfilePost {
  std::string id;    // webhook-id: "<delivery>:<sequence>"
  std::string body;  // JSON
};

class DeliveryPosts {
 public:
  DeliveryPosts(std::string delivery, bool full, size_t max_profiles, size_t max_bytes);

  // Adds one profile's export line; returns the full batch it had to send
  // first, if any (a batch goes once the next profile would not fit).
  std::optional<ProfilePost> add(std::string_view profile_json);
  // The profiles of this batch so far, as a request (nullopt when empty).
  std::optional<ProfilePost> flush();
  // Removed profiles, at most max_profiles ids a request.
  std::vector<ProfilePost> removed(const uint64_t *ids, size_t count);
  // The closing request, after flush().
  ProfilePost completed();

 private:
  std::string head(std::string_view type);  // `{"type":..,...,"sequence":N,` of the next request
  ProfilePost take(std::string body);

  const std::string delivery_;
  const bool full_;
  const size_t max_profiles_, max_bytes_;
  std::string batch_;  // the profiles array's elements so far, comma-separated
  size_t in_batch_ = 0;
  uint64_t sequence_ = 0, profiles_ = 0, removed_ = 0;
};

}  // namespace halo::plugins::profile_webhook
