// secrets.cpp -- the secret registry (see secrets.h): encoded forms of a
// value, header/query parsing for credentials, and masking.
#include "common/secrets.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include "common/ascii.h"
#include "common/json_writer.h"

namespace halo {
namespace {

// RFC 4648 section 4 (standard) or section 5 (URL-safe), without padding:
// the padded form starts with the unpadded one, so masking that covers both.
std::string base64(std::string_view in, bool url_safe) {
  static const char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char *alphabet = url_safe ? kUrl : kStd;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += alphabet[(acc << (6 - bits)) & 63];
  return out;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Lenient decoder for a Basic credential: stops at '=' or any non-alphabet
// character (the result is only used to find more values to mask).
std::string base64_decode(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = base64_value(c);
    if (v < 0) break;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

bool unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view in, bool upper) {
  const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned char c : in) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string percent_decode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += in[i] == '+' ? ' ' : in[i];
  }
  return out;
}

// The body of a JSON string for `in` (RFC 8259), without the quotes.
std::string json_escaped(std::string_view in) {
  std::string quoted;
  append_json_string(quoted, in);
  return quoted.size() >= 2 ? quoted.substr(1, quoted.size() - 2) : quoted;
}

// PHP's json_encode (WordPress, WooCommerce) also escapes '/' as "\/".
std::string slash_escaped(std::string_view json) {
  std::string out;
  for (char c : json) {
    if (c == '/') out += '\\';
    out += c;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// OAuth 1.0a protocol parameters that are not secret (RFC 5849 section
// 3.1); their names contain "auth", so they are excluded by name.
bool is_public_oauth_parameter(const std::string &lower_name) {
  return lower_name == "oauth_nonce" || lower_name == "oauth_timestamp" ||
         lower_name == "oauth_signature_method" || lower_name == "oauth_version" ||
         lower_name == "oauth_callback" || lower_name == "realm";
}

// Values of `k="v"` / `k=v` parameters in an OAuth Authorization header
// (RFC 5849 section 3.5.1) whose name is credential-bearing or oauth_*.
std::vector<std::string_view> oauth_values(std::string_view params) {
  std::vector<std::string_view> out;
  while (!params.empty()) {
    const size_t comma = params.find(',');
    std::string_view part = trim(params.substr(0, comma));
    params = comma == std::string_view::npos ? std::string_view() : params.substr(comma + 1);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = trim(part.substr(0, eq));
    std::string_view value = trim(part.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    const std::string n = ascii_lower(name);
    if (!is_public_oauth_parameter(n) && (n.rfind("oauth_", 0) == 0 || is_credential_name(n))) {
      out.push_back(value);
    }
  }
  return out;
}

void replace_all(std::string &text, std::string_view form) {
  for (size_t p = text.find(form); p != std::string::npos; p = text.find(form, p)) {
    text.replace(p, form.size(), kSecretMask);
    p += kSecretMask.size();
  }
}

}  // namespace

bool is_credential_name(std::string_view name) {
  const std::string n = ascii_lower(name);
  if (n == "authorization" || n == "proxy-authorization" || n == "cookie") return true;
  for (const char *word : {"key", "token", "secret", "auth", "signature", "password", "session"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> secret_forms(std::string_view value) {
  std::vector<std::string> forms;
  auto push = [&](std::string f) {
    if (f.size() < kMinSecretBytes) return;
    if (std::find(forms.begin(), forms.end(), f) == forms.end()) forms.push_back(std::move(f));
  };
  std::vector<std::string> bases = {std::string(value), base64(value, false), base64(value, true),
                                    percent_encode(value, true), percent_encode(value, false)};
  for (const std::string &b : bases) {
    push(b);
    const std::string json = json_escaped(b);
    push(json);
    push(slash_escaped(json));
  }
  return forms;
}

namespace {
// Longest first: a Basic credential is masked whole, not around its halves.
bool longer(const std::string *a, const std::string *b) {
  return a->size() > b->size();
}
}  // namespace

bool SecretRegistry::insert_locked(std::string form, bool pinned) {
  if (std::find(pinned_.begin(), pinned_.end(), form) != pinned_.end()) return false;
  auto e = std::find(ephemeral_.begin(), ephemeral_.end(), form);
  if (pinned) {
    if (e != ephemeral_.end()) ephemeral_.erase(e);
    if (pinned_.size() < kMaxPinnedForms) pinned_.push_back(std::move(form));
    return true;
  }
  if (e != ephemeral_.end()) return false;
  // A request's forms come and go with every request: sorted_ follows them
  // in place (pointers into a deque survive pushes and pops at its ends).
  if (ephemeral_.size() >= kMaxEphemeralForms) {
    auto oldest = std::find(sorted_.begin(), sorted_.end(), &ephemeral_.front());
    if (oldest != sorted_.end()) sorted_.erase(oldest);
    ephemeral_.pop_front();
  }
  ephemeral_.push_back(std::move(form));
  const std::string *added = &ephemeral_.back();
  sorted_.insert(std::upper_bound(sorted_.begin(), sorted_.end(), added, longer), added);
  return false;
}

void SecretRegistry::rebuild_sorted_locked() {
  sorted_.clear();
  for (const std::string &f : pinned_) sorted_.push_back(&f);
  for (const std::string &f : ephemeral_) sorted_.push_back(&f);
  std::stable_sort(sorted_.begin(), sorted_.end(), longer);
}

void SecretRegistry::add_forms(std::string_view value, bool pinned) {
  if (value.size() < kMinSecretBytes) return;
  std::vector<std::string> forms = secret_forms(value);
  std::unique_lock<std::shared_mutex> lock(mutex_);
  bool rebuild = false;
  for (std::string &f : forms) rebuild = insert_locked(std::move(f), pinned) || rebuild;
  if (rebuild) rebuild_sorted_locked();
}

bool SecretRegistry::add(std::string_view value) {
  if (value.size() < kMinSecretBytes) return false;
  add_forms(value, true);
  return true;
}

void SecretRegistry::add_header(std::string_view name, std::string_view value) {
  if (!is_credential_name(name)) return;
  value = trim(value);
  add_forms(value, false);
  const size_t space = value.find(' ');
  if (space == std::string_view::npos) return;
  const std::string scheme = ascii_lower(value.substr(0, space));
  const std::string_view credentials = trim(value.substr(space + 1));
  add_forms(credentials, false);
  if (scheme == "basic") {
    const std::string pair = base64_decode(credentials);
    add_forms(pair, false);
    const size_t colon = pair.find(':');
    if (colon != std::string::npos) {
      add_forms(std::string_view(pair).substr(0, colon), false);
      add_forms(std::string_view(pair).substr(colon + 1), false);
    }
  } else if (scheme == "oauth") {
    for (std::string_view v : oauth_values(credentials)) {
      add_forms(v, false);
      add_forms(percent_decode(v), false);
    }
  }
}

void SecretRegistry::add_url_query(std::string_view url) {
  size_t q = url.find('?');
  if (q == std::string_view::npos) return;
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string name = ascii_lower(percent_decode(part.substr(0, eq)));
    if (is_public_oauth_parameter(name)) continue;
    if (!is_credential_name(name) && name.rfind("oauth_", 0) != 0) continue;
    add_forms(part.substr(eq + 1), false);
    add_forms(percent_decode(part.substr(eq + 1)), false);
  }
}

std::string SecretRegistry::mask(std::string_view text) const {
  std::string out(text);
  std::shared_lock<std::shared_mutex> lock(mutex_);
  for (const std::string *form : sorted_) replace_all(out, *form);
  return out;
}

bool SecretRegistry::contains_secret(std::string_view text) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  for (const std::string *form : sorted_) {
    if (text.find(*form) != std::string_view::npos) return true;
  }
  return false;
}

size_t SecretRegistry::form_count() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return sorted_.size();
}

void SecretRegistry::clear() {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  pinned_.clear();
  ephemeral_.clear();
  sorted_.clear();
}

SecretRegistry &secrets() {
  static SecretRegistry *registry = new SecretRegistry();  // never destroyed: used by late logs
  return *registry;
}

bool register_secret(std::string_view value) {
  return secrets().add(value);
}

std::string mask_secrets(std::string_view text) {
  return secrets().mask(text);
}

std::string mask_values(std::string_view text, const std::vector<std::string_view> &values) {
  std::vector<std::string> forms;
  for (std::string_view v : values) {
    for (std::string &f : secret_forms(v)) forms.push_back(std::move(f));
  }
  std::stable_sort(forms.begin(), forms.end(),
                   [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
  std::string out(text);
  for (const std::string &f : forms) replace_all(out, f);
  return out;
}

}  // namespace halo
