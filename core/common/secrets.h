// secrets.h -- the run's secret registry: every secret value the process
// knows, in every form it may be echoed in, masked out of text before the
// text is shown or stored.
//
// Why by value: a server's error body, a plugin's message or a rejected
// record may quote a credential under any name (a 401 echoing the
// Authorization header, a `consumer_key` field in a JSON error). Masking
// option *names* cannot catch that; masking the *values* can.
//
// Fed by: OptionView (values of options a plugin declared secret, including
// values substituted from ${ENV}), the host HTTP client (values of
// credential-bearing headers and query parameters it sends). Applied at the
// choke points: the logger, the CLI's error printer, plugin error strings
// (host set_error and the HTTP client's errors), the run summary and dead
// letters as stored (message and raw record).
//
// Rule (docs/security.md, "## Secrets"): a value is registered with its
// encoded forms -- base64 (standard and URL-safe, padding dropped),
// percent-encoding (RFC 3986, upper- and lower-case hex) and JSON string
// escaping (RFC 8259, with and without "\/") -- and every occurrence of any
// form is replaced by "***", longest first. A form shorter than
// kMinSecretBytes is not registered: masking "abc" would mangle ordinary
// text, and so short a secret is guessable anyway.
//
// Invariants: forms of option values stay for the process's lifetime;
// per-request forms (an OAuth signature changes on every request) are kept
// in a bounded FIFO of kMaxEphemeralForms, so a long paginated run cannot
// grow the registry without end. Thread-safe: add/mask may run concurrently
// from any thread (a shared mutex; mask() takes the reader side).
#pragma once

#include <cstddef>
#include <deque>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace halo {

inline constexpr size_t kMinSecretBytes = 6;
inline constexpr size_t kMaxEphemeralForms = 512;
inline constexpr size_t kMaxPinnedForms = 4096;
inline constexpr std::string_view kSecretMask = "***";

class SecretRegistry {
 public:
  // Registers `value` and its encoded forms for the process's lifetime.
  // Returns false (and registers nothing) when the value is shorter than
  // kMinSecretBytes.
  bool add(std::string_view value);
  // Registers the secret parts of one HTTP request header the host sends,
  // when the header carries credentials (Authorization, Proxy-Authorization,
  // Cookie, or a name containing key/token/secret/auth/signature/password/
  // session): the whole value; the credentials after the auth scheme; for
  // Basic, the decoded "user:password" and each half; for OAuth 1.0a, each
  // oauth_* parameter value (RFC 5849 section 3.5.1) but the public ones
  // (nonce, timestamp, signature method, version, callback), raw and decoded.
  // Per-request values go to the bounded FIFO.
  void add_header(std::string_view name, std::string_view value);
  // Registers the values of credential-bearing query parameters of `url`
  // (names as for add_header, plus oauth_*), raw and percent-decoded.
  void add_url_query(std::string_view url);

  // `text` with every registered form replaced by kSecretMask.
  std::string mask(std::string_view text) const;
  // True when `text` contains any registered form.
  bool contains_secret(std::string_view text) const;

  size_t form_count() const;
  void clear();  // tests

 private:
  void add_forms(std::string_view value, bool pinned);
  // Adds one form. True when sorted_ must be rebuilt (the pinned forms
  // changed); an ephemeral form is placed into sorted_ at once.
  bool insert_locked(std::string form, bool pinned);
  void rebuild_sorted_locked();

  mutable std::shared_mutex mutex_;
  std::vector<std::string> pinned_;
  std::deque<std::string> ephemeral_;
  std::vector<const std::string *> sorted_;  // longest first, for mask()
};

// The process-wide registry.
SecretRegistry &secrets();
// Shorthands for secrets().add(value) and secrets().mask(text).
bool register_secret(std::string_view value);
std::string mask_secrets(std::string_view text);

// Masks the given values (with their encoded forms) out of `text` without
// touching the process-wide registry: for scrubbing one request's secrets
// out of a third-party message.
std::string mask_values(std::string_view text, const std::vector<std::string_view> &values);

// True for a header or query parameter name that carries credentials.
bool is_credential_name(std::string_view name);

// Encoded forms of one value (the value itself first), each at least
// kMinSecretBytes long; exposed for tests.
std::vector<std::string> secret_forms(std::string_view value);

}  // namespace halo
