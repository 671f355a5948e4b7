// store_path.cpp -- check_store_path(): stat()-only checks of a store path.
#include "store/store_path.h"

#include <unistd.h>

#include <filesystem>

namespace halo {

namespace {

namespace fs = std::filesystem;

std::string kind_of(fs::file_type t) {
  switch (t) {
    case fs::file_type::regular:
      return "a regular file";
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::fifo:
      return "a FIFO (named pipe)";
    case fs::file_type::socket:
      return "a socket";
    case fs::file_type::block:
    case fs::file_type::character:
      return "a device";
    default:
      return "not a regular file";
  }
}

Status bad(const std::string &path, const std::string &why) {
  return Status::Invalid("store.path: sqlite store " + path + ": " + why +
                         " (fix `store.path`; relative paths start at the pipeline file)");
}

}  // namespace

Status check_store_path(const std::string &path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (fs::exists(st)) {
    if (st.type() != fs::file_type::regular) {
      return bad(path, "is " + kind_of(st.type()) + ", not a SQLite database file");
    }
    if (::access(path.c_str(), R_OK | W_OK) != 0) return bad(path, "is not readable and writable");
    return Status::Ok();
  }
  // The run creates the missing directories: the nearest existing ancestor
  // must be a directory it may write in.
  for (fs::path dir = fs::path(path).parent_path(); !dir.empty(); dir = dir.parent_path()) {
    fs::file_status ds = fs::status(dir, ec);
    if (!fs::exists(ds)) {
      if (dir == dir.parent_path()) break;
      continue;
    }
    if (ds.type() != fs::file_type::directory) {
      return bad(path, dir.string() + " is " + kind_of(ds.type()) + ", not a directory");
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
      return bad(path, "directory " + dir.string() + " is not writable");
    }
    return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace halo
