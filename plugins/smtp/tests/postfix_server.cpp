// postfix_server.cpp -- see postfix_server.h.
#include "postfix_server.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "contract_process.h"
#include "loopback_port.h"

namespace halo::test {
namespace fs = std::filesystem;

namespace {

constexpr const char *kPostfix = "/usr/sbin/postfix";

std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

void chown_to(const std::string &path, const char *user) {
  const passwd *pw = ::getpwnam(user);
  if (pw == nullptr || ::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    throw std::runtime_error("cannot give " + path + " to user " + user);
  }
}

// The Postfix services a delivering instance needs (master.cf(5)), with
// no chroot so nothing must be copied into the queue directory.
constexpr const char *kServices = R"(pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
virtual   unix  - n n - - virtual
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
)";

}  // namespace

std::string DeliveredMail::header(const std::string &name) const {
  std::istringstream in(text);
  std::string line, value;
  bool inside = false;
  auto lower = [](std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;  // end of the headers
    if (inside && (line[0] == ' ' || line[0] == '\t')) {
      value += line;
      continue;
    }
    if (inside) return value;
    const size_t colon = line.find(':');
    if (colon != std::string::npos && lower(line.substr(0, colon)) == lower(name)) {
      inside = true;
      value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
    }
  }
  return value;
}

PostfixServer::PostfixServer(std::string dir, std::vector<std::string> domains)
    : dir_(std::move(dir)), domains_(std::move(domains)) {}

PostfixServer::~PostfixServer() {
  stop();
}

void PostfixServer::write_config() const {
  std::string domains;
  for (const std::string &d : domains_) domains += (domains.empty() ? "" : ", ") + d;
  if (std::find(domains_.begin(), domains_.end(), "*") != domains_.end()) domains = "static:all";
  spit(dir_ + "/main.cf",
       "compatibility_level = 3.6\n"
       "queue_directory = " +
           dir_ +
           "/queue\n"
           "data_directory = " +
           dir_ +
           "/data\n"
           "mail_owner = postfix\n"
           "myhostname = halo-test.localhost\n"
           "mydestination =\n"
           "alias_maps =\n"
           "alias_database =\n"
           "inet_interfaces = 127.0.0.1\n"
           "inet_protocols = ipv4\n"
           "maillog_file = " +
           dir_ +
           "/maillog\n"
           "maillog_file_prefixes = " +
           dir_ +
           "\n"
           "smtp_dns_support_level = disabled\n"
           "smtpd_tls_cert_file = " +
           dir_ +
           "/server.pem\n"
           "smtpd_tls_key_file = " +
           dir_ +
           "/server.key\n"
           "smtpd_tls_security_level = may\n"
           "smtpd_relay_restrictions = reject_unauth_destination\n"
           "smtpd_recipient_restrictions = check_recipient_access texthash:" +
           dir_ +
           "/unknown_users\n"
           "virtual_mailbox_domains = " +
           domains +
           "\n"
           "virtual_mailbox_base = " +
           dir_ +
           "\n"
           "virtual_mailbox_maps = static:maildir/\n"
           // Recipients with an error(8) transport are taken, then bounced
           // (add_later_bounce), not refused while the client waits.
           "smtpd_reject_unlisted_recipient = no\n"
           "transport_maps = texthash:" +
           dir_ +
           "/transport\n"
           "virtual_uid_maps = static:65534\n"
           "virtual_gid_maps = static:65534\n");
  // What Postfix answers for a mailbox its tables do not hold (access(5):
  // a "5NN text" action).
  std::string unknown;
  for (const std::string &a : unknown_) {
    unknown += a + " 550 5.1.1 <" + a + ">: Recipient address rejected: User unknown\n";
  }
  spit(dir_ + "/unknown_users", unknown);
  // error(8): accepted, then bounced with this status (transport(5)).
  std::string transport;
  for (const std::string &a : later_bounces_) {
    transport += a + " error:5.1.1 Mailbox does not exist\n";
  }
  spit(dir_ + "/transport", transport);
  spit(dir_ + "/master.cf",
       "127.0.0.1:" + std::to_string(port_) + " inet n - n - - smtpd\n" + kServices);
}

std::string PostfixServer::postfix(const std::string &command) const {
  const std::string cmd = std::string(kPostfix) + " -c " + dir_ + " " + command + " 2>&1";
  std::string out;
  if (FILE *p = ::popen(cmd.c_str(), "r")) {
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

void PostfixServer::start() {
  if (!fs::exists(kPostfix)) {
    throw std::runtime_error(
        "Postfix is not installed (apt-get install postfix; tools/install-deps.sh does)");
  }
  if (::geteuid() != 0) throw std::runtime_error("Postfix must be started as root");
  fs::create_directories(dir_ + "/queue");
  // The daemons open files as `postfix` and deliver as `nobody`: both must
  // pass through the test's private directory (0700 from mkdtemp).
  for (fs::path p = dir_; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    if (p.parent_path() == fs::temp_directory_path()) {
      fs::permissions(p, fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
      break;
    }
    fs::permissions(p, fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
  }
  fs::create_directories(dir_ + "/data");
  fs::create_directories(dir_ + "/maildir");
  chown_to(dir_ + "/data", "postfix");
  chown_to(dir_ + "/maildir", "nobody");
  contract::make_test_ca(dir_);
  if (port_ == 0) port_ = unused_loopback_port();  // a restart keeps its port
  write_config();
  master_.spawn({kPostfix, "-c", dir_, "start-fg"});
  master_.wait_until_ready([&] { return loopback_port_accepts(port_); }, "postfix start-fg",
                           std::chrono::seconds(20), [&] { return log(); });
}

void PostfixServer::stop() {
  master_.stop([&] { postfix("stop"); });
}

std::vector<DeliveredMail> PostfixServer::delivered() const {
  std::vector<DeliveredMail> out;
  for (const char *sub : {"/maildir/new", "/maildir/cur"}) {
    const fs::path d = dir_ + sub;
    if (!fs::exists(d)) continue;
    for (const auto &entry : fs::directory_iterator(d)) {
      out.push_back({entry.path().string(), slurp(entry.path().string())});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const DeliveredMail &a, const DeliveredMail &b) { return a.path < b.path; });
  return out;
}

std::vector<DeliveredMail> PostfixServer::wait_for(size_t count, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::vector<DeliveredMail> mail = delivered();
  while (mail.size() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    mail = delivered();
  }
  return mail;
}

std::string PostfixServer::log() const {
  return slurp(dir_ + "/maillog");
}

}  // namespace halo::test
