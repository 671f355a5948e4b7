// server_exchange.cpp -- request/response helpers (see server_exchange.h).
#include "http_server/server_exchange.h"

#include <strings.h>

namespace halo {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

const std::string *ServerRequest::header(std::string_view name) const {
  for (const auto &[k, v] : headers) {
    if (same_name(k, name)) return &v;
  }
  return nullptr;
}

void ServerResponse::set_header(std::string_view name, std::string_view value) {
  for (auto &[k, v] : headers) {
    if (same_name(k, name)) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

void split_target(std::string_view target, std::string &path, std::string &query) {
  size_t q = target.find('?');
  path = target.substr(0, q);
  query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
}

ServerResponse error_response(int status, std::string_view message) {
  ServerResponse r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = "{\"error\":\"";
  for (char c : message) r.body += (c == '"' || c == '\\') ? '\'' : c;
  r.body += "\"}";
  return r;
}

}  // namespace halo
