// smtp_throughput_bench.cpp -- bench/smtp.sh: N messages through the
// kernel's SMTP client to a real Postfix on loopback (STARTTLS with the
// test CA, postfix_server.h; needs root), once with a connection per
// message (send_smtp) and once over one kept connection (SmtpConnection),
// alternately ROUNDS times; prints messages per second of each.
//   halo-bench-smtp [N] [ROUNDS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "http/smtp_client.h"
#include "postfix_server.h"

int main(int argc, char **argv) {
  using namespace halo;
  const int n = argc > 1 ? std::atoi(argv[1]) : 300;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 2;
  std::string dir = (std::filesystem::temp_directory_path() / "halo-bench-smtp-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) return 2;
  test::PostfixServer server(dir + "/postfix", {"*"});
  server.start();
  const std::function<bool()> never = [] { return false; };
  auto message = [&](int i) {
    SmtpCall call;
    call.url = server.url();
    call.ca_file = server.ca_file();
    call.timeout_ms = 20000;
    call.mail_from = "news@shop.example";
    call.recipients = {"u" + std::to_string(i) + "@example.org"};
    call.data = "Subject: bench " + std::to_string(i) + "\r\n\r\nbody\r\n";
    return call;
  };
  auto timed = [&](const char *label, auto &&send) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      const SmtpOutcome out = send(message(i));
      if (out.kind != SmtpOutcome::Kind::kAccepted) {
        std::fprintf(stderr, "%s: message %d not accepted: %s\n", label, i, out.reply.c_str());
        std::exit(1);
      }
    }
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-28s %5d messages in %6.2f s: %7.0f messages/s\n", label, n, s, n / s);
  };
  for (int round = 0; round < rounds; ++round) {
    timed("connection per message", [&](const SmtpCall &c) { return send_smtp(c, never); });
    SmtpConnection kept;
    timed("one kept connection", [&](const SmtpCall &c) { return kept.send(c, never); });
  }
  server.stop();
  std::filesystem::remove_all(dir);
  return 0;
}
