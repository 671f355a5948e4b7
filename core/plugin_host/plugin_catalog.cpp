// plugin_catalog.cpp -- loading and validating plugin libraries.
#include "plugin_host/plugin_catalog.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "config/suggest.h"
#include "plugin_host/plugin_call.h"

namespace halo {

namespace fs = std::filesystem;

struct PluginCatalog::Libraries {
  std::vector<boost::dll::shared_library> loaded;
};

PluginCatalog::PluginCatalog() : libs_(std::make_unique<Libraries>()) {}
PluginCatalog::~PluginCatalog() = default;

const char *kind_name(halo_plugin_kind kind) {
  switch (kind) {
    case HALO_KIND_SOURCE:
      return "source";
    case HALO_KIND_RESOLVER:
      return "resolver";
    case HALO_KIND_FEATURE:
      return "feature";
    case HALO_KIND_DESTINATION:
      return "destination";
  }
  return "unknown";
}

std::string check_descriptor(const halo_plugin_descriptor *d) {
  std::ostringstream why;
  if (d == nullptr) return "descriptor is NULL";
  if (d->struct_size < offsetof(halo_plugin_descriptor, vtable) + sizeof(void *)) {
    why << "descriptor struct_size " << d->struct_size << " is too small";
    return why.str();
  }
  if (d->magic.magic != HALO_MAGIC) return "bad magic: not a Halo plugin descriptor";
  if (d->magic.pointer_size != sizeof(void *)) {
    why << "built for " << d->magic.pointer_size * 8 << "-bit pointers, host is "
        << sizeof(void *) * 8 << "-bit";
    return why.str();
  }
  if (d->magic.byte_order != HALO_BYTE_ORDER_MARK) {
    return "built for the other byte order than this host";
  }
  if (d->abi_major != HALO_ABI_MAJOR) {
    why << "plugin ABI " << d->abi_major << "." << d->abi_minor << " but kernel ABI "
        << HALO_ABI_MAJOR << "." << HALO_ABI_MINOR
        << " (major versions must match: rebuild the plugin against the installed halo-sdk)";
    return why.str();
  }
  if (d->abi_minor > HALO_ABI_MINOR) {
    why << "plugin ABI " << d->abi_major << "." << d->abi_minor << " is newer than kernel ABI "
        << HALO_ABI_MAJOR << "." << HALO_ABI_MINOR << " (upgrade halo)";
    return why.str();
  }
  if (d->name == nullptr || *d->name == '\0') return "plugin has no name";
  if (d->kind < HALO_KIND_SOURCE || d->kind > HALO_KIND_DESTINATION) return "unknown plugin kind";
  if (d->vtable == nullptr) return "plugin has no vtable";
  return {};
}

namespace {

// Why `path` must not be loaded for its permissions, or "".
std::string unsafe_permissions(const std::string &path) {
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && (st.st_mode & S_IWOTH)) {
    return "refused: the file is world-writable (anyone could replace the code halo runs); "
           "fix: chmod o-w " +
           path;
  }
  std::string dir = fs::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  if (stat(dir.c_str(), &st) == 0 && (st.st_mode & S_IWOTH)) {
    return "refused: its directory " + dir +
           " is world-writable (anyone could put code there for halo to run); fix: chmod o-w " +
           dir + " or move the plugins elsewhere";
  }
  return {};
}

// `dirs` with the bundled directory moved to the front, duplicates dropped.
std::vector<std::string> bundled_first(const std::vector<std::string> &dirs) {
  std::vector<std::string> out;
  const std::string bundled = PluginCatalog::bundled_dir();
  auto same = [](const std::string &a, const std::string &b) {
    std::error_code ec;
    return a == b || fs::equivalent(a, b, ec);
  };
  for (const std::string &d : dirs) {
    if (!bundled.empty() && same(d, bundled)) out.insert(out.begin(), d);
  }
  for (const std::string &d : dirs) {
    bool seen =
        std::any_of(out.begin(), out.end(), [&](const std::string &o) { return same(o, d); });
    if (!seen) out.push_back(d);
  }
  return out;
}

}  // namespace

bool PluginCatalog::loaded(const std::string &path) const {
  return std::find(attempted_.begin(), attempted_.end(), path) != attempted_.end();
}

