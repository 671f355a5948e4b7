// postfix_server.h -- a real Postfix (Debian's `postfix` package) for the
// smtp destination's tests: its own configuration, queue and Maildir in a
// test directory, listening on a loopback port with STARTTLS (a test CA's
// certificate), delivering every message for the test domains into one
// Maildir the test reads. Postfix needs root (its daemons drop to the
// `postfix` user); CI runs as root.
//
// Invariants: start() returns once the server answers on its port, or
// throws naming what failed (no postfix binary, not root, a daemon that
// would not start; the log is in DIR/maillog); stop() and the destructor
// stop every daemon of the instance (`postfix stop`, then SIGKILL of the
// master). Recipients outside the test domains are refused with 554
// (relay access denied), a permanent failure the tests use, the addresses
// given to add_unknown_user with 550 5.1.1 (a hard bounce), and messages to
// the addresses given to add_later_bounce are bounced back to the sender. Test helper:
// throws on error.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "child_process.h"

namespace halo::test {

// One delivered message as read back from the Maildir.
struct DeliveredMail {
  std::string path;
  std::string text;  // headers and body as stored (Postfix adds headers)
  std::string header(const std::string &name) const;  // first one, unfolded
};

class PostfixServer {
 public:
  // Accepts mail for these domains (e.g. example.org; "*" = every domain).
  explicit PostfixServer(std::string dir, std::vector<std::string> domains = {"example.org"});
  ~PostfixServer();
  PostfixServer(const PostfixServer &) = delete;
  PostfixServer &operator=(const PostfixServer &) = delete;

  // Refuses RCPT TO:<address> with "550 5.1.1 ... User unknown" (a hard
  // bounce); call before start().
  void add_unknown_user(std::string address) { unknown_.push_back(std::move(address)); }
  // Accepts RCPT TO:<address>, then gives the message up and mails a
  // bounce (a delivery status notification, status 5.1.1) to its sender,
  // as a relay that learns of an unknown mailbox only after accepting
  // does; call before start().
  void add_later_bounce(std::string address) { later_bounces_.push_back(std::move(address)); }
  // Starts the server; after stop(), starts it again on the same port.
  void start();
  void stop();
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::string ca_file() const { return dir_ + "/ca.pem"; }
  // Every message delivered so far (Maildir new/ and cur/), by file name.
  std::vector<DeliveredMail> delivered() const;
  // Waits up to timeout_ms until at least `count` messages are delivered;
  // returns what is there then.
  std::vector<DeliveredMail> wait_for(size_t count, int timeout_ms = 20000) const;
  // Postfix's log of this instance, for failure messages.
  std::string log() const;

 private:
  void write_config() const;
  std::string postfix(const std::string &command) const;

  std::string dir_;
  std::vector<std::string> domains_;
  std::vector<std::string> unknown_, later_bounces_;
  int port_ = 0;
  ChildProcess master_;
};

}  // namespace halo::test
