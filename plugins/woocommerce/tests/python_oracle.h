// python_oracle.h -- runs a short Python 3 script and returns its stdout,
// so tests can compare the connector's cryptography and encodings with an
// independent implementation (Python's hmac/hashlib/urllib/base64) instead
// of calling the code under test twice.
#pragma once

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace halo::woo::testing {

// Writes `script` to a temp file, runs python3 on it, returns stdout with
// the trailing newline removed. Throws when python3 fails.
inline std::string python(const std::string &script) {
  char path[] = "/tmp/woo_oracle_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  std::ofstream(path) << script;
  std::string out;
  FILE *p = popen(("python3 " + std::string(path)).c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  unlink(path);
  if (rc != 0) throw std::runtime_error("python3 oracle failed: " + script);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// A Python string literal for `s` (bytes escaped as \xNN).
inline std::string py_literal(const std::string &s) {
  std::string out = "b'";
  char hex[5];
  for (unsigned char c : s) {
    std::snprintf(hex, sizeof(hex), "\\x%02x", c);
    out += hex;
  }
  return out + "'.decode('utf-8')";
}

}  // namespace halo::woo::testing
