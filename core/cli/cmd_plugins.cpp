// cmd_plugins.cpp -- `halo plugins`: what plugins were found, and the option
// table of one (`--describe NAME`).
//
// Every file in a searched directory is accounted for: a library that is
// not a Halo plugin gets the catalog's one-line reason ("not loaded: ..."),
// and any other file one line saying it was skipped, so a misplaced plugin
// never just goes missing. `--describe NAME --format json` prints
//   {"plugins":[{"name",...,"options":[{"name","type","required","secret",
//    "default","min","max","allowed":[...],"description"}...]}]}
// (absent default/min/max are null). `--format json` prints one object:
//   {"plugins":[{"name","kind","version","abi","path","description"}...],
//    "not_loaded":[{"path","message"}...], "searched":[dir...]}
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "common/json_writer.h"
#include "config/option_decls.h"
#include "config/option_value.h"
#include "plugin_host/plugin_catalog.h"

namespace po = boost::program_options;

namespace halo::cli {

namespace {

// "(int, required, default: 100, range: 1..100)" -- what an admin may write.
std::string option_facts(const OptionDecl &o) {
  std::string facts = option_type_name(o.type);
  if (o.required) facts += ", required";
  if (o.secret) facts += ", secret";
  if (!o.allowed.empty()) facts += ", one of: " + or_list(o.allowed);
  if (o.default_value) facts += std::string(", default: ") + o.default_value;
  const std::string bounds = option_bounds_text(o);
  if (!bounds.empty()) facts += ", range: " + bounds;
  return facts;
}

// Read through read_option_decls: a plugin built against an older minor has
// shorter rows, whose missing fields read as absent.
void describe(const PluginInfo &p) {
  std::cout << p.name << " (" << kind_name(p.kind) << ") " << p.version << "  ABI " << p.abi_major
            << "." << p.abi_minor << "\n  " << p.description << "\n  library: " << p.path
            << "\n  options:\n";
  const halo_plugin_descriptor *d = p.descriptor;
  const std::vector<OptionDecl> options = read_option_decls(d->options, d->option_count);
  if (options.empty()) std::cout << "    (none)\n";
  for (const OptionDecl &o : options) {
    std::cout << "    " << o.name << "  (" << option_facts(o) << ")\n        " << o.description
              << "\n";
  }
}

void optional_string(JsonWriter &w, const char *key, const char *value) {
  w.key(key);
  if (value) {
    w.string(value);
  } else {
    w.raw("null");
  }
}

// The members every JSON listing of a plugin starts with.
void plugin_members(JsonWriter &w, const PluginInfo &p) {
  w.key("name").string(p.name);
  w.key("kind").string(kind_name(p.kind));
  w.key("version").string(p.version);
  w.key("abi").string(std::to_string(p.abi_major) + "." + std::to_string(p.abi_minor));
  w.key("path").string(p.path);
  w.key("description").string(p.description);
}

// `--describe NAME --format json`: one object per plugin of that name.
void describe_json(JsonWriter &w, const PluginInfo &p) {
  w.begin_object();
  plugin_members(w, p);
  w.key("options").begin_array();
  const halo_plugin_descriptor *d = p.descriptor;
  for (const OptionDecl &o : read_option_decls(d->options, d->option_count)) {
    w.begin_object();
    w.key("name").string(o.name);
    w.key("type").string(option_type_name(o.type));
    w.key("required").raw(o.required ? "true" : "false");
    w.key("secret").raw(o.secret ? "true" : "false");
    optional_string(w, "default", o.default_value);
    optional_string(w, "min", o.min_value);
    optional_string(w, "max", o.max_value);
    w.key("allowed").begin_array();
    for (const std::string &v : o.allowed) w.string(v);
    w.end_array();
    w.key("description").string(o.description);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

// Files directly in `dirs` that the catalog does not consider (it loads
// *.so only), as problems saying so.
std::vector<PluginProblem> skipped_files(const std::vector<std::string> &dirs) {
  std::vector<PluginProblem> out;
  for (const std::string &dir : dirs) {
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".so" || !entry.is_regular_file(ec)) continue;
      out.push_back(
          {entry.path().string(), "skipped: not a shared library (plugins are lib*.so files)"});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const PluginProblem &a, const PluginProblem &b) { return a.path < b.path; });
  return out;
}

void print_json(const PluginCatalog &catalog, const std::vector<PluginProblem> &problems,
                const std::vector<std::string> &dirs) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("plugins").begin_array();
  for (const PluginInfo &p : catalog.plugins()) {
    w.begin_object();
    plugin_members(w, p);
    w.end_object();
  }
  w.end_array();
  w.key("not_loaded").begin_array();
  for (const PluginProblem &p : problems) {
    w.begin_object();
    w.key("path").string(p.path);
    w.key("message").string(p.message);
    w.end_object();
  }
  w.end_array();
  w.key("searched").begin_array();
  for (const std::string &d : dirs) w.string(d);
  w.end_array();
  w.end_object();
  std::cout << out << "\n";
}

// `--describe NAME`: text, or {"plugins":[...]} with every plugin of that
// name (normally one); exit 3 when there is none.
int describe_named(const PluginCatalog &catalog, const std::string &name, bool json) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("plugins").begin_array();
  bool found = false;
  for (const PluginInfo &p : catalog.plugins()) {
    if (p.name != name) continue;
    found = true;
    if (json) {
      describe_json(w, p);
    } else {
      describe(p);
    }
  }
  w.end_array();
  w.end_object();
  if (!found) return fail(kNotFound, catalog.not_found(HALO_KIND_SOURCE, name).message());
  if (json) std::cout << out << "\n";
  return kOk;
}

}  // namespace

