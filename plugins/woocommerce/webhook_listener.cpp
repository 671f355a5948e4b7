// webhook_listener.cpp -- POSIX socket loop of the webhook receiver (see
// webhook_listener.h).
#include "webhook_listener.h"

#include <halo/sdk.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace halo::woo {
namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;
constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

const char *reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

void write_all(int fd, const std::string &data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

void send_reply(int fd, const WebhookReply &r) {
  std::string out =
      "HTTP/1.1 " + std::to_string(r.status) + " " + reason_phrase(r.status) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(r.body.size()) +
      "\r\nConnection: close\r\n\r\n" + r.body;
  write_all(fd, out);
}

// Parses the request line and headers of `head` (without the blank line).
bool parse_head(const std::string &head, WebhookRequest &req, size_t &content_length) {
  size_t line_end = head.find("\r\n");
  std::string line = head.substr(0, line_end);
  size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return false;
  req.method = line.substr(0, sp1);
  req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  content_length = 0;
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string h = head.substr(pos, end - pos);
    size_t colon = h.find(':');
    if (colon != std::string::npos) {
      size_t v = h.find_first_not_of(" \t", colon + 1);
      req.headers.emplace_back(h.substr(0, colon), v == std::string::npos ? "" : h.substr(v));
      if (strcasecmp(req.headers.back().first.c_str(), "Content-Length") == 0) {
        content_length = std::strtoull(req.headers.back().second.c_str(), nullptr, 10);
      }
    }
    pos = end + 2;
  }
  return true;
}

}  // namespace

WebhookListener::WebhookListener(std::string host, int port, Handler handler)
    : host_(std::move(host)), port_(port), handler_(std::move(handler)) {}

WebhookListener::~WebhookListener() {
  stop();
}

void WebhookListener::start() {
  std::string where = host_ + ":" + std::to_string(port_);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  if (inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1) {
    throw halo::Error("webhook listen address '" + where + "' is not an IPv4 address", HALO_FATAL);
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(listen_fd_, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    std::string err = std::strerror(errno);
    ::close(listen_fd_);
    listen_fd_ = -1;
    throw halo::Error("cannot listen for webhooks on " + where + ": " + err, HALO_FATAL);
  }
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr *>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  stopping_ = false;
  thread_ = std::thread([this] { serve(); });
}

void WebhookListener::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void WebhookListener::serve() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;  // wake regularly to notice stop()
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    serve_connection(fd);
    ::close(fd);
  }
}

void WebhookListener::serve_connection(int fd) {
  std::string data;
  char buf[16384];
  size_t head_end = std::string::npos;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    if (data.size() > kMaxHeaderBytes) return send_reply(fd, {431, "{}"});
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return;
    data.append(buf, static_cast<size_t>(n));
  }
  WebhookRequest req;
  size_t length = 0;
  if (!parse_head(data.substr(0, head_end), req, length)) return send_reply(fd, {400, "{}"});
  if (length > kMaxBodyBytes) return send_reply(fd, {413, "{}"});
  req.body = data.substr(head_end + 4);
  while (req.body.size() < length) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return;  // truncated delivery: no answer, the sender sees a failure
    req.body.append(buf, static_cast<size_t>(n));
  }
  req.body.resize(length);
  send_reply(fd, handler_(req));
}

}  // namespace halo::woo
