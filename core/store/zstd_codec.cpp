// zstd_codec.cpp -- zstd contexts for the event log (see zstd_codec.h).
#include "store/zstd_codec.h"

namespace halo::store {

ZstdCodec::ZstdCodec(int level)
    : level_(level), cctx_(ZSTD_createCCtx()), dctx_(ZSTD_createDCtx()) {}

ZstdCodec::~ZstdCodec() {
  ZSTD_freeCCtx(cctx_);
  ZSTD_freeDCtx(dctx_);
}

Status ZstdCodec::compress(std::string_view in, std::string &out) {
  if (!cctx_) return Status::Internal("zstd: cannot allocate a compression context");
  const size_t bound = ZSTD_compressBound(in.size());
  // Grown for big batches, given back after a huge one (over 64 MiB).
  constexpr size_t kKeep = size_t{64} << 20;
  if (bound > scratch_size_ || (scratch_size_ > kKeep && bound <= kKeep)) {
    scratch_.reset(new char[bound]);  // uninitialised on purpose
    scratch_size_ = bound;
  }
  size_t n = ZSTD_compressCCtx(cctx_, scratch_.get(), bound, in.data(), in.size(), level_);
  if (ZSTD_isError(n))
    return Status::Internal(std::string("zstd compress: ") + ZSTD_getErrorName(n));
  out.assign(scratch_.get(), n);
  return Status::Ok();
}

Status ZstdCodec::decompress(std::string_view in, size_t expected_size, std::string &out) {
  if (!dctx_) return Status::Internal("zstd: cannot allocate a decompression context");
  unsigned long long frame_size = ZSTD_getFrameContentSize(in.data(), in.size());
  if (frame_size == ZSTD_CONTENTSIZE_ERROR) {
    return Status::Corruption("data is not a zstd frame");
  }
  if (frame_size != ZSTD_CONTENTSIZE_UNKNOWN && frame_size != expected_size) {
    return Status::Corruption("zstd frame holds " + std::to_string(frame_size) +
                              " bytes but the row records " + std::to_string(expected_size));
  }
  out.resize(expected_size);
  size_t n = ZSTD_decompressDCtx(dctx_, out.data(), out.size(), in.data(), in.size());
  if (ZSTD_isError(n)) return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(n));
  if (n != expected_size) {
    return Status::Corruption("zstd frame decoded to " + std::to_string(n) + " bytes, expected " +
                              std::to_string(expected_size));
  }
  return Status::Ok();
}

}  // namespace halo::store
