// parse_stage.h -- turns a source's raw records into normalized events on
// all cores.
//
// The records of one RawBatch are cut into contiguous slices, one per
// worker; each worker owns a Normalizer (simdjson parser state is not
// shareable) and writes into its own EventBatch, so no locking is needed.
// Slices are returned in record order, which keeps the pipeline
// deterministic whatever the thread count.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "event/event.h"
#include "normalize/normalizer.h"
#include "pipeline/message_keys.h"
#include "plugin_host/host_api.h"
#include "store/store.h"

namespace halo {

struct ParsedSlice {
  EventBatch events;
  std::vector<MessageKey> keys;  // keys[i]: dedup key of events.events[i]
  std::vector<DeadLetter> rejects;
  // Accepted events stored without a value they carried: an identifier
  // that did not normalize (dead letters of stage "identifier") or a trait
  // value of another kind than declared (stage "trait").
  std::vector<DeadLetter> stored_without;
};

class ParseStage {
 public:
  ParseStage(const NormalizeOptions &options, int threads);
  ~ParseStage();
  ParseStage(const ParseStage &) = delete;
  ParseStage &operator=(const ParseStage &) = delete;

  // Normalizes every record of `raw` into `out` (resized to one slice per
  // worker; buffers of earlier contents are reused), slices in record order.
  // The events point into `raw` (Normalizer::RawBytes::kBorrow): keep it
  // alive and unchanged while they are used. One run() at a time.
  void run(const RawBatch &raw, std::string_view source, int64_t received_at_ms,
           std::vector<ParsedSlice> &out);
  // Normalizes one logged record (rebuild path) into slice 0.
  bool normalize_one(std::string_view raw, std::string_view source, int64_t received_at_ms,
                     EventBatch &out, Rejection *why);
  // Identifier values its normalizers skipped as block-listed, since
  // construction. Call between runs only.
  uint64_t blocked_identifiers() const;

 private:
  void worker_loop(size_t index);
  void parse_slice(size_t index);

  std::vector<std::unique_ptr<Normalizer>> normalizers_;
  std::vector<ParsedSlice> *slices_ = nullptr;  // output of the current run()
  std::vector<std::thread> workers_;
  // Job description shared with the workers for the current run().
  const RawBatch *raw_ = nullptr;
  std::string_view source_;
  int64_t received_at_ms_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  uint64_t generation_ = 0;
  size_t pending_ = 0;
  bool stopping_ = false;
  bool parallel_ = false;
};

}  // namespace halo
