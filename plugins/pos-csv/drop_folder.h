// drop_folder.h -- which files of a POS drop folder are ready to import:
// matching the pattern, not a temp/partial name, settled (unchanged for
// settle_seconds), and, in marker mode, announced by a `.done` file.
// Plus the content fingerprint (size + SHA-256 via OpenSSL).
//
// Invariants:
//  - Listing is non-recursive, regular files only, sorted by name, so runs
//    are deterministic. A matching name that is a symbolic link (it could
//    point outside the folder) or not a regular file (FIFO, device,
//    socket, directory) is refused: listed in `refused` with the reason,
//    never read. Files are opened with O_NOFOLLOW, so a name swapped for a
//    link after the scan is refused too.
//  - "Settled" means the file's mtime is at least settle_seconds in the
//    past: every write moves mtime, so size and content have been stable
//    that long. A future mtime (clock skew) is never settled.
//  - Names ending in .tmp, .part, .partial, .crdownload or '~', dot files
//    and the markers themselves are never candidates.
//  - A marker for NAME is NAME.done or NAME with its extension replaced
//    by .done (sales.csv -> sales.csv.done or sales.done).
#pragma once

#include "pos_cursor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace halo::plugins {

struct DropFolderRules {
  std::string dir;  // absolute or relative to the process cwd
  std::string pattern = "*.csv";
  int64_t settle_ms = 5000;
  bool require_done_marker = false;
};

struct DropFile {
  std::string path;
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // settling
  int64_t ctime_ns = 0;  // status change: "unchanged since imported"
};

struct DropScan {
  std::vector<DropFile> ready;
  std::vector<std::string> unsettled;       // still being written
  std::vector<std::string> waiting_marker;  // no .done marker yet
  std::vector<std::string> refused;         // "<path>: <why>" (links, special files)
};

bool is_temporary_name(const std::string &name);
// The marker that announces `path`, if one exists.
std::string done_marker_of(const std::string &path);

// Throws std::runtime_error naming the folder when it cannot be listed.
DropScan scan_drop_folder(const DropFolderRules &rules, int64_t now_ms);

// SHA-256 of the file's content; throws IoError naming the file.
FileKey fingerprint_content(const std::string &path);

}  // namespace halo::plugins
