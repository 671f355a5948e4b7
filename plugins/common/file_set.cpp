// file_set.cpp -- file / directory / glob expansion for file sources.
#include "common/file_set.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>

namespace halo::plugins {

namespace fs = std::filesystem;

namespace {
bool has_extension(std::string_view name, const std::vector<std::string_view> &extensions) {
  for (std::string_view ext : extensions) {
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) return true;
  }
  return false;
}

bool is_glob(std::string_view s) {
  return s.find_first_of("*?[") != std::string_view::npos;
}

std::vector<std::string> expand_glob(const std::string &pattern) {
  std::vector<std::string> out;
  glob_t g{};
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) {
      std::error_code ec;
      if (fs::is_regular_file(g.gl_pathv[i], ec)) out.emplace_back(g.gl_pathv[i]);
    }
  }
  ::globfree(&g);
  return out;
}

std::vector<std::string> list_directory(const fs::path &dir,
                                        const std::vector<std::string_view> &extensions) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && has_extension(entry.path().filename().string(), extensions)) {
      out.push_back(entry.path().string());
    }
  }
  return out;
}
}  // namespace

std::vector<std::string> list_input_files(const std::string &spec, const std::string &base_dir,
                                          const std::vector<std::string_view> &extensions) {
  fs::path path(spec);
  if (path.is_relative() && !base_dir.empty()) path = fs::path(base_dir) / path;
  path = path.lexically_normal();
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    files = list_directory(path, extensions);
  } else if (!fs::exists(path, ec) && is_glob(spec)) {
    files = expand_glob(path.string());
  } else {
    files.push_back(path.string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string missing_input(const std::string &spec, const std::string &base_dir,
                          const std::vector<std::string> &files,
                          const std::vector<std::string_view> &extensions) {
  fs::path path(spec);
  if (path.is_relative() && !base_dir.empty()) path = fs::path(base_dir) / path;
  path = path.lexically_normal();
  std::error_code ec;
  if (files.empty()) {
    if (fs::is_directory(path, ec)) {
      std::string names;
      for (std::string_view ext : extensions)
        names += std::string(names.empty() ? "" : ", ") + "*" + std::string(ext);
      return "directory '" + path.string() + "' holds no " + names + " file";
    }
    if (is_glob(spec)) return "pattern '" + path.string() + "' matches no file";
    return "'" + path.string() + "' does not exist";
  }
  if (files.size() == 1 && !fs::exists(files[0], ec)) return "'" + files[0] + "' does not exist";
  return {};
}

std::string_view file_name_of(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace halo::plugins
