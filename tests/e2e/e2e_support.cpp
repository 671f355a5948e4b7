// e2e_support.cpp -- process spawning, temp dirs and output decoding.
#include "e2e_support.h"

#include <gtest/gtest.h>
#include <ctime>

#include <algorithm>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <simdjson.h>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char **environ;

namespace halo::e2e {

namespace fs = std::filesystem;

std::string source_dir() {
  return HALO_SOURCE_DIR;
}
std::string binary_dir() {
  return HALO_BINARY_DIR;
}
std::string halo_bin() {
  return binary_dir() + "/bin/halo";
}
std::string datagen_bin() {
  return binary_dir() + "/bin/halo-datagen";
}

bool kill_after(const std::vector<std::string> &argv, int delay_ms) {
  std::vector<std::string> args = argv;
  std::vector<char *> c_argv;
  for (std::string &a : args) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  pid_t pid = 0;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const int spawned = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + argv.at(0));
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) != 0) return false;
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return true;
}

ServeProcess::ServeProcess(const std::string &pipeline, const std::string &err_path) {
  std::string bin = halo_bin();
  std::vector<std::string> args = {bin, "serve", pipeline, "--interval", "1s", "-q"};
  std::vector<char *> c_argv;
  for (std::string &a : args) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + bin + " serve");
  pid_ = pid;
}

ServeProcess::~ServeProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
}

int ServeProcess::stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

CommandResult run(const std::vector<std::string> &argv,
                  const std::map<std::string, std::string> &env) {
  TempDir tmp;
  std::string out_path = tmp / "out", err_path = tmp / "err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> envs;
  for (char **e = environ; *e; ++e) {
    std::string kv = *e;
    if (env.count(kv.substr(0, kv.find('=')))) continue;
    envs.push_back(kv);
  }
  for (const auto &[k, v] : env) envs.push_back(k + "=" + v);
  std::vector<char *> cargv, cenv;
  for (const auto &a : argv) cargv.push_back(const_cast<char *>(a.c_str()));
  cargv.push_back(nullptr);
  for (auto &e : envs) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  pid_t pid = 0;
  CommandResult r;
  if (posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data()) != 0) {
    r.err = std::string("cannot spawn ") + argv[0] + ": " + std::strerror(errno);
    posix_spawn_file_actions_destroy(&actions);
    return r;
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  // A child that crashed (not one a test stopped with SIGKILL, SIGTERM or
  // SIGINT) has its stderr in the test's output whatever the test asserts,
  // so a rare crash (a sanitizer's abort, the crash handler's backtrace)
  // is explained in the log of the test it fails.
  if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL && WTERMSIG(status) != SIGTERM &&
      WTERMSIG(status) != SIGINT) {
    std::cerr << "e2e: " << argv[0] << (argv.size() > 1 ? " " + argv[1] : std::string())
              << " died of signal " << WTERMSIG(status) << "; its stderr:\n"
              << r.err << std::endl;
  }
  return r;
}

