// dovecot_server.h -- a real Dovecot (Debian's `dovecot-imapd` and
// `dovecot-pop3d`) for the mail-bounces tests: its own configuration, run
// directory and Maildir in a test directory, listening on two loopback
// ports -- IMAP with STARTTLS and POP3 over TLS (a test CA's certificate,
// DIR/ca.pem) -- with one login whose mailbox is that Maildir. Dovecot
// needs root (its processes drop to the `dovecot` user); CI runs as root.
//
// Invariants: start() returns once both ports answer, or throws naming
// what failed (no dovecot binary, not root, a server that would not start;
// the log is in DIR/dovecot.log); the destructor stops the server (SIGTERM,
// then SIGKILL) and it dies with the test's thread (PR_SET_PDEATHSIG).
// deliver() puts a mail in the Maildir as a mail server would (tmp/, then
// renamed into new/). Test helper: throws on error.
#pragma once

#include <string>

#include "child_process.h"

namespace halo::test {

class DovecotServer {
 public:
  explicit DovecotServer(std::string dir);
  ~DovecotServer();
  DovecotServer(const DovecotServer &) = delete;
  DovecotServer &operator=(const DovecotServer &) = delete;

  void start();
  void stop();
  // Delivers `mail` (RFC 5322 text) to the login's INBOX.
  void deliver(const std::string &mail);
  // Forgets the UIDs Dovecot gave (its dovecot-uidlist and index files), as
  // a recreated mailbox would: the next session sees a new UIDVALIDITY.
  void renumber();
  // Messages in the Maildir (new/ and cur/): a reader deleted none.
  size_t stored() const;

  static constexpr const char *kUser = "bounces";
  static constexpr const char *kPassword = "s3cret-Pa55";
  std::string imap_url() const { return "imap://127.0.0.1:" + std::to_string(imap_port_); }
  std::string pop3s_url() const { return "pop3s://127.0.0.1:" + std::to_string(pop3s_port_); }
  std::string ca_file() const { return dir_ + "/ca.pem"; }
  std::string log() const;

 private:
  std::string dir_;
  int imap_port_ = 0, pop3s_port_ = 0;
  ChildProcess master_;
  unsigned delivered_ = 0;
};

}  // namespace halo::test
