// file_source_core.cpp -- file iteration, positions and batching.
#include "common/file_source_core.h"

#include "common/block_buffer.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace halo::plugins {

FileSourceCore::FileSourceCore(std::vector<std::string> files,
                               std::unique_ptr<RecordFileReader> reader)
    : files_(std::move(files)), reader_(std::move(reader)) {
  positions_.reserve(files_.size());
}

bool FileSourceCore::restore(std::string_view cursor, std::string &error) {
  std::vector<FilePosition> stored;
  if (!decode_cursor(cursor, stored, error)) return false;
  positions_ = std::move(stored);
  positions_.reserve(positions_.size() + files_.size());  // current_ must not dangle
  return true;
}

FilePosition &FileSourceCore::position_of(const std::string &path) {
  for (FilePosition &p : positions_) {
    if (p.path == path) return p;
  }
  positions_.push_back(FilePosition{path, {}, 0, 1});
  return positions_.back();
}

FileSourceCore::Resume FileSourceCore::resume(FilePosition &pos, uint64_t size, int64_t ctime_ns) {
  const FileFingerprint &fp = pos.fingerprint;
  if (fp.length == 0) return pos.offset == 0 ? Resume::kOn : Resume::kFromTop;
  if (pos.offset > size || fp.length > size) return Resume::kFromTop;
  // Fully read and untouched since (ctime moves on every write, rename or
  // metadata change and cannot be set back): skip re-hashing.
  if (pos.ctime_ns != 0 && pos.ctime_ns == ctime_ns && size == fp.length) return Resume::kOn;
  hasher_.begin(pos.path);
  if (fp.tail) {
    // The bytes just before the read prefix's end are where they were, so
    // reading on starts at a record boundary; the whole prefix is checked
    // once this file is read to its end (finish_file), while the records
    // after it are already on their way.
    return tail_hash(pos.path, fp.length) == fp.tail ? Resume::kOnThenVerify : Resume::kFromTop;
  }
  return hasher_.advance(fp.length) && hasher_.digest() == fp.hash ? Resume::kOn : Resume::kFromTop;
}

void FileSourceCore::seal(FilePosition &pos) {
  // While the prefix read before is unverified, the position keeps its
  // fingerprint: a resume from this cursor checks that prefix again.
  if (verifying_ || pos.offset == pos.fingerprint.length) return;
  if (hasher_.path() != pos.path || hasher_.hashed() > pos.offset) hasher_.begin(pos.path);
  try {
    if (hasher_.advance(pos.offset)) {
      auto tail = tail_hash(pos.path, pos.offset);
      if (tail) {
        pos.fingerprint = {pos.offset, hasher_.digest(), tail};
        return;
      }
    }
  } catch (const IoError &) {
  }
  // Shrunk or gone while being read: no fingerprint, so the next run reads
  // the file from the top (its records are then duplicates by content).
  pos.fingerprint = {};
  hasher_.begin(pos.path);
}

void FileSourceCore::read_from_top(FilePosition &pos) {
  pos.offset = 0;
  pos.next_position = 1;
  pos.fingerprint = {};
  hasher_.begin(pos.path);
}

bool FileSourceCore::finish_file(FilePosition &pos) {
  if (verifying_) {
    verifying_ = false;
    const FileFingerprint &fp = pos.fingerprint;
    bool same = true;
    try {
      same = hasher_.advance(fp.length) && hasher_.digest() == fp.hash;
    } catch (const IoError &) {
      // Unreadable now: seal() below leaves no fingerprint, so the next
      // run reads the file from the top; re-reading it now could loop.
    }
    if (!same) {
      // Edited in the part read before (the bytes before its end kept
      // their place): read it again from the top. The records read from
      // the end of that part are duplicates by content then.
      read_from_top(pos);
      return false;
    }
  }
  seal(pos);
  return true;
}

// Opens the next file that still has bytes to read. Returns false when no
// file is open afterwards (all done, or an error was emitted).
bool FileSourceCore::open_next(RecordSink &sink) {
  const std::string &path = files_[next_file_++];
  FilePosition &pos = position_of(path);
  sink.origin(path);
  try {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      throw IoError("cannot open '" + path + "': " + std::strerror(errno));
    }
    const int64_t ctime_ns =
        static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
    const Resume how = resume(pos, static_cast<uint64_t>(st.st_size), ctime_ns);
    if (how == Resume::kFromTop) read_from_top(pos);  // replaced, truncated or edited
    verifying_ = how == Resume::kOnThenVerify;
    pos.ctime_ns = ctime_ns;
    reader_->open(path, pos.offset, pos.next_position);
  } catch (const IoError &e) {
    verifying_ = false;
    if (!optional_) throw InputError(e.what());
    sink.error(HALO_REASON_UNREADABLE, std::string(e.what()) + "; skipping this file", {}, 0);
    return false;
  }
  current_ = &pos;
  return true;
}

void FileSourceCore::next_batch(RecordSink &outer, uint32_t max_records) {
  CountingSink sink(outer);
  if (finished_) return sink.end_of_data();
  if (current_ != nullptr) sink.origin(current_->path);
  while (sink.count < max_records && !finished_) {
    if (current_ == nullptr) {
      if (next_file_ >= files_.size()) {
        finished_ = true;
        sink.end_of_data();
        return;
      }
      open_next(sink);
      continue;
    }
    bool more = step_or_report(*reader_, sink);
    current_->offset = reader_->next_offset();
    current_->next_position = reader_->next_position();
    if (!more) {
      reader_->close();
      // Changed: opened again (from the top) like any file, with the same
      // handling of one that cannot be opened now.
      if (!finish_file(*current_)) --next_file_;
      current_ = nullptr;
    }
  }
}

void FileSourceCore::rescan(std::vector<std::string> files) {
  files_ = std::move(files);
  positions_.reserve(positions_.size() + files_.size());  // current_ must not dangle
  next_file_ = 0;
  current_ = nullptr;
  finished_ = false;
}

std::string_view FileSourceCore::cursor() {
  if (current_ != nullptr) seal(*current_);
  cursor_text_ = encode_cursor(positions_);
  return cursor_text_;
}

bool step_rows(RecordSplitter &rows, const std::string &file_name, size_t max_record_bytes,
               RecordSink &sink, const std::function<void(const RawRecord &)> &emit_row) {
  RawRecord row;
  switch (rows.next(row)) {
    case SplitResult::kEnd:
      return false;
    case SplitResult::kTooLong:
      sink.error(HALO_REASON_TOO_LARGE,
                 "row at line " + std::to_string(row.line) + " of " + file_name +
                     " is larger than max_record_bytes (" + std::to_string(max_record_bytes) + ")",
                 row.bytes, row.line);
      return true;
    case SplitResult::kRecord:
      if (!row.bytes.empty()) emit_row(row);
      return true;
  }
  return false;
}

bool step_or_report(RecordFileReader &reader, RecordSink &sink) {
  try {
    return reader.step(sink);
  } catch (const IoError &e) {
    sink.error(HALO_REASON_UNREADABLE, std::string(e.what()) + "; the rest of this file is skipped",
               {}, reader.next_position());
    return false;
  }
}

}  // namespace halo::plugins
