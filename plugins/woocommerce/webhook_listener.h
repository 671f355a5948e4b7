// webhook_listener.h -- a deliberately tiny HTTP/1.0-style server for the
// webhook receiver: one background thread accepts connections on
// HOST:PORT, reads one request (headers + Content-Length body), hands it to
// a handler and closes the connection (WooCommerce delivers with HTTP/1.0,
// one request per connection).
//
// Invariants: start() returns only once the socket listens (or throws
// halo::Error naming the address); stop() (and the destructor) joins the
// thread; requests over the size limits get 413/431 without calling the
// handler; a stalled client times out after 5 s and cannot block stop()
// for longer than that.
#pragma once

#include "webhook_intake.h"

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace halo::woo {

class WebhookListener {
 public:
  using Handler = std::function<WebhookReply(const WebhookRequest &)>;

  WebhookListener(std::string host, int port, Handler handler);
  ~WebhookListener();
  WebhookListener(const WebhookListener &) = delete;
  WebhookListener &operator=(const WebhookListener &) = delete;

  void start();
  void stop();
  int port() const { return port_; }

 private:
  void serve();
  void serve_connection(int fd);

  std::string host_;
  int port_;
  Handler handler_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace halo::woo
