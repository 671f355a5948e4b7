// codec_bench.cpp -- bench/codec.sh: the event log's codec on a real log.
// Reads every stored batch of a store (decoded, then encoded again: the
// exact payloads the store compressed) and compresses and decompresses all
// of them with zstd at the store's level and at faster levels, and with
// LZ4, one codec after another in each round, on one core. Prints per
// codec: compressed size against the payloads, compression and
// decompression MB/s.
//   halo-bench-codec STORE.db [ROUNDS]
#include <lz4.h>
#include <zstd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "store/event_codec.h"
#include "store/sqlite_store.h"

namespace {

struct Codec {
  std::string name;
  // Compresses `in` into `out` (sized by the caller); returns the size.
  std::function<size_t(const std::string &in, std::string &out)> compress;
  std::function<void(const char *in, size_t n, std::string &out)> decompress;
};

Codec zstd(int level) {
  auto *cctx = ZSTD_createCCtx();
  auto *dctx = ZSTD_createDCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  return {"zstd " + std::to_string(level),
          [cctx](const std::string &in, std::string &out) {
            out.resize(ZSTD_compressBound(in.size()));
            return ZSTD_compress2(cctx, out.data(), out.size(), in.data(), in.size());
          },
          [dctx](const char *in, size_t n, std::string &out) {
            ZSTD_decompressDCtx(dctx, out.data(), out.size(), in, n);
          }};
}

Codec lz4(int acceleration) {
  return {"lz4 acceleration " + std::to_string(acceleration),
          [acceleration](const std::string &in, std::string &out) {
            out.resize(LZ4_compressBound(static_cast<int>(in.size())));
            return static_cast<size_t>(
                LZ4_compress_fast(in.data(), out.data(), static_cast<int>(in.size()),
                                  static_cast<int>(out.size()), acceleration));
          },
          [](const char *in, size_t n, std::string &out) {
            LZ4_decompress_safe(in, out.data(), static_cast<int>(n), static_cast<int>(out.size()));
          }};
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: halo-bench-codec STORE.db [ROUNDS]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 2;
  auto store = halo::SqliteStore::open(argv[1], {.read_only = true});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  std::vector<std::string> payloads;
  size_t total = 0;
  halo::Status s = (*store)->scan_events([&](const std::vector<halo::LoggedEvent> &batch) {
    std::string payload;
    halo::Status e = halo::store::encode_batch(batch, payload);
    total += payload.size();
    payloads.push_back(std::move(payload));
    return e;
  });
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  std::printf("%zu batches, %.1f MB of payload\n", payloads.size(), total / 1e6);
  std::vector<Codec> codecs = {zstd(1), zstd(-1), zstd(-3), zstd(-7), lz4(1), lz4(4)};
  std::vector<std::string> frames(payloads.size());
  std::string scratch, back;
  for (int round = 1; round <= rounds; ++round) {
    for (const Codec &c : codecs) {
      size_t stored = 0;
      auto start = std::chrono::steady_clock::now();
      for (size_t i = 0; i < payloads.size(); ++i) {
        const size_t n = c.compress(payloads[i], scratch);
        frames[i].assign(scratch.data(), n);
        stored += n;
      }
      const double packing = seconds_since(start);
      start = std::chrono::steady_clock::now();
      for (size_t i = 0; i < payloads.size(); ++i) {
        back.resize(payloads[i].size());
        c.decompress(frames[i].data(), frames[i].size(), back);
        if (back != payloads[i]) {
          std::fprintf(stderr, "%s: batch %zu does not round-trip\n", c.name.c_str(), i);
          return 1;
        }
      }
      const double unpacking = seconds_since(start);
      std::printf(
          "round %d  %-20s %6.1f%% of the payload  compress %6.0f MB/s  decompress %6.0f MB/s\n",
          round, c.name.c_str(), 100.0 * stored / total, total / 1e6 / packing,
          total / 1e6 / unpacking);
    }
  }
  return 0;
}
