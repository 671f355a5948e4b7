// output_file.cpp -- see output_file.h.
#include "output_file.h"

#include <cerrno>
#include <cstring>

namespace halo::datagen {

namespace {
Status io_error(const char *what, const std::filesystem::path &path) {
  return Status::Io(std::string("cannot ") + what + " '" + path.string() +
                    "': " + std::strerror(errno) +
                    " (check that the directory exists and is writable, and the disk has room)");
}
}  // namespace

Status write_whole_file(const std::filesystem::path &path, std::string_view content) {
  BufferedFile file;
  if (Status s = file.open(path); !s.ok()) return s;
  file.buffer().assign(content);
  return file.close();
}

BufferedFile::~BufferedFile() {
  if (file_ != nullptr) std::fclose(file_);
}

Status BufferedFile::open(const std::filesystem::path &path) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) return io_error("create", path);
  buffer_.reserve(kFlushAt + (size_t{1} << 16));
  return Status::Ok();
}

Status BufferedFile::flush() {
  if (buffer_.empty()) return Status::Ok();
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    return io_error("write", path_);
  }
  bytes_written_ += buffer_.size();
  buffer_.clear();
  return Status::Ok();
}

Status BufferedFile::close() {
  if (file_ == nullptr) return Status::Internal("close() on a file that is not open");
  Status s = flush();
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (s.ok() && rc != 0) return io_error("close", path_);
  return s;
}

}  // namespace halo::datagen
