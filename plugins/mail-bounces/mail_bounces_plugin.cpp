// mail_bounces_plugin.cpp -- the SDK adapter of the `mail-bounces` source.
// With `path`: lists the mailbox's files (a Maildir's new/ and cur/, or a
// directory's files), restores the cursor and runs FileSourceCore with
// ReportFileReader. With `url`: reads an IMAP or POP3 mailbox through the
// host's mailbox client (RemoteMailbox).
//
// An empty mailbox is normal (nothing bounced); a `path` that is not a
// directory is an error naming it, as a missing input is for every source.
#include <halo/sdk.hpp>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "common/file_source_core.h"
#include "common/sdk_record_sink.h"
#include "remote_mailbox.h"
#include "report_reader.h"

namespace halo::plugins::mail_bounces {
namespace {

namespace fs = std::filesystem;

// The regular files of `dir` whose names do not start with '.'.
void add_files(const fs::path &dir, std::vector<std::string> &out) {
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] != '.' && entry.is_regular_file(ec)) {
      out.push_back(entry.path().string());
    }
  }
}

bool is_maildir(const fs::path &dir) {
  std::error_code ec;
  return fs::is_directory(dir / "new", ec) && fs::is_directory(dir / "cur", ec);
}

class MailBouncesSource : public halo::Source {
 public:
  explicit MailBouncesSource(halo::Host host)
      : halo::Source(host), max_bytes_(static_cast<size_t>(host.size_option("max_report_bytes"))) {
    const std::optional<std::string_view> path_option = host.opt_string("path");
    const std::optional<std::string_view> url = host.opt_string("url");
    if (path_option.has_value() == url.has_value()) {
      throw halo::ConfigError(url ? "url" : "path",
                              "give the mailbox as exactly one of `path` (a Maildir) and `url` "
                              "(an IMAP or POP3 server)");
    }
    if (url) {
      remote_ = remote_mailbox(host, std::string(*url));
      return;
    }
    fs::path path{std::string(*path_option)};
    if (path.is_relative()) path = fs::path(host.base_dir()) / path;
    dir_ = path.lexically_normal();
    if (std::string problem = missing(); !problem.empty()) {
      host.warn(problem +
                " at this time; unless it appears before the run reads it, the run will "
                "fail this source");
    }
  }

  void restore_cursor(std::string_view cursor) override { saved_cursor_ = cursor; }

  void start() override {
    if (remote_) {
      std::string error;
      if (!saved_cursor_.empty() && !remote_->restore(saved_cursor_, error)) {
        throw halo::Error("mail-bounces: " + error + "; reset this source's checkpoint to re-read",
                          HALO_FATAL);
      }
      saved_cursor_.clear();
      return;
    }
    core_ =
        std::make_unique<FileSourceCore>(list(), std::make_unique<ReportFileReader>(max_bytes_));
    std::string error;
    if (!saved_cursor_.empty() && !core_->restore(saved_cursor_, error)) {
      throw halo::Error("mail-bounces: " + error + "; reset this source's checkpoint to re-read",
                        HALO_FATAL);
    }
  }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    if (remote_) {
      SdkRecordSink out(sink);
      CountingSink counted(out);
      remote_->next_batch(counted, max_records);
      return;
    }
    if (!core_) start();
    if (core_->finished()) core_->rescan(list());  // polling: mail delivered since
    if (std::string problem = missing(); !problem.empty()) throw halo::Error(problem, HALO_FATAL);
    SdkRecordSink out(sink);
    try {
      core_->next_batch(out, max_records);
    } catch (const InputError &e) {
      throw halo::Error(std::string("mail-bounces: ") + e.what(), HALO_FATAL);
    }
  }

  std::string_view cursor() override {
    if (remote_) return remote_cursor_ = remote_->cursor();
    return core_ ? core_->cursor() : saved_cursor_;
  }

 private:
  std::string missing() const {
    std::error_code ec;
    if (fs::is_directory(dir_, ec)) return {};
    return "mail-bounces: mailbox '" + dir_.string() +
           "' is not a directory (give a Maildir or a directory of mails as `path`, relative "
           "paths start at the pipeline file)";
  }

  // A Maildir's delivered mail (new/, then what a reader moved to cur/);
  // else the directory's files. A mail moved from new/ to cur/ is read
  // again under its new name: its events are duplicates by message id.
  std::vector<std::string> list() const {
    std::vector<std::string> files;
    if (is_maildir(dir_)) {
      add_files(dir_ / "new", files);
      add_files(dir_ / "cur", files);
    } else {
      add_files(dir_, files);
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  // The RemoteMailbox of a `url`, its requests carrying the login options.
  std::unique_ptr<RemoteMailbox> remote_mailbox(const halo::Host &host, const std::string &url) {
    std::string why;
    std::optional<MailboxServer> server = parse_mailbox_url(url, why);
    if (!server) throw halo::ConfigError("url", why);
    halo::MailboxRequest login;
    login.username = host.opt_string_or("username", "");
    login.password = host.opt_string_or("password", "");
    login.ca_file = host.opt_string_or("ca_file", "");
    login.insecure = host.bool_option("insecure");
    login.plaintext = host.bool_option("plaintext");
    login.timeout_ms = static_cast<int>(host.duration_option("timeout").count());
    return std::make_unique<RemoteMailbox>(
        std::move(*server), std::move(login), max_bytes_,
        [host](const halo::MailboxRequest &request) { return host.mailbox(request); });
  }

  size_t max_bytes_;
  std::unique_ptr<RemoteMailbox> remote_;
  std::string remote_cursor_;
  fs::path dir_;
  std::string saved_cursor_;
  std::unique_ptr<FileSourceCore> core_;
};

}  // namespace
}  // namespace halo::plugins::mail_bounces

static const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "path", nullptr, false,
                 "The bounce mailbox: a Maildir (its new/ and cur/ are read) or a directory of "
                 "mails, one per file; relative to the pipeline file (or give `url`)"),
    halo::option(HALO_OPT_STRING, "url", nullptr, false,
                 "The bounce mailbox on a server: imaps://host[:993]/MAILBOX (INBOX when none), "
                 "imap://host[:143]/MAILBOX (STARTTLS required), pop3s://host[:995] or "
                 "pop3://host[:110] (STLS required); instead of `path`"),
    halo::option(HALO_OPT_STRING, "username", nullptr, false, "Login of `url`"),
    halo::option(HALO_OPT_STRING, "password", nullptr, false,
                 "Password of `url`; use \"${ENV_VAR}\"", true),
    halo::within(halo::option(HALO_OPT_DURATION, "timeout", "30s", false,
                              "Longest request to the `url` server"),
                 "1s", "5m"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM) for `url`, relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification of `url` (explicit opt-in)"),
    halo::option(HALO_OPT_BOOL, "plaintext", "false", false,
                 "imap:// or pop3:// without STARTTLS (only for a server on this machine)"),
    halo::within(halo::option(HALO_OPT_SIZE, "max_report_bytes", "10MiB", false,
                              "Larger mails are dead-lettered as TOO_LARGE (a report may "
                              "return the whole original message)"),
                 "1KiB", "1GiB"),
};

HALO_PLUGIN_LIBRARY(halo::describe_source<halo::plugins::mail_bounces::MailBouncesSource>(
    "mail-bounces", "1.0.0",
    "Reads bounces (RFC 3464) and spam complaints (RFC 5965) from a Maildir or an IMAP or POP3 "
    "mailbox as Email Bounced, "
    "Email Delivered and Email Marked as Spam events",
    kOptions, std::size(kOptions), HALO_CAP_CHECKPOINT))
