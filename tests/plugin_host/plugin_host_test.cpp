// plugin_host_test.cpp -- descriptor checks before anything is trusted, the
// catalog's handling of bad libraries, and host functions that must not
// crash on a plugin's bad arguments.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "plugin_host/host_api.h"
#include "plugin_host/plugin_catalog.h"

namespace halo {
namespace {

halo_plugin_descriptor good_descriptor() {
  static const halo_source_vtable vt{};
  halo_plugin_descriptor d{};
  d.struct_size = sizeof d;
  d.abi_major = HALO_ABI_MAJOR;
  d.abi_minor = HALO_ABI_MINOR;
  d.magic = halo_magic_block HALO_MAGIC_INIT;
  d.name = "x";
  d.kind = HALO_KIND_SOURCE;
  d.vtable = &vt;
  return d;
}

TEST(CheckDescriptor, AcceptsAGoodOneAndNamesEachMismatch) {
  halo_plugin_descriptor d = good_descriptor();
  EXPECT_EQ(check_descriptor(&d), "");
  EXPECT_EQ(check_descriptor(nullptr), "descriptor is NULL");
  struct Case {
    void (*edit)(halo_plugin_descriptor &);
    const char *expected;
  } cases[] = {
      {[](halo_plugin_descriptor &x) { x.struct_size = 8; }, "too small"},
      {[](halo_plugin_descriptor &x) { x.magic.magic = 0; }, "bad magic"},
      {[](halo_plugin_descriptor &x) { x.magic.pointer_size = 4; }, "built for 32-bit pointers"},
      {[](halo_plugin_descriptor &x) { x.magic.byte_order = 0x0201; }, "byte order"},
      {[](halo_plugin_descriptor &x) { x.abi_major = HALO_ABI_MAJOR + 1; },
       "major versions must match"},
      {[](halo_plugin_descriptor &x) { x.abi_minor = HALO_ABI_MINOR + 1; }, "upgrade halo"},
      {[](halo_plugin_descriptor &x) { x.name = ""; }, "no name"},
      {[](halo_plugin_descriptor &x) { x.kind = 9; }, "unknown plugin kind"},
      {[](halo_plugin_descriptor &x) { x.vtable = nullptr; }, "no vtable"},
  };
  for (const Case &c : cases) {
    halo_plugin_descriptor bad = good_descriptor();
    c.edit(bad);
    EXPECT_NE(check_descriptor(&bad).find(c.expected), std::string::npos)
        << check_descriptor(&bad) << " / expected: " << c.expected;
  }
  d.abi_minor = 0;  // an older minor of the same major loads
  EXPECT_EQ(check_descriptor(&d), "");
  d.abi_minor = 1;  // a 1.1 plugin (before the HTTP server routes) loads too
  EXPECT_EQ(check_descriptor(&d), "");
}

TEST(PluginCatalog, BadFilesBecomeProblemsNotFailures) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "halo-catalog-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "libgarbage.so") << "not an ELF file";
  PluginCatalog catalog;
  catalog.scan({dir.string(), (dir / "missing").string()});
  ASSERT_EQ(catalog.problems().size(), 1u);
  EXPECT_NE(catalog.problems()[0].message.find("cannot load library"), std::string::npos);
  // A system library without the entry symbol is named as not a plugin.
  Status z = catalog.load_file("/lib/x86_64-linux-gnu/libz.so.1");
  EXPECT_FALSE(z.ok());
  EXPECT_NE(z.message().find("not a Halo plugin: no exported symbol 'halo_plugin_entry'"),
            std::string::npos)
      << z.message();
  Status unknown = catalog.not_found(HALO_KIND_SOURCE, "file-jsnl");
  EXPECT_NE(unknown.message().find("unknown source plugin 'file-jsnl'"), std::string::npos);
  EXPECT_EQ(catalog.problems().size(), 2u);
  EXPECT_NE(unknown.message().find("not loaded: " + (dir / "libgarbage.so").string()),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(HostApi, BadArgumentsFromAPluginAreHarmless) {
  const halo_host_api *h = host_api();
  EXPECT_EQ(h->struct_size, sizeof(halo_host_api));
  EXPECT_EQ(h->abi_major, HALO_ABI_MAJOR);
  EventBatch events;
  halo_batch batch{&events};
  const char *s = "unchanged";
  size_t n = 99;
  h->event_name(&batch, 5, &s, &n);  // out of range
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(h->batch_size(nullptr), 0u);
  halo_value v{};
  EXPECT_EQ(h->event_field(&batch, 0, "properties.x", &v), 0);
  h->log(nullptr, HALO_LOG_INFO, "no context");
  h->sink_add_record(nullptr, "x", 1, 1);
  EXPECT_EQ(h->resolve_new_profile(nullptr), 0u);
}

TEST(HostApi, FeatureWriterAcceptsOnlyRealNumbers) {
  const halo_host_api *h = host_api();
  std::string json;
  halo_feature_writer w{&json};
  halo_value ok{HALO_VALUE_NUMBER, 0, 12.5, "12.50", 5};
  halo_value injected{HALO_VALUE_NUMBER, 0, 1, "1,\"x\":2", 7};
  h->feature_number(&w, "a", &ok);
  h->feature_number(&w, "b", &injected);  // falls back to the double
  h->feature_string(&w, "c", "q\"uote", 6);
  EXPECT_EQ(json, R"("a":12.50,"b":1,"c":"q\"uote")");
}

TEST(HostApi, SinkKeepsRecordsPaddedAndOriginsApart) {
  const halo_host_api *h = host_api();
  RawBatch raw;
  halo_sink sink{&raw};
  h->sink_set_origin(&sink, "a.jsonl");
  h->sink_add_record(&sink, "{}", 2, 1);
  h->sink_set_origin(&sink, "b.jsonl");
  h->sink_add_record(&sink, "{\"x\":1}", 7, 4);
  h->sink_add_error(&sink, HALO_REASON_MALFORMED, "bad", "\xff", 1, 5);
  ASSERT_EQ(raw.records.size(), 2u);
  EXPECT_EQ(raw.record(1), "{\"x\":1}");
  EXPECT_GE(raw.readable(1), raw.record(1).size() + RawBatch::kPadding);
  EXPECT_EQ(raw.where(raw.records[0].origin, raw.records[0].position), "a.jsonl:1");
  EXPECT_EQ(raw.where(raw.errors[0].origin, raw.errors[0].position), "b.jsonl:5");
}

}  // namespace
}  // namespace halo
