// unsubscribe_link.cpp -- signing and checking unsubscribe links (see
// unsubscribe_link.h).
#include "consent/unsubscribe_link.h"

#include <charconv>

#include "common/crypto.h"

namespace halo::consent {

namespace {

constexpr size_t kMaxToken = 64;  // HMAC-SHA256 in base64url is 43 characters

std::string base64url(std::string_view bytes) {
  std::string text = plugins::base64_encode(bytes);
  for (char &c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

bool is_base64url(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string unsubscribe_token(std::string_view secret, uint64_t message_id,
                              std::string_view channel, std::string_view address) {
  std::string signed_text = std::to_string(message_id);
  signed_text.append("\n").append(channel).append("\n").append(address);
  return base64url(plugins::hmac(plugins::HmacAlgorithm::kSha256, secret, signed_text));
}

std::string unsubscribe_link(const UnsubscribeConfig &config, uint64_t message_id,
                             std::string_view channel, std::string_view address) {
  if (config.url.empty()) return "";
  const char joiner = config.url.find('?') == std::string::npos ? '?' : '&';
  return config.url + joiner + "m=" + std::to_string(message_id) +
         "&t=" + unsubscribe_token(config.secret, message_id, channel, address);
}

std::optional<LinkParams> parse_link_query(std::string_view query) {
  std::optional<std::string_view> m, t;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = pair.substr(0, eq), value = pair.substr(eq + 1);
    std::optional<std::string_view> *slot = name == "m" ? &m : name == "t" ? &t : nullptr;
    if (slot == nullptr) continue;  // other parameters (a tracker's) are ignored
    if (slot->has_value()) return std::nullopt;
    *slot = value;
  }
  if (!m || !t || m->empty() || m->size() > 20 || t->empty() || t->size() > kMaxToken ||
      !is_base64url(*t)) {
    return std::nullopt;
  }
  LinkParams out;
  auto [end, ec] = std::from_chars(m->data(), m->data() + m->size(), out.message_id);
  if (ec != std::errc() || end != m->data() + m->size()) return std::nullopt;
  out.token = std::string(*t);
  return out;
}

bool token_valid(std::string_view secret, const LinkParams &link, std::string_view channel,
                 std::string_view address) {
  return plugins::constant_time_equal(link.token,
                                      unsubscribe_token(secret, link.message_id, channel, address));
}

}  // namespace halo::consent
