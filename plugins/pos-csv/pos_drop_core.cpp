// pos_drop_core.cpp -- planning, reading, cursor and post-commit moves.
#include "pos_drop_core.h"

#include "common/block_buffer.h"

#include <algorithm>
#include <filesystem>
#include <unordered_set>

namespace fs = std::filesystem;

namespace halo::plugins {

namespace {

std::string name_of(const std::string &path) {
  return fs::path(path).filename().string();
}

}  // namespace

PosDropCore::PosDropCore(PosDropOptions options, std::unique_ptr<RecordFileReader> reader)
    : options_(std::move(options)),
      reader_(std::move(reader)),
      state_{ProcessedSet(options_.remember_files), std::nullopt} {}

bool PosDropCore::restore(std::string_view cursor, std::string &error) {
  PosCursor decoded{ProcessedSet(options_.remember_files), std::nullopt};
  if (!decode_pos_cursor(cursor, decoded, error)) return false;
  state_ = std::move(decoded);
  processed_dirty_ = true;
  return true;
}

void PosDropCore::log_info(const std::string &m) const {
  if (options_.info) options_.info("pos-csv: " + m);
}

void PosDropCore::log_warn(const std::string &m) const {
  if (options_.warn) options_.warn("pos-csv: " + m);
}

// Scans the folder and decides, per ready file, skip / resume / read.
void PosDropCore::plan(RecordSink &sink) {
  planned_ = true;
  DropScan scan = scan_drop_folder(options_.rules, options_.now_ms());
  for (const std::string &p : scan.unsettled) {
    log_info(name_of(p) +
             " changed less than settle_seconds ago (still being written?); a "
             "later run will import it");
  }
  for (const std::string &p : scan.refused) {
    log_warn("refusing " + p + "; only regular files inside the drop folder are imported");
  }
  for (const std::string &p : scan.waiting_marker) {
    log_info(name_of(p) + " has no .done marker yet; a later run will import it");
  }
  std::unordered_set<std::string> planned_keys;
  for (const DropFile &file : scan.ready) {
    if (state_.processed.unchanged(file.path, file.size, file.ctime_ns)) continue;
    Planned p{file, {}, 0, 1};
    try {
      p.key = fingerprint_content(file.path);
    } catch (const IoError &e) {
      sink.origin(file.path);
      sink.error(HALO_REASON_UNREADABLE, std::string(e.what()) + "; skipping this file", {}, 0);
      continue;
    }
    if (state_.processed.contains(p.key) || !planned_keys.insert(p.key.sha256).second) {
      log_info(name_of(file.path) + " has the same content as a file already imported; skipped");
      continue;
    }
    if (state_.current && state_.current->key == p.key) {
      p.offset = state_.current->offset;
      p.line = state_.current->next_line;
      queue_.insert(queue_.begin(), std::move(p));  // finish the interrupted file first
    } else {
      queue_.push_back(std::move(p));
    }
  }
}

void PosDropCore::open_next(RecordSink &sink) {
  const Planned &p = queue_[next_++];
  sink.origin(p.file.path);
  try {
    reader_->open(p.file.path, p.offset, p.line);
  } catch (const IoError &e) {
    sink.error(HALO_REASON_UNREADABLE, std::string(e.what()) + "; skipping this file", {}, 0);
    return;
  }
  if (p.offset > 0)
    log_info("resuming " + name_of(p.file.path) + " at line " + std::to_string(p.line));
  state_.current = InProgressFile{p.key, p.offset, p.line, p.file.path};
  reading_ = true;
}

void PosDropCore::finish_current() {
  const Planned &p = queue_[next_ - 1];
  reader_->close();
  reading_ = false;
  state_.processed.add(ProcessedFile{p.key, p.file.ctime_ns, p.file.path});
  state_.current.reset();
  processed_dirty_ = true;
  completed_.push_back({p.file.path, p.key.sha256});
}

void PosDropCore::next_batch(RecordSink &outer, uint32_t max_records) {
  CountingSink sink(outer);
  if (finished_) {
    // Called again after end of data (polling, plugin.h): scan the folder
    // again; files imported before are in the processed set and skipped.
    finished_ = planned_ = false;
    queue_.clear();
    next_ = 0;
  }
  if (!planned_) plan(sink);
  if (reading_) sink.origin(state_.current->path);
  while (sink.count < max_records && !finished_) {
    if (!reading_) {
      if (next_ >= queue_.size()) {
        finished_ = true;
        break;
      }
      open_next(sink);
      continue;
    }
    bool more = step_or_report(*reader_, sink);
    state_.current->offset = reader_->next_offset();
    state_.current->next_line = reader_->next_position();
    if (!more) finish_current();
  }
  if (finished_) sink.end_of_data();
}

std::string_view PosDropCore::cursor() {
  if (processed_dirty_) {
    processed_text_ = encode_processed(state_.processed);
    processed_dirty_ = false;
  }
  cursor_text_ = processed_text_;
  if (state_.current) cursor_text_ += encode_in_progress(*state_.current);
  for (Completed &c : completed_) awaiting_commit_.push_back(std::move(c));
  completed_.clear();
  return cursor_text_;
}

void PosDropCore::committed() {
  if (!options_.move_processed_to.empty()) {
    for (const Completed &c : awaiting_commit_) move_processed(c);
  }
  awaiting_commit_.clear();
}

// Moves an imported file (and its .done marker) into move_processed_to; a
// name already taken there gets the content hash appended.
void PosDropCore::move_processed(const Completed &file) {
  std::error_code ec;
  fs::path dir(options_.move_processed_to);
  fs::create_directories(dir, ec);
  std::string marker = done_marker_of(file.path);
  fs::path target = dir / fs::path(file.path).filename();
  if (fs::exists(target, ec)) {
    fs::path name = fs::path(file.path).filename();
    target =
        dir / (name.stem().string() + "-" + file.sha256.substr(0, 12) + name.extension().string());
  }
  fs::rename(file.path, target, ec);
  if (ec) {
    log_warn("could not move " + file.path + " to " + target.string() + ": " + ec.message() +
             "; it stays in place (already imported, it will be skipped)");
    return;
  }
  if (!marker.empty()) fs::rename(marker, dir / fs::path(marker).filename(), ec);
}

}  // namespace halo::plugins
