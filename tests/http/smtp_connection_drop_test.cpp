// smtp_connection_drop_test.cpp -- a kept SMTP connection that the server
// closes between libcurl's check that it is alive and its reply to the next
// MAIL command (an idle timeout racing the next message): no reply came, so
// nothing was accepted, and SmtpConnection sends the message once more on a
// new connection. A scripted plaintext server on loopback plays the race,
// which a real server shows too rarely to test (the real Postfix tests in
// plugins/smtp/tests cover everything else).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "http/smtp_client.h"

namespace halo {
namespace {

// Serves SMTP sessions one connection at a time; connection 0 closes
// without a word on the MAIL command of its second message.
class DroppingSmtpServer {
 public:
  DroppingSmtpServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listener_, reinterpret_cast<sockaddr *>(&addr), len) != 0 ||
        ::listen(listener_, 4) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
      throw std::runtime_error("cannot listen on loopback");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~DroppingSmtpServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  int port() const { return port_; }
  int connections() const { return connections_; }
  int delivered() const { return delivered_; }

 private:
  void serve() {
    while (!stopping_) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      session(fd, connections_++ == 0 ? 2 : 0);
      ::close(fd);
    }
  }

  // Answers commands until QUIT or the drop; drop_at: the MAIL command
  // (1-based) that gets no reply, 0 for none.
  void session(int fd, int drop_at) {
    std::string buffer;
    auto line = [&](std::string &out) {
      for (;;) {
        if (const size_t end = buffer.find("\r\n"); end != std::string::npos) {
          out = buffer.substr(0, end);
          buffer.erase(0, end + 2);
          return true;
        }
        char chunk[4096];
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<size_t>(n));
      }
    };
    auto say = [&](const std::string &reply) {
      (void)!::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
    };
    say("220 test ESMTP\r\n");
    int mails = 0;
    for (std::string command; line(command);) {
      if (command.starts_with("EHLO") || command.starts_with("HELO")) {
        say("250 test\r\n");
      } else if (command.starts_with("MAIL")) {
        if (++mails == drop_at) return;  // closed without a reply
        say("250 2.1.0 Ok\r\n");
      } else if (command.starts_with("DATA")) {
        say("354 End data with <CR><LF>.<CR><LF>\r\n");
        for (std::string body; line(body) && body != ".";) {
        }
        say("250 2.0.0 Ok: queued as Q" + std::to_string(++delivered_) + "\r\n");
      } else if (command.starts_with("QUIT")) {
        say("221 2.0.0 Bye\r\n");
        return;
      } else {
        say("250 2.0.0 Ok\r\n");  // RCPT, RSET, NOOP
      }
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0}, delivered_{0};
  std::thread thread_;
};

SmtpCall message(int port, int i) {
  SmtpCall call;
  call.url = "smtp://127.0.0.1:" + std::to_string(port);
  call.plaintext = true;
  call.timeout_ms = 10000;
  call.mail_from = "news@shop.example";
  call.recipients = {"sara@example.org"};
  call.data = "Subject: " + std::to_string(i) + "\r\n\r\nbody\r\n";
  return call;
}

TEST(SmtpConnectionDrop, AMessageTheDroppedConnectionNeverAnsweredGoesOnANewOne) {
  DroppingSmtpServer server;
  const std::function<bool()> never = [] { return false; };
  SmtpConnection connection;
  SmtpOutcome first = connection.send(message(server.port(), 1), never);
  ASSERT_EQ(first.kind, SmtpOutcome::Kind::kAccepted) << first.reply;
  EXPECT_EQ(first.reply, "250 2.0.0 Ok: queued as Q1");
  SmtpOutcome second = connection.send(message(server.port(), 2), never);
  ASSERT_EQ(second.kind, SmtpOutcome::Kind::kAccepted) << second.reply;
  EXPECT_EQ(second.reply, "250 2.0.0 Ok: queued as Q2");
  EXPECT_EQ(connection.connections(), 2u);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.delivered(), 2);
}

}  // namespace
}  // namespace halo
