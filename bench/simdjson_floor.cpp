// simdjson_floor.cpp -- the floor for the pipeline benchmark: read a JSONL
// file in large blocks and fully parse every line with simdjson (DOM, which
// validates the whole record), on one core. Prints lines, seconds, lines/s
// and MB/s as one JSON object.
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string_view>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: halo-bench-floor FILE.jsonl\n");
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  simdjson::padded_string file;
  if (simdjson::padded_string::load(argv[1]).get(file)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  simdjson::dom::parser parser;
  std::string_view all(file.data(), file.size());
  size_t lines = 0, ok = 0;
  for (size_t pos = 0; pos < all.size();) {
    size_t end = all.find('\n', pos);
    if (end == std::string_view::npos) end = all.size();
    if (end > pos) {
      ++lines;
      simdjson::dom::element doc;
      // The file buffer is padded at its end and lines are followed by more
      // bytes, so parsing in place is safe (realloc_if_needed = false).
      if (!parser.parse(all.data() + pos, end - pos, false).get(doc)) ++ok;
    }
    pos = end + 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"lines\":%zu,\"valid\":%zu,\"seconds\":%.3f,\"lines_per_s\":%.0f,\"mb_per_s\":%.1f}\n",
      lines, ok, secs, lines / secs, file.size() / secs / 1e6);
  return 0;
}
