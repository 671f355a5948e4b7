// atomic_file_writer.h -- writes a file so that readers only ever see the
// previous version or the complete new one: bytes go to "<path>.tmp", and
// commit() flushes, fsyncs and renames it over <path>.
//
// Invariants: a writer that is destroyed without commit() removes its .tmp
// file and leaves <path> untouched; parent directories are created by open().
#pragma once

#include <string>
#include <string_view>

namespace halo::plugins {

class AtomicFileWriter {
 public:
  AtomicFileWriter() = default;
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter &) = delete;
  AtomicFileWriter &operator=(const AtomicFileWriter &) = delete;

  // Throws IoError naming the path.
  void open(const std::string &path);
  // Appends `line` and '\n' (buffered).
  void append_line(std::string_view line);
  void commit();
  void abort();
  bool is_open() const { return fd_ >= 0; }
  const std::string &temp_path() const { return tmp_; }

 private:
  void flush();

  std::string path_, tmp_;
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace halo::plugins
