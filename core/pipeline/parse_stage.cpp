// parse_stage.cpp -- parallel normalization with a fixed worker pool.
#include "pipeline/parse_stage.h"

#include <pthread.h>

#include <algorithm>

namespace halo {

ParseStage::ParseStage(const NormalizeOptions &options, int threads) {
  size_t n = static_cast<size_t>(std::max(1, threads));
  for (size_t i = 0; i < n; ++i) normalizers_.push_back(std::make_unique<Normalizer>(options));
  // Slice 0 runs on the calling thread; the others on workers.
  for (size_t i = 1; i < n; ++i) {
    workers_.emplace_back([this, i] {
      pthread_setname_np(pthread_self(), "halo-parse");
      worker_loop(i);
    });
  }
}

ParseStage::~ParseStage() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread &t : workers_) t.join();
}

void ParseStage::parse_slice(size_t index) {
  ParsedSlice &slice = (*slices_)[index];
  slice.events.clear();
  slice.keys.clear();
  slice.rejects.clear();
  slice.stored_without.clear();
  size_t n = raw_->records.size(), parts = parallel_ ? slices_->size() : 1;
  size_t begin = n * index / parts, end = n * (index + 1) / parts;
  Rejection why;
  for (size_t i = begin; i < end; ++i) {
    std::string_view rec = raw_->record(i);
    // Borrowed: the SourceBatch carries raw_ and its slices together, so
    // the record bytes outlive the events that point into them.
    const RawBatch::Record &r = raw_->records[i];
    auto dead_letter = [&](const char *stage, std::string reason, std::string message) {
      return DeadLetter{stage,
                        std::move(reason),
                        std::move(message),
                        std::string(source_),
                        raw_->where(r.origin, r.position),
                        std::string(rec),
                        received_at_ms_};
    };
    Normalizer &normalizer = *normalizers_[index];
    if (!normalizer.normalize(rec, raw_->readable(i), source_, received_at_ms_, slice.events, &why,
                              Normalizer::RawBytes::kBorrow)) {
      slice.rejects.push_back(dead_letter("validate", why.reason, why.message));
      continue;
    }
    for (const IdentifierProblem &p : normalizer.identifier_problems()) {
      slice.stored_without.push_back(
          dead_letter("identifier", "invalid_identifier",
                      p.type + " at " + p.path + " is not a valid " + p.type + " ('" + p.value +
                          "'); the event was stored without it. Fix the value at its source"));
    }
    for (const KindProblem &p : normalizer.kind_problems()) {
      const std::string expected = p.declared == TraitKind::kTime ? std::string("an ISO 8601 time")
                                   : p.declared == TraitKind::kBool
                                       ? std::string("true or false")
                                       : "a " + std::string(trait_kind_name(p.declared));
      if (p.event.empty()) {
        slice.stored_without.push_back(dead_letter(
            "trait", "trait_kind",
            "traits." + p.name + " at " + p.path + " is '" + p.value + "', not " + expected +
                " as `traits:` declares; the event was stored without it. Fix the value at its "
                "source, or the trait's kind and then `halo rebuild`"));
        continue;
      }
      const std::string declared = p.list.empty() ? expected + " as `events:` declares"
                                                  : "a list as `events:` declares (" + p.list + ")";
      slice.stored_without.push_back(dead_letter(
          "property", "property_kind",
          "properties." + p.name + " of '" + p.event + "' is " +
              (p.structured ? std::string(p.list.empty() ? "an object or a list" : "an object")
                            : "'" + p.value + "'") +
              ", not " + declared +
              "; the event was stored without it. Fix the value at its source, or the "
              "property's declaration and then `halo rebuild`"));
    }
  }
  // Dedup keys are hashed here, on all cores, not on the pipeline thread.
  slice.keys.reserve(slice.events.size());
  for (const Event &e : slice.events.events)
    slice.keys.push_back(message_key(e.source, e.message_id));
}

uint64_t ParseStage::blocked_identifiers() const {
  uint64_t n = 0;
  for (const auto &normalizer : normalizers_) n += normalizer->blocked_identifiers();
  return n;
}

void ParseStage::worker_loop(size_t index) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    parse_slice(index);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --pending_;
    }
    done_.notify_one();
  }
}

void ParseStage::run(const RawBatch &raw, std::string_view source, int64_t received_at_ms,
                     std::vector<ParsedSlice> &out) {
  raw_ = &raw;
  source_ = source;
  received_at_ms_ = received_at_ms;
  out.resize(normalizers_.size());
  slices_ = &out;
  parallel_ = !workers_.empty() && raw.records.size() >= 256;
  if (!parallel_) {
    // Small batches: one slice on this thread, the others empty.
    for (size_t i = 1; i < out.size(); ++i) {
      out[i].events.clear();
      out[i].keys.clear();
      out[i].rejects.clear();
      out[i].stored_without.clear();
    }
    parse_slice(0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ = workers_.size();
    ++generation_;
  }
  wake_.notify_all();
  parse_slice(0);
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return pending_ == 0; });
}

bool ParseStage::normalize_one(std::string_view raw, std::string_view source,
                               int64_t received_at_ms, EventBatch &out, Rejection *why) {
  return normalizers_[0]->normalize(raw, source, received_at_ms, out, why);
}

}  // namespace halo
