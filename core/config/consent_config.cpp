// consent_config.cpp -- reads the pipeline's `consent:` section (see
// consent_config.h).
#include "config/consent_config.h"

#include <vector>

#include "config/mark.h"
#include "config/scalar_parse.h"

namespace halo {
namespace {

const std::vector<std::string> kConsentKeys = {"unsubscribe", "frequency_caps"};
const std::vector<std::string> kUnsubscribeKeys = {"url", "path", "secret"};

constexpr size_t kMaxUrl = 300;  // a List-Unsubscribe line stays far below 998

// The path of "scheme://host[:port]/p?q" ("/" when it has none).
std::string url_path(const std::string &url) {
  const size_t host = url.find("://") + 3;
  const size_t slash = url.find('/', host);
  if (slash == std::string::npos) return "/";
  return url.substr(slash, url.find('?', slash) - slash);
}

void check_url(const MapReader &m, Diagnostics &diags, const std::string &url) {
  const bool http = url.starts_with("https://") || url.starts_with("http://");
  if (!http) {
    diags.error(m.value_mark("url"), m.path_of("url"),
                "must be an https:// (or http://) URL, got '" + url + "'");
  } else if (url.size() > kMaxUrl || url.find_first_of(" <>\"\r\n\t") != std::string::npos) {
    diags.error(m.value_mark("url"), m.path_of("url"),
                "must be at most 300 characters with no spaces, quotes or angle brackets");
  } else if (url.find('#') != std::string::npos) {
    diags.error(m.value_mark("url"), m.path_of("url"),
                "must not have a fragment ('#'): the link's parameters follow it");
  }
}

bool is_channel_name(const std::string &s) {
  if (s.empty() || s.size() > 32 || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// frequency_caps: { CHANNEL: { messages: N, within: D }, ... }
void read_frequency_caps(MapReader &consent, Diagnostics &diags,
                         std::map<std::string, MessageCap> &out) {
  YAML::Node caps;
  Mark at;
  if (!consent.has("frequency_caps") || !consent.read_mapping("frequency_caps", caps, at)) return;
  std::vector<std::string> channels;  // any channel name is a key here
  for (const auto &entry : caps) {
    if (!entry.first.IsScalar()) continue;  // MapReader reports it
    const std::string name = entry.first.Scalar();
    if (is_channel_name(name)) {
      channels.push_back(name);
    } else {
      diags.error(mark_or(entry.first, at), consent.path_of("frequency_caps"),
                  "'" + shorten_for_message(name) +
                      "' is not a channel name (a-z, 0-9 and _, such as email or sms)");
    }
  }
  MapReader map(caps, consent.path_of("frequency_caps"), channels, diags, at);
  for (const std::string &channel : channels) {
    MessageCap cap;
    if (read_message_cap(map, channel, diags, cap)) out[channel] = cap;
  }
}

}  // namespace

void read_consent(const MapReader &top, Diagnostics &diags, ConsentConfig &out) {
  if (!top.has("consent")) return;
  MapReader consent(top.value("consent"), "consent", kConsentKeys, diags,
                    top.value_mark("consent"));
  if (!consent.is_mapping()) return;
  read_frequency_caps(consent, diags, out.frequency_caps);
  if (!consent.has("unsubscribe")) return;
  MapReader un(consent.value("unsubscribe"), "consent.unsubscribe", kUnsubscribeKeys, diags,
               consent.value_mark("unsubscribe"));
  if (!un.is_mapping()) return;
  UnsubscribeConfig &u = out.unsubscribe;
  if (un.require("url", "https://shop.example/halo/unsubscribe") && un.read_string("url", u.url)) {
    check_url(un, diags, u.url);
  }
  if (un.require("secret", "${HALO_UNSUBSCRIBE_SECRET}") && un.read_string("secret", u.secret) &&
      u.secret.size() < kMinUnsubscribeSecret) {
    diags.error(un.value_mark("secret"), un.path_of("secret"),
                "needs at least 16 characters: it signs every link so that nobody can "
                "unsubscribe someone else");
  }
  if (un.read_string("path", u.path)) {
    if (!u.path.starts_with("/") || u.path.find_first_of("?# ") != std::string::npos) {
      diags.error(un.value_mark("path"), un.path_of("path"),
                  "must start with '/' and hold no '?', '#' or space, got '" + u.path + "'");
    }
  } else if (u.url.find("://") != std::string::npos) {
    u.path = url_path(u.url);
  }
}

}  // namespace halo
