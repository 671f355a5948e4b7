// demo_journeys_e2e_test.cpp -- the demo's journeys delivered end to end:
// config/demo.yaml on generated demo data, with its email_gateway declared
// as the `smtp` destination into a real Postfix and its sms_gateway as the
// `kavenegar` destination into the Kavenegar contract server. Every email
// marked sent is in the mailbox once (by Message-ID), every SMS marked sent
// reached the gateway once, each journey sent something, and every message
// not sent is held out or says why.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>

#include "contract_process.h"
#include "e2e_support.h"
#include "postfix_server.h"

namespace halo::e2e {
namespace {

using contract::ContractProcess;
using test::PostfixServer;

std::string trigger_of(const std::string &key) {
  return key.substr(0, key.find(':'));
}

TEST(DemoJourneysE2E, EmailAndSmsJourneysArriveOnce) {
  TempDir dir;
  CommandResult data = run(
      {datagen_bin(), "demo", "--out", dir / "data/demo", "--customers", "600", "--seed", "11"});
  ASSERT_EQ(data.exit_code, 0) << data.err;
  PostfixServer postfix(dir / "postfix", {"*"});
  postfix.start();
  ContractProcess gateway;
  gateway.start(source_dir() + "/tests/contract/kavenegar_server.py",
                {"--api-key", "DEMOKEY1", "--log", dir / "sms.jsonl"});

  const std::string p = install_demo_pipeline(dir.path(), "  as_of: \"2026-12-31T00:00:00Z\"");
  std::string yaml = read_file(p);
  const std::string anchor = "destinations:\n";
  ASSERT_NE(yaml.find(anchor), std::string::npos);
  yaml.insert(yaml.find(anchor) + anchor.size(),
              "  - name: email_gateway\n"
              "    plugin: smtp\n"
              "    retry: { backoff: 0s }\n"
              "    config: { url: \"" +
                  postfix.url() + "\", ca_file: \"" + postfix.ca_file() +
                  "\", from: news@shop.example, from_name: فروشگاه }\n"
                  "  - name: sms_gateway\n"
                  "    plugin: kavenegar\n"
                  "    retry: { backoff: 0s }\n"
                  "    config: { api_key: DEMOKEY1, base_url: \"" +
                  gateway.base_url() + "\" }\n");
  write_file(p, yaml);
  run_until_delivered(p, 4);
  // Two hours on, the thank-you timers (1 h after entering the segment)
  // are due too.
  const std::string first = "as_of: \"2026-12-31T00:00:00Z\"";
  yaml.replace(yaml.find(first), first.size(), "as_of: \"2026-12-31T02:00:00Z\"");
  write_file(p, yaml);
  run_until_delivered(p, 4);

  std::map<std::string, size_t> sent_by_trigger;
  std::map<std::string, std::string> seen;  // trigger -> its statuses, for messages
  std::set<std::string> sent_email_ids;
  size_t sent_sms = 0;
  for (const auto &[key, s] : message_statuses(p)) {
    seen[trigger_of(key)] += s.substr(0, s.find('|')) + " ";
    if (!s.starts_with("sent|")) {
      // The hold-out group (holdout: 10) is the reason itself.
      if (!s.starts_with("held_out|")) {
        EXPECT_FALSE(s.ends_with("|")) << key << " is " << s << " without a reason";
      }
      EXPECT_FALSE(s.starts_with("pending|") || s.starts_with("failed|")) << key << " " << s;
      continue;
    }
    ++sent_by_trigger[trigger_of(key)];
    const std::string trigger = trigger_of(key);
    if (trigger == "thank_repeat" || trigger == "cart_reminder") {
      std::string id;  // as the smtp destination writes it: ':' is =3A
      for (char c : key) id += c == ':' ? std::string("=3A") : std::string(1, c);
      sent_email_ids.insert("<" + id + "@shop.example>");
    } else {
      ++sent_sms;
    }
  }
  for (const char *journey : {"thank_repeat", "cart_reminder", "cart_discount", "winback"}) {
    EXPECT_GT(sent_by_trigger[journey], 0u) << journey << " sent nothing: " << seen[journey];
  }

  const auto mail = postfix.wait_for(sent_email_ids.size());
  std::map<std::string, int> arrived;
  for (const auto &m : mail) ++arrived[m.header("Message-ID")];
  EXPECT_EQ(arrived.size(), sent_email_ids.size()) << postfix.log().substr(0, 2000);
  for (const std::string &id : sent_email_ids) EXPECT_EQ(arrived[id], 1) << id;

  int duplicates = 0;
  simdjson::dom::parser parser;
  const std::vector<std::string> sms = read_lines(dir / "sms.jsonl");
  for (const std::string &line : sms) duplicates += bool(parser.parse(line)["duplicate"]);
  EXPECT_EQ(sms.size(), sent_sms);
  EXPECT_EQ(duplicates, 0);
}

}  // namespace
}  // namespace halo::e2e
