// test_support.cpp -- see test_support.h.
#include "test_support.h"

#include <unistd.h>
#include <atomic>
#include <fstream>
#include <sstream>

namespace halo::datagen::testing {

namespace {
// Removes every directory fresh_dir() made when the test process exits, so
// repeated runs do not fill /tmp with generated data.
struct TempDirs {
  std::vector<std::filesystem::path> dirs;
  ~TempDirs() {
    std::error_code ignored;
    for (const auto &dir : dirs) std::filesystem::remove_all(dir, ignored);
  }
};
}  // namespace

std::filesystem::path fresh_dir(std::string_view tag) {
  static TempDirs made;
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("halo-datagen-test-" + std::to_string(::getpid()) + "-" + std::string(tag) + "-" +
              std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  made.dirs.push_back(dir);
  return dir;
}

std::string read_file(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> split_csv(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::string normalize_email(std::string_view raw) {
  while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
  while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
  std::string out(raw);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<std::string> normalize_phone(std::string_view raw) {
  std::string digits;
  for (size_t i = 0; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c >= '0' && c <= '9') {
      digits += static_cast<char>(c);
    } else if (c == '+' && digits.empty()) {
      digits += '+';
    } else if ((c == 0xDB || c == 0xD9) && i + 1 < raw.size()) {
      // Persian U+06F0..9 = DB B0..B9, Arabic-Indic U+0660..9 = D9 A0..A9
      const auto next = static_cast<unsigned char>(raw[i + 1]);
      const unsigned zero = c == 0xDB ? 0xB0 : 0xA0;
      if (next < zero || next > zero + 9) return std::nullopt;
      digits += static_cast<char>('0' + (next - zero));
      ++i;
    } else if (c != ' ' && c != '-') {
      return std::nullopt;
    }
  }
  std::string_view d = digits;
  if (d.starts_with("+98")) {
    d.remove_prefix(3);
  } else if (d.starts_with("0098")) {
    d.remove_prefix(4);
  } else if (d.starts_with("0")) {
    d.remove_prefix(1);
  } else {
    return std::nullopt;
  }
  if (d.size() != 10 || d[0] != '9') return std::nullopt;
  return "+98" + std::string(d);
}

std::optional<int64_t> parse_minor_units(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t units = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    units = units * 10 + (text[i] - '0');
  }
  int64_t cents = 0;
  if (i < text.size()) {
    const std::string_view frac = text.substr(i + 1);
    if (frac.size() != 2) return std::nullopt;
    for (char c : frac) {
      if (c < '0' || c > '9') return std::nullopt;
      cents = cents * 10 + (c - '0');
    }
  }
  return units * 100 + cents;
}

}  // namespace halo::datagen::testing

#include <stdexcept>

#include "demo.h"

namespace halo::datagen::testing {

const std::filesystem::path &shared_demo_dir() {
  static const std::filesystem::path dir = [] {
    auto d = fresh_dir("shared");
    auto result = run_demo({d, kSharedCustomers, kSharedSeed});
    if (!result.ok()) throw std::runtime_error(result.status().message());
    return d;
  }();
  return dir;
}

}  // namespace halo::datagen::testing