int cmd_plugins(const Args &args) {
  std::vector<std::string> dirs;
  std::string name, format = "table";
  po::options_description desc(
      "usage: halo plugins [--describe NAME] [--plugin-dir DIR]... [--format table|json]");
  desc.add_options()("help,h", "show this help")("describe", po::value(&name),
                                                 "print one plugin's options")(
      "plugin-dir", po::value(&dirs), "extra directory to search (repeatable)")(
      "format", po::value(&format)->value_name("FORMAT"),
      "table (default) or json (plugins, not_loaded, searched)");
  po::variables_map vm;
  try {
    po::positional_options_description none;  // a stray argument is an error
    po::store(po::command_line_parser(args).options(desc).positional(none).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "halo plugins: " << e.what() << "\n" << desc;
    return kUsage;
  }
  if (vm.count("help")) {
    std::cout << desc;
    return kOk;
  }
  if (format != "table" && format != "json") {
    return fail(kUsage, "--format must be table or json, not '" + format + "'");
  }
  for (const std::string &d : PluginCatalog::default_dirs()) dirs.push_back(d);
  PluginCatalog catalog;
  catalog.scan(dirs);
  std::vector<PluginProblem> problems = catalog.problems();
  for (PluginProblem &p : skipped_files(dirs)) problems.push_back(std::move(p));
  if (!name.empty()) return describe_named(catalog, name, format == "json");
  if (format == "json") {
    print_json(catalog, problems, dirs);
    return catalog.plugins().empty() ? kNotFound : kOk;
  }
  if (catalog.plugins().empty()) {
    std::string searched;
    for (const std::string &d : dirs) {
      std::error_code ec;
      searched += "\n  " + d + (std::filesystem::is_directory(d, ec) ? "" : " (no such directory)");
    }
    for (const PluginProblem &p : problems) {
      std::fprintf(stderr, "not loaded: %s: %s\n", p.path.c_str(), p.message.c_str());
    }
    return fail(kNotFound, "no plugins found; searched:" + searched +
                               "\nadd a directory with --plugin-dir DIR or HALO_PLUGIN_PATH=DIR");
  }
  std::printf("%-20s %-12s %-9s %-5s %s\n", "NAME", "KIND", "VERSION", "ABI", "PATH");
  for (const PluginInfo &p : catalog.plugins()) {
    std::printf("%-20s %-12s %-9s %u.%-3u %s\n", p.name.c_str(), kind_name(p.kind),
                p.version.c_str(), p.abi_major, p.abi_minor, p.path.c_str());
  }
  for (const PluginProblem &p : problems) {
    std::printf("not loaded: %s: %s\n", p.path.c_str(), p.message.c_str());
  }
  return kOk;
}

}  // namespace halo::cli