Status PluginCatalog::load_file(const std::string &path) {
  auto fail = [&](const std::string &msg) {
    problems_.push_back({path, msg});
    return Status::Plugin(path + ": " + msg);
  };
  if (loaded(path)) return Status::Ok();
  attempted_.push_back(path);
  if (std::string why = unsafe_permissions(path); !why.empty()) return fail(why);
  boost::dll::shared_library lib;
  boost::dll::fs::error_code ec;
  // Loading runs the library's constructors: plugin code.
  PluginCallScope scope("plugin library " + path + ": loading");
  lib.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) return fail("cannot load library: " + ec.message());
  if (!lib.has(HALO_ENTRY_SYMBOL)) {
    return fail("not a Halo plugin: no exported symbol '" HALO_ENTRY_SYMBOL "'");
  }
  auto entry = lib.get<const halo_plugin_descriptor *const *(uint32_t *)>(HALO_ENTRY_SYMBOL);
  uint32_t count = 0;
  const halo_plugin_descriptor *const *list = entry(&count);
  if (list == nullptr || count == 0) return fail("entry point returned no plugins");
  std::vector<PluginInfo> found;
  for (uint32_t i = 0; i < count; ++i) {
    const halo_plugin_descriptor *d = list[i];
    std::string why = check_descriptor(d);
    std::string label =
        (d && d->magic.magic == HALO_MAGIC && d->name) ? d->name : "#" + std::to_string(i);
    if (!why.empty()) return fail("plugin '" + label + "' refused: " + why);
    PluginInfo info;
    info.name = d->name;
    info.version = d->version ? d->version : "";
    info.description = d->description ? d->description : "";
    info.kind = static_cast<halo_plugin_kind>(d->kind);
    info.abi_major = d->abi_major;
    info.abi_minor = d->abi_minor;
    info.capabilities = d->capabilities;
    info.path = path;
    info.descriptor = d;
    if (const PluginInfo *dup = find(info.kind, info.name)) {
      const bool bundled = fs::path(dup->path).parent_path() == fs::path(bundled_dir());
      return fail(std::string(kind_name(info.kind)) + " plugin '" + info.name +
                  "' is already provided by " + (bundled ? "the bundled library " : "") +
                  dup->path + "; give the plugin another name");
    }
    found.push_back(std::move(info));
  }
  libs_->loaded.push_back(std::move(lib));
  plugins_.insert(plugins_.end(), found.begin(), found.end());
  return Status::Ok();
}

void PluginCatalog::scan(const std::vector<std::string> &dirs) {
  for (const std::string &dir : bundled_first(dirs)) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<std::string> files;
    for (const auto &entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".so") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string &f : files) (void)load_file(f);
  }
}

void PluginCatalog::load_for(const std::vector<std::string> &dirs,
                             const std::vector<PluginNeed> &needs) {
  const std::vector<std::string> ordered = bundled_first(dirs);
  bool missing = false;
  for (const PluginNeed &need : needs) {
    for (const std::string &dir : ordered) {
      if (find(need.kind, need.name)) break;
      std::string file = (fs::path(dir) / ("libhalo-" + need.name + ".so")).string();
      std::error_code ec;
      if (fs::is_regular_file(file, ec)) (void)load_file(file);
    }
    missing = missing || !find(need.kind, need.name);
  }
  if (missing) scan(ordered);
}

const PluginInfo *PluginCatalog::find(halo_plugin_kind kind, const std::string &name) const {
  for (const PluginInfo &p : plugins_) {
    if (p.kind == kind && p.name == name) return &p;
  }
  return nullptr;
}

Status PluginCatalog::not_found(halo_plugin_kind kind, const std::string &name) const {
  std::vector<std::string> known;
  for (const PluginInfo &p : plugins_) {
    if (p.kind == kind) known.push_back(p.name);
  }
  std::ostringstream msg;
  msg << "unknown " << kind_name(kind) << " plugin '" << name << "'";
  std::string close = suggest(name, known);
  if (!close.empty()) msg << " (did you mean '" << close << "'?)";
  msg << "; known " << kind_name(kind) << " plugins: ";
  if (known.empty()) msg << "none";
  for (size_t i = 0; i < known.size(); ++i) msg << (i ? ", " : "") << known[i];
  for (const PluginProblem &p : problems_) msg << "\n  not loaded: " << p.path << ": " << p.message;
  return Status::NotFound(msg.str());
}

std::vector<PluginNeed> plugin_needs(const PipelineConfig &config) {
  std::vector<PluginNeed> needs;
  for (const PluginUse &u : config.sources) needs.push_back({HALO_KIND_SOURCE, u.plugin});
  needs.push_back({HALO_KIND_RESOLVER, config.resolver});
  for (const PluginUse &u : config.features) needs.push_back({HALO_KIND_FEATURE, u.plugin});
  for (const PluginUse &u : config.destinations) needs.push_back({HALO_KIND_DESTINATION, u.plugin});
  return needs;
}

std::vector<std::string> PluginCatalog::default_dirs() {
  std::vector<std::string> dirs;
  if (const char *env = std::getenv("HALO_PLUGIN_PATH")) {
    std::stringstream ss(env);
    std::string item;
    while (std::getline(ss, item, ':')) {
      if (!item.empty()) dirs.push_back(item);
    }
  }
  if (std::string bundled = bundled_dir(); !bundled.empty()) dirs.push_back(bundled);
  return dirs;
}

std::string PluginCatalog::bundled_dir() {
  boost::dll::fs::error_code ec;
  auto exe = boost::dll::program_location(ec);
  if (ec) return {};
  fs::path bin = fs::path(exe.string()).parent_path();
  return (bin.parent_path() / HALO_PLUGIN_SUBDIR).lexically_normal().string();
}

std::vector<std::string> PluginCatalog::search_dirs(const std::vector<std::string> &configured) {
  std::vector<std::string> dirs = configured;
  for (const std::string &d : default_dirs()) dirs.push_back(d);
  return dirs;
}

}  // namespace halo
