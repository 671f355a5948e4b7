// plugin_catalog.h -- finds plugin libraries, checks them and lists what they
// export.
//
// A catalog scans configured directories for shared libraries, loads each
// with RTLD_NOW | RTLD_LOCAL through Boost.DLL, and validates every exported
// descriptor before touching anything beyond its frozen prefix: struct size,
// magic block (constant, pointer size, byte order), ABI major equal to the
// host's, ABI minor not newer than the host's. Libraries that fail are kept
// as `problems` with a message naming the file, what it was built for and
// what this host is, so `halo plugins` and "unknown plugin" errors can explain
// themselves.
//
// Invariant: libraries stay loaded for the catalog's lifetime (no hot
// unload). Every plugin instance must be destroyed before its catalog.
#pragma once

#include <halo/plugin.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/pipeline_config.h"

namespace halo {

struct PluginInfo {
  std::string name;
  std::string version;
  std::string description;
  halo_plugin_kind kind = HALO_KIND_SOURCE;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  uint32_t capabilities = 0;
  std::string path;  // library file
  const halo_plugin_descriptor *descriptor = nullptr;
};

struct PluginProblem {
  std::string path;
  std::string message;
};

// A plugin a pipeline uses.
struct PluginNeed {
  halo_plugin_kind kind;
  std::string name;
};

const char *kind_name(halo_plugin_kind kind);

class PluginCatalog {
 public:
  PluginCatalog();
  ~PluginCatalog();
  PluginCatalog(const PluginCatalog &) = delete;
  PluginCatalog &operator=(const PluginCatalog &) = delete;

  // Loads every shared library (*.so) directly inside each directory, in
  // name order, the bundled directory first (so no other library can take a
  // bundled plugin's name). Missing directories are skipped silently
  // (defaults may not exist); unreadable libraries become problems, never a
  // failure.
  void scan(const std::vector<std::string> &dirs);
  // Loads only the libraries a pipeline needs, since loading runs a
  // library's code: for each plugin, the first lib<prefix>-<name>.so found
  // (bundled directory first, then `dirs` in order; prefix "halo"). Only when
  // a plugin is still missing are the other libraries of `dirs` loaded (a
  // vendor library may carry several plugins under another file name).
  void load_for(const std::vector<std::string> &dirs, const std::vector<PluginNeed> &needs);
  // Loads one library file; returns its problem (if any) as a Status.
  // Refused unbuilt: a world-writable file or directory (anyone could swap
  // the code halo runs).
  Status load_file(const std::string &path);

  const PluginInfo *find(halo_plugin_kind kind, const std::string &name) const;
  // "unknown source plugin 'x' (did you mean 'y'?); known source plugins: ..."
  Status not_found(halo_plugin_kind kind, const std::string &name) const;

  const std::vector<PluginInfo> &plugins() const { return plugins_; }
  const std::vector<PluginProblem> &problems() const { return problems_; }

  // Default search path: HALO_PLUGIN_PATH (colon-separated), then
  // bundled_dir().
  static std::vector<std::string> default_dirs();
  // <dir of the running binary>/../<libdir>/halo/plugins, or "".
  static std::string bundled_dir();
  // `configured` (pipeline plugin_dirs, --plugin-dir) then default_dirs().
  static std::vector<std::string> search_dirs(const std::vector<std::string> &configured);

 private:
  struct Libraries;
  bool loaded(const std::string &path) const;
  std::unique_ptr<Libraries> libs_;
  std::vector<std::string> attempted_;  // every file load_file was given
  std::vector<PluginInfo> plugins_;
  std::vector<PluginProblem> problems_;
};

// Every plugin the pipeline names (sources, resolver, features, destinations).
std::vector<PluginNeed> plugin_needs(const PipelineConfig &config);

// Checks a descriptor's frozen prefix against this host; empty when it fits.
std::string check_descriptor(const halo_plugin_descriptor *d);

}  // namespace halo
