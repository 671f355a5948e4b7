// contract_process.cpp -- starting a contract server and the tiny plain-HTTP
// control client of ContractProcess (see contract_process.h).
#include "contract_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <simdjson.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace halo::contract {
namespace {

namespace fs = std::filesystem;

std::string shell_quote(const std::string &s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

int read_port(const std::string &file) {
  std::ifstream in(file);
  int port = 0;
  return (in >> port) ? port : 0;
}

// Sends one HTTP/1.1 request with Connection: close; returns (status, body).
std::pair<int, std::string> http_call(int port, const std::string &method, const std::string &path,
                                      const std::string &body) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("contract control: socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("contract control: cannot connect to 127.0.0.1:" +
                             std::to_string(port) + ": " + std::strerror(errno));
  }
  std::string req =
      method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
      "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  for (size_t sent = 0; sent < req.size();) {
    ssize_t n = send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string resp;
  char buf[8192];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) resp.append(buf, static_cast<size_t>(n));
  close(fd);
  size_t head_end = resp.find("\r\n\r\n");
  if (resp.compare(0, 9, "HTTP/1.1 ") != 0 || head_end == std::string::npos) {
    throw std::runtime_error("contract control: bad response to " + method + " " + path);
  }
  return {std::atoi(resp.c_str() + 9), resp.substr(head_end + 4)};
}

}  // namespace

std::string contract_dir() {
  return HALO_CONTRACT_DIR;
}

void make_test_ca(const std::string &dir) {
  std::string cmd =
      "bash " + shell_quote(contract_dir() + "/make_test_ca.sh") + " " + shell_quote(dir);
  if (std::system(cmd.c_str()) != 0 || !fs::exists(dir + "/ca.pem")) {
    throw std::runtime_error("make_test_ca: '" + cmd + "' failed (is the openssl CLI installed?)");
  }
}

ContractProcess::~ContractProcess() {
  stop();
}

int ContractProcess::start(const std::string &script, const std::vector<std::string> &args,
                           const std::string &tls_dir) {
  if (child_.running()) throw std::runtime_error("contract: " + script_ + " already started");
  script_ = script;
  tls_ = !tls_dir.empty();
  char tmpl[] = "/tmp/halo-contract-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("contract: mkdtemp failed");
  run_dir_ = tmpl;
  std::vector<std::string> argv{"python3", script};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--port-file", run_dir_ + "/port", "--control-port-file",
                           run_dir_ + "/control-port"});
  if (tls_)
    argv.insert(argv.end(), {"--cert", tls_dir + "/server.pem", "--key", tls_dir + "/server.key"});
  std::string python_path = contract_dir();
  if (const char *old = std::getenv("PYTHONPATH")) python_path += std::string(":") + old;
  child_.spawn(argv, {{"PYTHONPATH", python_path}});
  child_.wait_until_ready(
      [&] {
        control_port_ = read_port(run_dir_ + "/control-port");
        port_ = read_port(run_dir_ + "/port");
        return port_ > 0 && control_port_ > 0;
      },
      "contract: " + script, std::chrono::seconds(15));
  return port_;
}

void ContractProcess::stop() {
  child_.stop();
  if (!run_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(run_dir_, ec);
    run_dir_.clear();
  }
}

void ContractProcess::kill_now() {
  child_.kill_now();
  stop();
}

std::string ContractProcess::base_url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::string ContractProcess::control(const std::string &method, const std::string &path,
                                     const std::string &body) const {
  if (control_port_ <= 0) throw std::runtime_error("contract: server not started");
  auto [status, text] = http_call(control_port_, method, path, body);
  if (status < 200 || status > 299) {
    throw std::runtime_error("contract control " + method + " " + path + " -> HTTP " +
                             std::to_string(status) + ": " + text);
  }
  return text;
}

std::string ContractProcess::stats() const {
  return control("GET", "/__control/stats");
}
void ContractProcess::inject(const std::string &fault_json) const {
  control("POST", "/__control/faults", fault_json);
}
void ContractProcess::reset_stats() const {
  control("POST", "/__control/reset-stats");
}
std::string ContractProcess::request_log() const {
  return control("GET", "/__control/requests");
}

int64_t ContractProcess::stat(const std::string &name) const {
  simdjson::dom::parser parser;
  int64_t value = 0;
  if (parser.parse(stats())[name].get_int64().get(value) != simdjson::SUCCESS) {
    throw std::runtime_error("contract stats have no integer '" + name + "'");
  }
  return value;
}

int64_t ContractProcess::requests_for(const std::string &path) const {
  simdjson::dom::parser parser;
  int64_t value = 0;
  auto err = parser.parse(stats())["by_path"][path].get_int64().get(value);
  return err == simdjson::SUCCESS ? value : 0;
}

}  // namespace halo::contract
