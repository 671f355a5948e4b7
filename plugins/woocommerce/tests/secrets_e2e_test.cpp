// secrets_e2e_test.cpp -- the real `halo` binary against a WooCommerce
// contract server that echoes credentials (woocommerce_server.py
// --echo-credentials): in a 401 error body, over TLS with Basic auth and
// over plain HTTP with OAuth 1.0a, and inside a record the source
// dead-letters. The consumer key and secret, and their base64 forms, must
// appear nowhere: stdout, stderr, the summary JSON, `halo deadletters`, the
// store's files. Also the one retry budget: a server that always answers
// 503 costs exactly http.retry.max_attempts requests per run.
#include "contract_process.h"
#include "woo_e2e_support.h"

#include <gtest/gtest.h>

#include <dirent.h>

#include <string>
#include <vector>

namespace halo::woo::e2e {
namespace {

using halo::contract::ContractProcess;
using halo::e2e::read_file;
using halo::e2e::run;

// Hex-looking like real WooCommerce keys; long enough to be masked.
const std::string kKey = "ck_5f4dcc3b5aa765d61d8327deb882cf99aa11bb22";
const std::string kSecret = "cs_0f1e2d3c4b5a69788796a5b4c3d2e1f0ffeeddcc";

std::string base64(const std::string &in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += std::string{kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += std::string{kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63],
                       kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

// Every form of the credentials that must never be shown or stored.
std::vector<std::string> forbidden() {
  const std::string pair = base64(kKey + ":" + kSecret);
  return {kKey,
          kSecret,
          pair,
          pair.substr(0, 40),
          base64(kSecret).substr(0, 40),
          base64(kKey).substr(0, 40)};
}

// "" when `text` holds none of the forbidden forms, else which one and where.
std::string leak_in(const std::string &what, const std::string &text) {
  for (const std::string &f : forbidden()) {
    size_t p = text.find(f);
    if (p != std::string::npos) {
      return what + " leaks '" + f + "' near: " + text.substr(p > 80 ? p - 80 : 0, 200);
    }
  }
  return "";
}

// The bytes of every file under dir (the SQLite store and its WAL/journal).
std::string files_under(const std::string &dir) {
  std::string all;
  DIR *d = opendir(dir.c_str());
  if (d == nullptr) return all;
  while (dirent *e = readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") all += read_file(dir + "/" + name);
  }
  closedir(d);
  return all;
}

class WooSecretsE2E : public ::testing::Test {
 protected:
  void SetUp() override { halo::contract::make_test_ca(tls_ / "tls"); }

  void start_server(bool tls, const std::vector<std::string> &extra) {
    std::vector<std::string> args = kFixtureArgs;
    args.insert(args.end(), {"--consumer-key", kKey, "--consumer-secret", kSecret});
    args.insert(args.end(), extra.begin(), extra.end());
    server_.start(server_script(), args, tls ? tls_ / "tls" : "");
  }

  std::string pipeline(const std::string &auth, const std::string &top_level = "") {
    std::string config =
        "      url: \"" + server_.base_url() + "\"\n" + "      consumer_key: \"${WC_KEY}\"\n" +
        "      consumer_secret: \"${WC_SECRET}\"\n" + "      ca_file: \"" + tls_ / "tls/ca.pem" +
        "\"\n" + "      auth: " + auth + "\n" + "      per_page: 7\n";
    return write_pipeline(dir_, config, top_level);
  }

  CommandResult halo(const std::vector<std::string> &args) {
    std::vector<std::string> argv = {halo::e2e::halo_bin()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {{"WC_KEY", kKey}, {"WC_SECRET", kSecret}});
  }

  // Runs the pipeline, then lists its dead letters; checks every output.
  void expect_no_leak(const std::string &pipeline_path, int want_exit, bool want_dead_letters) {
    const std::string summary = dir_ / "summary.json";
    CommandResult r = halo({"run", pipeline_path, "--summary-json", summary});
    EXPECT_EQ(r.exit_code, want_exit) << r.err;
    EXPECT_EQ(leak_in("stdout", r.out), "");
    EXPECT_EQ(leak_in("stderr", r.err), "");
    if (want_exit == 0) {
      const std::string json = read_file(summary);
      ASSERT_FALSE(json.empty());
      EXPECT_EQ(leak_in("summary", json), "");
    }
    CommandResult dl = halo({"deadletters", pipeline_path});
    EXPECT_EQ(dl.exit_code, 0) << dl.err;
    EXPECT_EQ(leak_in("deadletters", dl.out + dl.err), "");
    if (want_dead_letters) {
      EXPECT_NE(dl.out.find("\"reason\""), std::string::npos) << dl.out;
      EXPECT_NE(dl.out.find("***"), std::string::npos) << "nothing was masked: " << dl.out;
    }
    const std::string store = files_under(dir_ / "var");
    EXPECT_FALSE(store.empty());
    EXPECT_EQ(leak_in("store files", store), "");
    last_err_ = r.err;
  }

  TempDir tls_, dir_;
  ContractProcess server_;
  std::string last_err_;
};

TEST_F(WooSecretsE2E, BasicAuth401EchoingTheHeaderLeaksNothing) {
  start_server(true, {"--echo-credentials", "401"});
  expect_no_leak(pipeline("basic"), 1, false);
  // The echo was read and shown, masked: the user still sees what happened.
  EXPECT_NE(last_err_.find("rejected by"), std::string::npos) << last_err_;
  EXPECT_NE(last_err_.find("Authorization: ***"), std::string::npos) << last_err_;
}

TEST_F(WooSecretsE2E, OAuth1EchoingHeaderAndSignatureLeaksNothing) {
  start_server(false, {"--echo-credentials", "401"});
  expect_no_leak(pipeline("oauth1"), 1, false);
  EXPECT_NE(last_err_.find("Authorization: ***"), std::string::npos) << last_err_;
}

TEST_F(WooSecretsE2E, RecordsQuotingBasicCredentialsAreDeadLetteredMasked) {
  start_server(true, {"--echo-credentials", "record"});
  expect_no_leak(pipeline("basic"), 0, true);
}

TEST_F(WooSecretsE2E, RecordsQuotingOAuthCredentialsAreDeadLetteredMasked) {
  start_server(false, {"--echo-credentials", "record"});
  expect_no_leak(pipeline("oauth1"), 0, true);
}

TEST_F(WooSecretsE2E, AServerThatAlwaysAnswers503CostsOneRetryBudget) {
  start_server(true, {});
  server_.inject(R"({"kind":"503","count":1000})");
  CommandResult r = halo({"run", pipeline("basic", "http: { retry: { max_attempts: 3 } }\n")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // 3 HTTP attempts, and the source's HALO_RETRY is not re-called on top.
  EXPECT_EQ(server_.stat("requests"), 3) << server_.stats();
  EXPECT_NE(r.err.find("retry budget spent: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("http.retry.max_attempts = 3"), std::string::npos) << r.err;

  server_.reset_stats();
  r = halo({"run", pipeline("basic")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(server_.stat("requests"), 5) << "the default budget; was 5 x 6 = 30";
}

}  // namespace
}  // namespace halo::woo::e2e
