// dovecot_server.cpp -- see dovecot_server.h.
#include "dovecot_server.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "contract_process.h"
#include "loopback_port.h"

namespace halo::test {
namespace fs = std::filesystem;

namespace {

constexpr const char *kDovecot = "/usr/sbin/dovecot";

void spit(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

const passwd &dovecot_user() {
  const passwd *pw = ::getpwnam("dovecot");
  if (pw == nullptr) throw std::runtime_error("no `dovecot` user (apt-get install dovecot-imapd)");
  return *pw;
}

void chown_tree(const fs::path &root, const passwd &pw) {
  if (::chown(root.c_str(), pw.pw_uid, pw.pw_gid) != 0) {
    throw std::runtime_error("cannot give " + root.string() + " to dovecot");
  }
  for (const auto &entry : fs::recursive_directory_iterator(root)) {
    if (::chown(entry.path().c_str(), pw.pw_uid, pw.pw_gid) != 0) {
      throw std::runtime_error("cannot give " + entry.path().string() + " to dovecot");
    }
  }
}

}  // namespace

DovecotServer::DovecotServer(std::string dir) : dir_(std::move(dir)) {}

DovecotServer::~DovecotServer() {
  stop();
}

void DovecotServer::start() {
  if (!fs::exists(kDovecot)) {
    throw std::runtime_error(
        "Dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d; "
        "tools/install-deps.sh does)");
  }
  if (::geteuid() != 0) throw std::runtime_error("Dovecot must be started as root");
  const passwd &pw = dovecot_user();
  fs::create_directories(dir_);
  // The mail processes run as `dovecot`: they must pass through the test's
  // private directory (0700 from mkdtemp).
  for (fs::path p = dir_; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    fs::permissions(p, fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
    if (p.parent_path() == fs::temp_directory_path()) break;
  }
  for (const char *sub : {"mail/new", "mail/cur", "mail/tmp", "run"}) {
    fs::create_directories(dir_ + "/" + sub);
  }
  chown_tree(dir_ + "/mail", pw);
  contract::make_test_ca(dir_);
  if (imap_port_ == 0) imap_port_ = unused_loopback_port();
  if (pop3s_port_ == 0) pop3s_port_ = unused_loopback_port();
  spit(dir_ + "/passwd", std::string(kUser) + ":{PLAIN}" + kPassword + "\n");
  spit(dir_ + "/dovecot.conf",
       "base_dir = " + dir_ + "/run\nstate_dir = " + dir_ + "/run\nlog_path = " + dir_ +
           "/dovecot.log\n"
           "protocols = imap pop3\nlisten = 127.0.0.1\n"
           "first_valid_uid = 1\nlast_valid_uid = 0\n"
           "ssl = yes\nssl_cert = <" +
           dir_ + "/server.pem\nssl_key = <" + dir_ +
           "/server.key\n"
           "auth_mechanisms = plain login\n"
           "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u " +
           dir_ + "/passwd\n}\n" +
           "userdb {\n  driver = static\n  args = uid=" + std::to_string(pw.pw_uid) +
           " gid=" + std::to_string(pw.pw_gid) + " home=" + dir_ + " mail=maildir:" + dir_ +
           "/mail\n}\n"
           "service imap-login {\n  inet_listener imap {\n    port = " +
           std::to_string(imap_port_) +
           "\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}\n"
           "service pop3-login {\n  inet_listener pop3 {\n    port = 0\n  }\n"
           "  inet_listener pop3s {\n    port = " +
           std::to_string(pop3s_port_) + "\n    ssl = yes\n  }\n}\n");
  const std::string conf = dir_ + "/dovecot.conf";
  master_.spawn({kDovecot, "-F", "-c", conf});
  master_.wait_until_ready(
      [&] { return loopback_port_accepts(imap_port_) && loopback_port_accepts(pop3s_port_); },
      "dovecot", std::chrono::seconds(20), [&] { return log(); });
}

void DovecotServer::stop() {
  master_.stop();
}

void DovecotServer::deliver(const std::string &mail) {
  ++delivered_;
  const std::string name =
      std::to_string(1764662400 + delivered_) + ".M" + std::to_string(delivered_) + "P1.halo-test";
  const std::string tmp = dir_ + "/mail/tmp/" + name;
  spit(tmp, mail);
  const passwd &pw = dovecot_user();
  if (::chown(tmp.c_str(), pw.pw_uid, pw.pw_gid) != 0) {
    throw std::runtime_error("cannot give " + tmp + " to dovecot");
  }
  fs::rename(tmp, dir_ + "/mail/new/" + name);
}

void DovecotServer::renumber() {
  for (const auto &entry : fs::directory_iterator(dir_ + "/mail")) {
    if (entry.path().filename().string().starts_with("dovecot")) fs::remove_all(entry.path());
  }
}

size_t DovecotServer::stored() const {
  size_t n = 0;
  for (const char *sub : {"/mail/new", "/mail/cur"}) {
    for ([[maybe_unused]] const auto &entry : fs::directory_iterator(dir_ + sub)) ++n;
  }
  return n;
}

std::string DovecotServer::log() const {
  std::ifstream in(dir_ + "/dovecot.log", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace halo::test
