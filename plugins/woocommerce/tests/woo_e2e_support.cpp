// woo_e2e_support.cpp -- helpers of the woocommerce end-to-end tests (see
// woo_e2e_support.h).
#include "woo_e2e_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <simdjson.h>

#include <sstream>

extern char **environ;

namespace halo::woo::e2e {

using halo::e2e::read_lines;
using halo::e2e::run;
using halo::e2e::source_dir;

const std::vector<std::string> kFixtureArgs = {"--customers", "20", "--orders", "60"};

std::string server_script() {
  return source_dir() + "/tests/contract/woocommerce_server.py";
}

std::string write_pipeline(const TempDir &dir, const std::string &source_config,
                           const std::string &top_level) {
  std::string yaml =
      "version: 1\n"
      "store: { kind: sqlite, path: var/halo.db }\n"
      "identity:\n"
      "  resolver: deterministic\n"
      "  identifiers:\n"
      "    - { type: woo_customer_id, priority: 2, max_per_profile: 1, paths: "
      "[traits.woo_customer_id, context.traits.woo_customer_id] }\n"
      "    - { type: email, priority: 4, max_per_profile: 5 }\n"
      "    - { type: phone, priority: 5, max_per_profile: 3, default_region: IR }\n"
      "sources:\n"
      "  - name: shop\n"
      "    plugin: woocommerce\n"
      "    config:\n" +
      source_config +
      "features:\n"
      "  - name: orders\n"
      "    plugin: aggregates\n"
      "    config:\n"
      "      features:\n"
      "        order_count: { count: { event: Order Completed } }\n"
      "        revenue: { sum: { event: Order Completed, field: properties.revenue } }\n"
      "destinations:\n"
      "  - name: profiles\n"
      "    plugin: file-jsonl\n"
      "    config: { path: profiles.jsonl }\n" +
      top_level;
  std::string path = dir / "pipeline.yaml";
  halo::e2e::write_file(path, yaml);
  return path;
}

namespace {

std::string number_text(simdjson::dom::element e) {
  if (e.is_null()) return "";
  return simdjson::minify(e);
}

}  // namespace

std::map<std::string, Totals> totals_by_email(const std::string &profiles_path) {
  std::map<std::string, Totals> out;
  simdjson::dom::parser parser;
  for (const std::string &line : read_lines(profiles_path)) {
    if (line.empty()) continue;
    simdjson::dom::element p = parser.parse(line).value();
    simdjson::dom::array emails;
    if (p["identifiers"]["email"].get(emails)) continue;
    Totals t;
    simdjson::dom::element v;
    if (!p["features"]["order_count"].get(v)) t.order_count = number_text(v);
    if (!p["features"]["revenue"].get(v)) t.revenue = number_text(v);
    for (simdjson::dom::element e : emails) out[std::string(std::string_view(e))] = t;
  }
  return out;
}

std::map<std::string, Totals> expected_totals() {
  std::vector<std::string> argv = {"python3", server_script(), "--print-expected"};
  argv.insert(argv.end(), kFixtureArgs.begin(), kFixtureArgs.end());
  CommandResult r = run(argv, {{"PYTHONPATH", source_dir() + "/tests/contract"}});
  std::map<std::string, Totals> out;
  simdjson::dom::parser parser;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    simdjson::dom::element e = parser.parse(line).value();
    out[std::string(std::string_view(e["email"]))] = Totals{
        std::to_string(int64_t(e["order_count"])), std::string(std::string_view(e["revenue"]))};
  }
  return out;
}

std::string totals_difference(const std::map<std::string, Totals> &want,
                              const std::map<std::string, Totals> &got) {
  std::string diff;
  for (const auto &[email, w] : want) {
    auto it = got.find(email);
    if (it == got.end()) {
      diff += email + ": no profile\n";
    } else if (!halo::e2e::same_decimal(it->second.order_count, w.order_count) ||
               !halo::e2e::same_decimal(it->second.revenue, w.revenue)) {
      diff += email + ": want " + w.order_count + "/" + w.revenue + " got " +
              it->second.order_count + "/" + it->second.revenue + "\n";
    }
  }
  for (const auto &[email, g] : got) {
    bool counted = !g.order_count.empty() && g.order_count != "0";
    if (counted && want.count(email) == 0)
      diff += email + ": unexpected orders " + g.order_count + "\n";
  }
  return diff;
}

pid_t spawn_halo(const std::string &pipeline, const std::map<std::string, std::string> &env) {
  std::vector<std::string> env_strings;
  for (char **e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  for (const auto &[k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char *> envp;
  for (auto &s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string bin = halo::e2e::halo_bin();
  std::vector<char *> argv = {bin.data(), const_cast<char *>("run"),
                              const_cast<char *>(pipeline.c_str()), const_cast<char *>("-q"),
                              nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int wait_child(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool port_accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

std::string send_webhook(int port, const std::vector<std::string> &args) {
  std::vector<std::string> argv = {
      "python3",        server_script(),
      "--send-webhook", "http://127.0.0.1:" + std::to_string(port) + "/hook",
      "--secret",       "whsec_e2e"};
  argv.insert(argv.end(), kFixtureArgs.begin(), kFixtureArgs.end());
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r =
      halo::e2e::run(argv, {{"PYTHONPATH", halo::e2e::source_dir() + "/tests/contract"}});
  return r.out.substr(0, 3);
}

}  // namespace halo::woo::e2e
