// woo_e2e_support.h -- shared pieces of the woocommerce end-to-end tests:
// the pipeline YAML, the contract server script, the fixture's expected
// totals (computed by the server script from its seed, not by the plugin),
// profiles by email, and a background `halo run` that can be SIGKILLed.
#pragma once

#include "e2e_support.h"

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace halo::woo::e2e {

using halo::e2e::CommandResult;
using halo::e2e::TempDir;

std::string server_script();
// Fixture sizes shared by the server and the oracle.
extern const std::vector<std::string> kFixtureArgs;

// Writes DIR/pipeline.yaml reading `source_config` (YAML lines indented by
// 6 spaces, under the shop source's `config:`) into DIR/profiles.jsonl;
// `top_level` (e.g. an `http:` section) is appended unindented.
std::string write_pipeline(const TempDir &dir, const std::string &source_config,
                           const std::string &top_level = "");

struct Totals {
  std::string order_count;  // exact JSON text, "" when absent
  std::string revenue;
};
// email -> totals of every exported profile that has an email.
std::map<std::string, Totals> totals_by_email(const std::string &profiles_path);
// email -> totals the seeded fixture implies (buyers with completed orders).
std::map<std::string, Totals> expected_totals();
// Compares the two maps by value ("1.50" == "1.5"); empty when equal.
std::string totals_difference(const std::map<std::string, Totals> &want,
                              const std::map<std::string, Totals> &got);

// `halo run PIPELINE -q` in the background with extra environment.
pid_t spawn_halo(const std::string &pipeline, const std::map<std::string, std::string> &env);
// Waits for the child; returns its exit code (128+N when killed by N).
int wait_child(pid_t pid);

// Posts one signed delivery (woocommerce_server.py --send-webhook ARGS) to
// http://127.0.0.1:PORT/hook; returns the status text ("200") or "".
std::string send_webhook(int port, const std::vector<std::string> &args);

// True when something accepts connections on 127.0.0.1:PORT. (A free port
// for the webhook listener: test::unused_loopback_port(), loopback_port.h.)
bool port_accepts(int port);

}  // namespace halo::woo::e2e