TempDir::TempDir() {
  std::string templ = (fs::temp_directory_path() / "halo-test-XXXXXX").string();
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!std::getenv("HALO_KEEP_TEST_DIRS")) fs::remove_all(path_, ec);
}

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string &path, const std::string &content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::vector<std::string> read_lines(const std::string &path) {
  std::vector<std::string> lines;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

RunOutcome run_pipeline(const std::string &pipeline, const std::map<std::string, std::string> &env,
                        const std::vector<std::string> &extra_args) {
  std::vector<std::string> argv{halo_bin(), "run", pipeline, "-q", "--summary-json", "-"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  CommandResult r = run(argv, env);
  return {r.exit_code, r.out, r.err};
}

void run_until_delivered(const std::string &pipeline, int runs) {
  for (int k = 0; k < runs; ++k) {
    RunOutcome r = run_pipeline(pipeline);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (summary_count(r.summary, "messages_retrying") == 0) return;
  }
}

namespace {

// Calls fn(message) for each line of `halo messages list PIPELINE`.
void for_each_message(const std::string &pipeline,
                      const std::function<void(simdjson::dom::element)> &fn) {
  CommandResult r = run({halo_bin(), "messages", "list", pipeline});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  size_t start = 0;
  for (size_t end; (end = r.out.find('\n', start)) != std::string::npos; start = end + 1) {
    fn(parser.parse(r.out.substr(start, end - start)));
  }
}

std::string text_of(simdjson::dom::element e) {
  return std::string(std::string_view(e));
}

}  // namespace

std::map<std::string, std::string> message_statuses(const std::string &pipeline,
                                                    bool with_attempts) {
  std::map<std::string, std::string> out;
  for_each_message(pipeline, [&](simdjson::dom::element e) {
    std::string value = text_of(e["status"]) + "|" + text_of(e["reason"]);
    if (with_attempts) value += "|" + simdjson::minify(e["attempts"]);
    out[text_of(e["idempotency_key"])] = std::move(value);
  });
  return out;
}

std::map<std::string, std::string> message_receipts(const std::string &pipeline) {
  std::map<std::string, std::string> out;
  for_each_message(pipeline, [&](simdjson::dom::element m) {
    simdjson::dom::element receipt = m["receipt"];
    const std::string to = text_of(m["recipient"]);
    EXPECT_EQ(out.count(to), 0u) << "a second message to " << to;
    out[to] = receipt.is_null() ? text_of(m["status"])
                                : text_of(receipt["status"]) + ": " + text_of(receipt["detail"]);
  });
  return out;
}

std::string checkout_customer(const std::string &user, const std::string &traits) {
  return R"({"type":"identify","userId":")" + user + R"(","messageId":"i-)" + user +
         R"(","timestamp":"2026-01-05T09:00:00Z","traits":{)" + traits + "}}\n" +
         R"({"type":"track","event":"Checkout Started","userId":")" + user +
         R"(","messageId":"c-)" + user + R"(","timestamp":"2026-01-05T10:00:00Z"})" + "\n";
}

std::string consent_show(const std::string &pipeline, const std::string &type,
                         const std::string &value) {
  CommandResult r =
      run({halo_bin(), "consent", "show", pipeline, "--" + type, value, "--format", "json"});
  return r.out + r.err;
}

long summary_count(const std::string &json, const std::string &key) {
  size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return -1;
  return std::stol(json.substr(at + key.size() + 3));
}

double json_number(const std::string &json, const std::string &key) {
  size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return std::nan("");
  return std::strtod(json.c_str() + at + key.size() + 3, nullptr);
}

std::string builder_pipeline(const std::string &name, const std::string &plugin,
                             const std::string &config, const std::string &as_of) {
  return "version: 1\nstore: { kind: sqlite, path: var/halo.db }\nrun: { as_of: \"" + as_of +
         "\" }\nsources:\n  - { name: events, plugin: file-jsonl, config: { path: events.jsonl } "
         "}\nfeatures:\n  - { name: " +
         name + ", plugin: " + plugin + ", config: " + config +
         " }\ndestinations:\n  - { name: out, plugin: file-jsonl, config: { path: "
         "var/profiles.jsonl } }\n";
}

void expect_exported(const TempDir &dir, const std::string &user, const std::string &text) {
  const std::string line = exported_profile(dir / "var/profiles.jsonl", user);
  EXPECT_NE(line.find(text), std::string::npos) << user << ": " << line;
}

std::string iso_utc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

double summary_seconds(const std::string &json, const std::string &key) {
  size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return -1;
  return std::stod(json.substr(at + key.size() + 3));
}

std::string exported_profile(const std::string &path, const std::string &user) {
  for (const std::string &line : read_lines(path)) {
    if (line.find("\"" + user + "\"") != std::string::npos) return line;
  }
  ADD_FAILURE() << "no profile for " << user << " in " << path;
  return "";
}

std::string profiles_without_ids(const std::string &path) {
  const std::string key = "{\"profile_id\":\"";
  std::vector<std::string> lines = read_lines(path);
  for (std::string &line : lines) {
    if (line.compare(0, key.size(), key) != 0) continue;  // compared as it is
    size_t end = line.find("\",", key.size());
    if (end != std::string::npos) line.erase(1, end + 2 - 1);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string &line : lines) out += line + "\n";
  return out;
}

