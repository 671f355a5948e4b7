// mailbox_client.cpp -- see mailbox_client.h.
#include "http/mailbox_client.h"

#include <algorithm>
#include <memory>

#include "common/secrets.h"
#include "http/curl_tls.h"
#include "http/libcurl.h"

namespace halo {
namespace {

struct Answer {
  size_t max_bytes;
  std::string text;
  bool too_large = false;
  const std::function<bool()> *cancelled;
};

size_t take_answer(char *data, size_t size, size_t n, void *user) {
  auto *a = static_cast<Answer *>(user);
  const size_t bytes = size * n;
  if (a->text.size() + bytes > a->max_bytes) {
    a->too_large = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  a->text.append(data, bytes);
  return bytes;
}

bool has_scheme(const std::string &url, std::initializer_list<const char *> schemes) {
  return std::any_of(schemes.begin(), schemes.end(),
                     [&](const char *s) { return url.starts_with(s); });
}

void set_request(CURL *h, const MailboxCall &call, Answer &answer, bool fresh) {
  set_mail_session(h, call.url, "imap,imaps,pop3,pop3s", call.timeout_ms, call.plaintext,
                   call.username, call.password);
  libcurl().easy_setopt(h, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
  if (!call.command.empty()) libcurl().easy_setopt(h, CURLOPT_CUSTOMREQUEST, call.command.c_str());
  libcurl().easy_setopt(h, CURLOPT_WRITEFUNCTION, take_answer);
  libcurl().easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  set_cancel_check(h, answer.cancelled);
}

MailboxOutcome::Kind failure_kind(CURLcode code, bool too_large) {
  using Kind = MailboxOutcome::Kind;
  if (is_setup_failure(code)) return Kind::kFatal;
  switch (code) {
    case CURLE_REMOTE_FILE_NOT_FOUND:  // no such UID, or UIDVALIDITY changed
    case CURLE_QUOTE_ERROR:            // IMAP NO or BAD to a command
    case CURLE_WEIRD_SERVER_REPLY:     // POP3 -ERR
      return Kind::kRefused;
    case CURLE_WRITE_ERROR:
      return too_large ? Kind::kRefused : Kind::kTransient;
    default:
      return Kind::kTransient;  // no connection, a reset, a timeout, cancelled
  }
}

// One attempt on `handle` (its options set afresh); *opened says whether
// it opened a connection.
MailboxOutcome attempt(CURL *handle, const MailboxCall &call,
                       const std::function<bool()> &cancelled, bool fresh, bool *opened) {
  libcurl().easy_reset(handle);  // keeps the open connection (libcurl's connection cache)
  Answer answer{call.max_bytes, {}, false, &cancelled};
  char errbuf[CURL_ERROR_SIZE] = {0};
  libcurl().easy_setopt(handle, CURLOPT_ERRORBUFFER, errbuf);
  set_request(handle, call, answer, fresh);
  ExtraCa ca;
  set_tls(handle, call.insecure, call.ca_file, ca);
  const CURLcode code = libcurl().easy_perform(handle);
  long connects = 0;
  libcurl().easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &connects);
  *opened = connects > 0;
  if (code == CURLE_OK) return {MailboxOutcome::Kind::kAnswered, std::move(answer.text)};
  std::string error = answer.too_large
                          ? "the answer is larger than " + std::to_string(call.max_bytes) + " bytes"
                      : code == CURLE_SSL_CACERT_BADFILE ? ca_file_error(ca)
                      : code == CURLE_ABORTED_BY_CALLBACK
                          ? std::string("cancelled because the run is stopping")
                          : std::string(errbuf[0] ? errbuf : libcurl().easy_strerror(code));
  if (!call.password.empty()) error = mask_values(error, {call.password});
  return {failure_kind(code, answer.too_large), std::move(error)};
}

}  // namespace

std::string validate_mailbox_call(const MailboxCall &call) {
  if (!has_scheme(call.url, {"imap://", "imaps://", "pop3://", "pop3s://"})) {
    return "url: must be imap://, imaps://, pop3:// or pop3s://host[:port][/path]";
  }
  const auto control = [](const std::string &s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || !c; });
  };
  if (control(call.url)) return "url: holds a line break or NUL";
  if (call.command.size() > kMaxMailboxCommandBytes || control(call.command)) {
    return "command: one line of at most " + std::to_string(kMaxMailboxCommandBytes) + " bytes";
  }
  if (call.max_bytes == 0 || call.max_bytes > kMaxMailboxAnswerBytes) {
    return "max_bytes: 1 byte to " + std::to_string(kMaxMailboxAnswerBytes >> 20) + " MiB";
  }
  if (call.timeout_ms <= 0) return "timeout_ms: must be positive";
  return "";
}

MailboxConnection::MailboxConnection() = default;

MailboxConnection::~MailboxConnection() {
  if (handle_ != nullptr) libcurl().easy_cleanup(handle_);  // LOGOUT or QUIT, then close
}

MailboxOutcome MailboxConnection::request(const MailboxCall &call,
                                          const std::function<bool()> &cancelled) {
  if (std::string bad = validate_mailbox_call(call); !bad.empty()) {
    return {MailboxOutcome::Kind::kFatal, "mailbox_request: " + bad};
  }
  if (Status loaded = load_libcurl(); !loaded.ok()) {
    return {MailboxOutcome::Kind::kFatal, "mailbox_request: " + loaded.message()};
  }
  if (handle_ == nullptr) handle_ = libcurl().easy_init();
  if (handle_ == nullptr) {
    return {MailboxOutcome::Kind::kTransient, "cannot create a libcurl handle (out of memory?)"};
  }
  bool opened = false;
  MailboxOutcome out = attempt(handle_, call, cancelled, false, &opened);
  connections_ += opened ? 1 : 0;
  // A kept connection the server closed (its idle timeout): reading
  // changes nothing on the server, so the request goes once more on a new
  // connection.
  if (!opened && out.kind == MailboxOutcome::Kind::kTransient && !(cancelled && cancelled())) {
    out = attempt(handle_, call, cancelled, true, &opened);
    connections_ += opened ? 1 : 0;
  }
  return out;
}

}  // namespace halo
