// remote_mailbox.cpp -- see remote_mailbox.h.
#include "remote_mailbox.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

namespace halo::plugins::mail_bounces {
namespace {

constexpr const char *kSchemes[] = {"imaps://", "imap://", "pop3s://", "pop3://"};

// RFC 3986 unreserved characters, '/' and percent-encoded octets, except
// an encoded quote or backslash (the mailbox is sent as an IMAP quoted
// string, which libcurl percent-decodes).
bool is_plain_mailbox(std::string_view m) {
  for (size_t i = 0; i < m.size(); ++i) {
    const char c = m[i];
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
        c == '~' || c == '/') {
      continue;
    }
    if (c != '%' || i + 2 >= m.size() || !std::isxdigit(static_cast<unsigned char>(m[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(m[i + 2]))) {
      return false;
    }
    const std::string code{static_cast<char>(std::toupper(m[i + 1])),
                           static_cast<char>(std::toupper(m[i + 2]))};
    if (code == "22" || code == "5C" || code == "00" || code == "0D" || code == "0A") return false;
    i += 2;
  }
  return true;
}

bool parse_u32(std::string_view s, uint32_t &out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::optional<MailboxServer> parse_mailbox_url(const std::string &url, std::string &why) {
  const auto scheme = std::find_if(std::begin(kSchemes), std::end(kSchemes),
                                   [&](const char *s) { return url.starts_with(s); });
  if (scheme == std::end(kSchemes)) {
    why = "must be imaps://host[:port]/MAILBOX, imap://..., pop3s://host[:port] or pop3://...";
    return std::nullopt;
  }
  const size_t authority = std::string_view(*scheme).size();
  const size_t slash = url.find('/', authority);
  MailboxServer server;
  server.protocol =
      url.starts_with("imap") ? MailboxServer::Protocol::kImap : MailboxServer::Protocol::kPop3;
  server.base = url.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : url.substr(slash + 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (server.base.size() == authority || server.base.find_first_of("?#; ") != std::string::npos) {
    why = "names no server, or holds a query, fragment, ';' or space in the server part";
    return std::nullopt;
  }
  if (server.base.find('@') != std::string::npos) {  // it would show in errors and positions
    why = "holds a login: give it as `username` and `password` (the password as \"${ENV_VAR}\")";
    return std::nullopt;
  }
  if (server.protocol == MailboxServer::Protocol::kPop3) {
    if (!path.empty()) {
      why = "a POP3 url names the server only (POP3 has one mailbox per login)";
      return std::nullopt;
    }
    return server;
  }
  server.mailbox = path.empty() ? "INBOX" : path;
  if (!is_plain_mailbox(server.mailbox)) {
    why = "the mailbox '" + server.mailbox.substr(0, 80) +
          "' may hold letters, digits, - . _ ~ / and %XX (not a quote or backslash)";
    return std::nullopt;
  }
  return server;
}

RemoteMailbox::RemoteMailbox(MailboxServer server, halo::MailboxRequest login,
                             size_t max_report_bytes, MailboxCall call)
    : server_(std::move(server)),
      login_(std::move(login)),
      max_bytes_(max_report_bytes),
      call_(std::move(call)) {}

// "imap <uidvalidity> <last uid> <partial uid or -> <events out>" or
// "pop3 <partial id or -> <events out> <id read whole>...".
std::string RemoteMailbox::cursor() const {
  std::ostringstream out;
  const std::string partial = partial_id_.empty() ? "-" : partial_id_;
  if (server_.protocol == MailboxServer::Protocol::kImap) {
    out << "imap " << uid_validity_ << ' ' << last_uid_ << ' ' << partial << ' ' << partial_done_;
  } else {
    out << "pop3 " << partial << ' ' << partial_done_;
    for (const std::string &id : read_ids_) out << ' ' << id;
  }
  return out.str();
}

bool RemoteMailbox::restore(std::string_view cursor, std::string &why) {
  std::vector<std::string> words;
  std::istringstream in{std::string(cursor)};
  for (std::string w; in >> w;) words.push_back(w);
  const bool imap = server_.protocol == MailboxServer::Protocol::kImap;
  const char *kind = imap ? "imap" : "pop3";
  uint32_t done = 0;
  bool ok = !words.empty() && words[0] == kind;
  if (ok && imap) {
    uint32_t partial = 0;
    ok = words.size() == 5 && parse_u32(words[1], uid_validity_) &&
         parse_u32(words[2], last_uid_) && (words[3] == "-" || parse_u32(words[3], partial)) &&
         parse_u32(words[4], done);
  } else if (ok) {
    ok = words.size() >= 3 && parse_u32(words[2], done);
    for (size_t i = 3; ok && i < words.size(); ++i) read_ids_.insert(words[i]);
  }
  if (!ok) {
    why = "the checkpoint '" + std::string(cursor.substr(0, 80)) + "' is not a " + kind +
          " mailbox position (was the source's url changed?)";
    return false;
  }
  partial_id_ = words[imap ? 3 : 1] == "-" ? "" : words[imap ? 3 : 1];
  partial_done_ = done;
  return true;
}

std::string RemoteMailbox::ask(const std::string &url, const std::string &command,
                               const char *what) {
  halo::MailboxRequest request = login_;
  request.url = url;
  request.command = command;
  halo::MailboxReply reply = call_(request);
  if (reply.status == HALO_OK) return std::move(reply.text);
  const halo_status status = reply.status == HALO_RETRY ? HALO_RETRY : HALO_FATAL;
  throw halo::Error(
      std::string("mail-bounces: ") + what + " on " + server_.base + ": " + reply.text, status);
}

void RemoteMailbox::poll_imap() {
  std::string why;
  const std::string quoted = "\"" + server_.mailbox + "\"";
  std::optional<ImapMailboxStatus> status = read_imap_status(
      ask(server_.base + "/", "STATUS " + quoted + " (UIDVALIDITY UIDNEXT)", "STATUS"), why);
  if (!status) throw halo::Error("mail-bounces: STATUS on " + server_.base + ": " + why);
  if (status->uid_validity != uid_validity_) {  // a new mailbox: read it from its start
    uid_validity_ = status->uid_validity;
    last_uid_ = 0;
    partial_id_.clear();
    partial_done_ = 0;
  }
  if (status->uid_next != 0 && uint64_t{status->uid_next} <= uint64_t{last_uid_} + 1) return;
  if (last_uid_ == UINT32_MAX) return;
  std::optional<std::vector<ListedMail>> mails = read_imap_sizes(
      ask(server_.base + "/" + server_.mailbox,
          "UID FETCH " + std::to_string(last_uid_ + 1) + ":* (UID RFC822.SIZE)", "UID FETCH"),
      why);
  if (!mails) throw halo::Error("mail-bounces: UID FETCH on " + server_.base + ": " + why);
  for (ListedMail &m : *mails) {
    if (m.number > last_uid_) queue_.push_back(std::move(m));  // "n:*" lists the last UID always
  }
}

void RemoteMailbox::poll_pop3() {
  std::string why;
  const std::string uidl = ask(server_.base + "/", "UIDL", "UIDL");
  std::optional<std::vector<ListedMail>> mails =
      read_pop3_listing(uidl, ask(server_.base + "/", "LIST", "LIST"), why);
  if (!mails) throw halo::Error("mail-bounces: UIDL on " + server_.base + ": " + why);
  std::set<std::string, std::less<>> present;
  for (ListedMail &m : *mails) {
    present.insert(m.uidl);
    if (!read_ids_.count(m.uidl)) queue_.push_back(std::move(m));
  }
  // Ids of mail deleted from the server can never come back: forget them.
  std::erase_if(read_ids_, [&](const std::string &id) { return !present.count(id); });
  // The mail a stopped run was handing over goes first, so its remaining
  // events follow the ones already out.
  std::stable_partition(queue_.begin(), queue_.end(),
                        [&](const ListedMail &m) { return m.uidl == partial_id_; });
}

void RemoteMailbox::poll() {
  queue_.clear();
  front_.reset();
  if (server_.protocol == MailboxServer::Protocol::kImap) {
    poll_imap();
  } else {
    poll_pop3();
  }
}

std::string RemoteMailbox::where(const ListedMail &mail) const {
  if (server_.protocol == MailboxServer::Protocol::kImap) {
    return server_.base + "/" + server_.mailbox + ";UIDVALIDITY=" + std::to_string(uid_validity_) +
           "/;UID=" + std::to_string(mail.number);
  }
  return server_.base + "/" + std::to_string(mail.number);
}

bool RemoteMailbox::open_front(CountingSink &sink) {
  const ListedMail &mail = queue_.front();
  const std::string id =
      server_.protocol == MailboxServer::Protocol::kImap ? std::to_string(mail.number) : mail.uidl;
  if (id != partial_id_) partial_done_ = 0;
  partial_id_ = id;
  if (mail.size > max_bytes_) {
    front_ = too_large_mail(mail.size, max_bytes_);
    return true;
  }
  halo::MailboxRequest request = login_;
  request.url = where(mail);
  request.max_bytes = max_bytes_;
  halo::MailboxReply reply = call_(request);
  switch (reply.status) {
    case HALO_OK:
      front_ = read_mail(reply.text);
      return true;
    case HALO_ERROR: {
      MailReading refused;
      refused.reason = reply.text.starts_with("the answer is larger than") ? HALO_REASON_TOO_LARGE
                                                                           : HALO_REASON_INVALID;
      refused.problem = "the server did not return this mail: " + reply.text;
      front_ = std::move(refused);
      return true;
    }
    case HALO_RETRY:
      if (sink.count > 0) return false;  // what is out is committed; the next call retries
      throw halo::Error("mail-bounces: fetching " + request.url + ": " + reply.text, HALO_RETRY);
    default:
      throw halo::Error("mail-bounces: fetching " + request.url + ": " + reply.text, HALO_FATAL);
  }
}

void RemoteMailbox::next_batch(CountingSink &sink, uint32_t max_records) {
  if (!polled_) {
    poll();
    polled_ = true;
  }
  while (sink.count < max_records) {
    if (queue_.empty()) {
      polled_ = false;  // the next call polls the server again
      sink.end_of_data();
      return;
    }
    if (!front_) {
      if (!open_front(sink)) return;
      sink.origin(where(queue_.front()));
    }
    const ListedMail &mail = queue_.front();
    const MailReading &reading = *front_;
    bool whole = true;
    if (!reading.problem.empty()) {
      sink.error(reading.reason, where(mail) + ": " + reading.problem, reading.raw_start, 1);
    } else if (partial_done_ < reading.events.size()) {
      sink.record(reading.events[partial_done_], partial_done_ + 1);
      whole = ++partial_done_ == reading.events.size();
    }
    if (whole) {
      if (server_.protocol == MailboxServer::Protocol::kImap) {
        last_uid_ = mail.number;
      } else {
        read_ids_.insert(mail.uidl);
      }
      partial_id_.clear();
      partial_done_ = 0;
      front_.reset();
      queue_.pop_front();
    }
  }
}

}  // namespace halo::plugins::mail_bounces
