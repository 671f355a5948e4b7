// file_set.h -- expands a source's `path` option into the files to read.
//
// Invariants: the result is sorted by path and holds regular files only
// (except a named path that does not exist, which is kept so that
// missing_input() and opening it report it). Relative specs are resolved against base_dir.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins {

// `spec` is a file, a directory (its files ending in one of `extensions`,
// not recursive) or a glob pattern (*, ?, [...]).
std::vector<std::string> list_input_files(const std::string &spec, const std::string &base_dir,
                                          const std::vector<std::string_view> &extensions);

// Why `spec` names no input, or "" when it names some: the path does not
// exist, a glob matches no file, or a directory holds no file with one of
// `extensions`. `files` is what list_input_files returned for it.
std::string missing_input(const std::string &spec, const std::string &base_dir,
                          const std::vector<std::string> &files,
                          const std::vector<std::string_view> &extensions);

// The last component of a path ("data/a.csv" -> "a.csv").
std::string_view file_name_of(std::string_view path);

}  // namespace halo::plugins