std::string install_demo_pipeline(const std::string &dir, const std::string &extra_run) {
  std::string yaml = read_file(source_dir() + "/config/demo.yaml");
  const std::string anchor = "run:\n";
  size_t at = yaml.find(anchor);
  // Settings given in extra_run replace the demo's own.
  const std::string demo_batch = "  batch_size: 4096\n";
  if (extra_run.find("batch_size") != std::string::npos &&
      yaml.find(demo_batch) != std::string::npos) {
    yaml.erase(yaml.find(demo_batch), demo_batch.size());
  }
  if (at != std::string::npos && !extra_run.empty()) {
    yaml.insert(at + anchor.size(), extra_run + "\n");
  }
  std::string path = dir + "/config/demo.yaml";
  write_file(path, yaml);
  return path;
}

namespace {

std::string raw_text(simdjson::dom::element e) {
  if (e.is_string()) return std::string(std::string_view(e));
  return simdjson::minify(e);
}

std::map<std::string, std::set<std::string>> identifier_map(simdjson::dom::object ids) {
  std::map<std::string, std::set<std::string>> out;
  for (auto [type, values] : ids) {
    if (values.get_array().size() == 0) continue;  // truth lists every type
    for (simdjson::dom::element v : values.get_array()) {
      out[std::string(type)].insert(std::string(std::string_view(v)));
    }
  }
  return out;
}

}  // namespace

std::vector<Profile> read_profiles(const std::string &path) {
  simdjson::dom::parser parser;
  std::vector<Profile> out;
  for (const std::string &line : read_lines(path)) {
    simdjson::dom::element doc = parser.parse(line);
    Profile p;
    p.line = line;
    p.id = std::string(std::string_view(doc["profile_id"]));
    p.identifiers = identifier_map(doc["identifiers"].get_object());
    simdjson::dom::element v;
    if (!doc["features"]["order_count"].get(v)) p.order_count = raw_text(v);
    if (!doc["features"]["revenue"].get(v)) p.revenue = raw_text(v);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Person> read_truth(const std::string &path) {
  simdjson::dom::parser parser;
  std::vector<Person> out;
  for (const std::string &line : read_lines(path)) {
    simdjson::dom::element doc = parser.parse(line);
    Person p;
    p.person = std::string(std::string_view(doc["person"]));
    p.identifiers = identifier_map(doc["identifiers"].get_object());
    p.shared = identifier_map(doc["shared"].get_object());
    p.order_count = raw_text(doc["order_count"]);
    p.revenue = raw_text(doc["revenue"]);
    out.push_back(std::move(p));
  }
  return out;
}

bool same_decimal(const std::string &a, const std::string &b) {
  auto canon = [](std::string s) {
    if (s.find('.') != std::string::npos) {
      while (!s.empty() && s.back() == '0') s.pop_back();
      if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s.empty() ? std::string("0") : s;
  };
  return canon(a) == canon(b);
}

std::string shop_events(int customers) {
  std::string out;
  for (int i = 0; i < customers; ++i) {
    std::string u = "c" + std::to_string(i);
    out += R"({"type":"track","event":"Order Completed","userId":")" + u + R"(","messageId":"o-)" +
           u + R"(","timestamp":"2026-01-05T10:00:00Z"})" + "\n";
  }
  return out +
         R"({"type":"identify","anonymousId":"anon","messageId":"v1","timestamp":"2026-01-04T10:00:00Z","traits":{"city":"Tabriz"}})"
         "\n";
}

std::string shop_changes() {
  return R"({"type":"track","event":"Order Completed","userId":"c3","messageId":"o-c3-2","timestamp":"2026-01-06T10:00:00Z"})"
         "\n"
         R"({"type":"track","event":"Page Viewed","userId":"c5","anonymousId":"anon","messageId":"p-c5","timestamp":"2026-01-06T11:00:00Z"})"
         "\n";
}

std::string shop_pipeline(const TempDir &dir, const std::string &destinations) {
  write_file(dir / "pipeline.yaml", R"(version: 1
store: { kind: sqlite, path: halo.db }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: anonymous_id, priority: 9, max_per_profile: 100 }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - name: orders
    plugin: aggregates
    config: { features: { orders: { count: { event: Order Completed } } } }
destinations:
)" + destinations);
  return dir / "pipeline.yaml";
}

std::string segment_pipeline_text(int64_t as_of, const std::string &features,
                                  const std::string &tail) {
  return R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: ")" +
         iso_utc(as_of) +
         R"(" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: anonymous_id, priority: 9, max_per_profile: 100 }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - { name: orders, plugin: aggregates, config: { features: )" +
         features + R"( } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }
)" + tail;
}

}  // namespace halo::e2e
