// zstd_codec.h -- reusable zstd compression/decompression contexts for the
// event log. Contexts are created once per store and reused, so compressing
// a batch costs no allocation beyond growing the output buffer.
// Compression writes into an uninitialised scratch buffer of the worst-case
// size and copies out only the frame, so a huge batch that compresses well
// does not make its worst case resident (zero-filling a std::string would).
//
// Invariant: decompress() never allocates more than the size the caller
// expects (the stored data_size), so a damaged frame cannot exhaust memory.
#pragma once

#include <zstd.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace halo::store {

class ZstdCodec {
 public:
  // `level`: zstd's, negative ones included (its fast levels).
  explicit ZstdCodec(int level);
  ~ZstdCodec();
  ZstdCodec(const ZstdCodec &) = delete;
  ZstdCodec &operator=(const ZstdCodec &) = delete;

  // Replaces `out` with the compressed frame (content size recorded).
  Status compress(std::string_view in, std::string &out);
  // Replaces `out` with exactly `expected_size` decompressed bytes; a frame
  // that decodes to any other size is Corruption.
  Status decompress(std::string_view in, size_t expected_size, std::string &out);

 private:
  int level_;
  ZSTD_CCtx *cctx_;
  ZSTD_DCtx *dctx_;
  std::unique_ptr<char[]> scratch_;  // compress output, never zero-filled
  size_t scratch_size_ = 0;
};

}  // namespace halo::store
