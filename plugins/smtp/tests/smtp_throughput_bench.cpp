// smtp_throughput_bench.cpp -- bench/smtp.sh: N messages through the
// kernel's SMTP client to a real Postfix on loopback (STARTTLS with the
// test CA, postfix_server.h; needs root), once with a connection per
// message (send_smtp), over one kept connection (SmtpConnection), and
// through the host's smtp_send_many with 2 and 4 sessions at once (the
// `smtp` destination's road), alternately ROUNDS times; prints messages
// per second of each.
//   halo-bench-smtp [N] [ROUNDS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <vector>

#include "http/smtp_client.h"
#include "plugin_host/host_api.h"
#include "plugin_host/host_api_smtp.h"
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
  // All n messages in one smtp_send_many call on a fresh instance context.
  auto many = [&](int sessions) {
    halo_context ctx;
    ctx.http_concurrency = sessions;
    std::vector<SmtpCall> calls;
    for (int i = 0; i < n; ++i) calls.push_back(message(i));
    std::vector<halo_smtp_request> requests(n);
    std::vector<const char *> to(n);
    std::vector<const halo_smtp_request *> pointers;
    for (int i = 0; i < n; ++i) {
      to[i] = calls[i].recipients[0].c_str();
      halo_smtp_request &r = requests[i];
      r.struct_size = sizeof r;
      r.url = calls[i].url.c_str();
      r.ca_file = calls[i].ca_file.c_str();
      r.timeout_ms = calls[i].timeout_ms;
      r.mail_from = calls[i].mail_from.c_str();
      r.recipients = &to[i];
      r.recipient_count = 1;
      r.data = calls[i].data.data();
      r.data_len = calls[i].data.size();
      pointers.push_back(&r);
    }
    std::vector<int32_t> results(n), codes(n);
    std::vector<char> replies(static_cast<size_t>(n) * 256);
    const auto start = std::chrono::steady_clock::now();
    host_smtp_send_many(&ctx, pointers.data(), pointers.size(), results.data(), codes.data(),
                        replies.data(), 256);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (int i = 0; i < n; ++i) {
      if (results[i] != HALO_OK) {
        std::fprintf(stderr, "smtp_send_many: message %d not accepted: %s\n", i,
                     replies.data() + static_cast<size_t>(i) * 256);
        std::exit(1);
      }
    }
    const std::string label = "smtp_send_many, " + std::to_string(sessions) + " sessions";
    std::printf("%-28s %5d messages in %6.2f s: %7.0f messages/s\n", label.c_str(), n, s, n / s);
  };
  for (int round = 0; round < rounds; ++round) {
    timed("connection per message", [&](const SmtpCall &c) { return send_smtp(c, never); });
    SmtpConnection kept;
    timed("one kept connection", [&](const SmtpCall &c) { return kept.send(c, never); });
    for (int sessions : {2, 4}) many(sessions);
  }
  server.stop();
  std::filesystem::remove_all(dir);
  return 0;
}
