// profile_post.cpp -- see profile_post.h.
#include "profile_post.h"

#include "common/json_text.h"

namespace halo::plugins::profile_webhook {

DeliveryPosts::DeliveryPosts(std::string delivery, bool full, size_t max_profiles, size_t max_bytes)
    : delivery_(std::move(delivery)),
      full_(full),
      max_profiles_(max_profiles == 0 ? 1 : max_profiles),
      max_bytes_(max_bytes) {}

std::string DeliveryPosts::head(std::string_view type) {
  std::string out = "{";
  append_json_member(out, "type", type);
  append_json_member(out, "delivery", delivery_);
  append_json_member(out, "mode", full_ ? "full" : "changes");
  out += ",\"sequence\":" + std::to_string(sequence_ + 1) + ",";
  return out;
}

ProfilePost DeliveryPosts::take(std::string body) {
  ++sequence_;
  return {delivery_ + ":" + std::to_string(sequence_), std::move(body)};
}

std::optional<ProfilePost> DeliveryPosts::add(std::string_view profile_json) {
  // The batch goes when it is full or this profile would take it past
  // max_bytes (~80 bytes of head and brackets besides the profiles).
  std::optional<ProfilePost> done;
  if (in_batch_ == max_profiles_ ||
      (in_batch_ > 0 && batch_.size() + profile_json.size() + 81 > max_bytes_)) {
    done = flush();
  }
  if (in_batch_ > 0) batch_ += ',';
  batch_ += profile_json;
  ++in_batch_;
  ++profiles_;
  return done;
}

std::optional<ProfilePost> DeliveryPosts::flush() {
  if (in_batch_ == 0) return std::nullopt;
  std::string body = head("profiles") + "\"profiles\":[" + batch_ + "]}";
  batch_.clear();
  in_batch_ = 0;
  return take(std::move(body));
}

std::vector<ProfilePost> DeliveryPosts::removed(const uint64_t *ids, size_t count) {
  std::vector<ProfilePost> out;
  for (size_t first = 0; first < count; first += max_profiles_) {
    std::string body = head("profiles.removed") + "\"profile_ids\":[";
    for (size_t k = first; k < count && k < first + max_profiles_; ++k) {
      if (k > first) body += ',';
      append_json_string(body, std::to_string(ids[k]));
      ++removed_;
    }
    out.push_back(take(body + "]}"));
  }
  return out;
}

ProfilePost DeliveryPosts::completed() {
  return take(head("delivery.completed") + "\"profiles\":" + std::to_string(profiles_) +
              ",\"removed\":" + std::to_string(removed_) + "}");
}

}  // namespace halo::plugins::profile_webhook
