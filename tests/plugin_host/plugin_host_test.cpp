// plugin_host_test.cpp -- descriptor checks before anything is trusted, the
// catalog's handling of bad libraries, and host functions that must not
// crash on a plugin's bad arguments.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <halo/sdk.hpp>

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
  NamedValues values;
  halo_feature_writer w{&values};
  halo_value ok{HALO_VALUE_NUMBER, 0, 12.5, "12.50", 5};
  halo_value injected{HALO_VALUE_NUMBER, 0, 1, "1,\"x\":2", 7};
  halo_value nan{HALO_VALUE_NUMBER, 0, std::nan(""), "", 0};
  h->feature_number(&w, "a", &ok);
  h->feature_number(&w, "b", &injected);  // falls back to the double
  h->feature_string(&w, "c", "q\"uote", 6);
  h->feature_number(&w, "d", &nan);  // no JSON number: null, never a silent 0
  h->feature_bool(&w, nullptr, 1);   // no name: ignored
  EXPECT_EQ(json_object(values), R"({"a":12.50,"b":1,"c":"q\"uote","d":null})");
  EXPECT_EQ(values[0].value.kind(), TypedKind::kDecimal);
  EXPECT_EQ(values[1].value.kind(), TypedKind::kDouble);
}

// The SDK writes a double as the shortest text that reads back as it, not
// std::to_string's six decimals.
TEST(HostApi, SdkFeatureWriterKeepsEveryDigitOfADouble) {
  NamedValues values;
  halo_feature_writer w{&values};
  const FeatureWriter writer(host_api(), &w);
  writer.number("sum", 0.1 + 0.2);
  writer.number("tiny", 1.25e-7);
  writer.number("whole", 42.0);
  EXPECT_EQ(json_object(values), R"({"sum":0.30000000000000004,"tiny":1.25e-07,"whole":42})");
}

// What fit() reports: parameters with checked names and finite values (a
// name again keeps the last value), and the model bytes (a later call
// replaces them; more than the limit fails the fit).
TEST(HostApi, ModelWriterChecksParametersAndKeepsTheLastModel) {
  const halo_host_api *h = host_api();
  halo_model_writer w;
  const ModelWriter writer(h, &w);
  writer.param("r", 0.25);
  writer.param("r", 0.5);
  writer.param("alpha_2", 4);
  writer.data(std::string_view("first\0model", 11));
  writer.data(std::string_view("second\0", 7));
  EXPECT_TRUE(w.error.empty()) << w.error;
  ASSERT_EQ(w.params.size(), 2u);
  EXPECT_EQ(w.params[0], (std::pair<std::string, double>("r", 0.5)));
  EXPECT_EQ(w.data, std::string("second\0", 7));
  h->model_data(&w, nullptr, 0);
  EXPECT_TRUE(w.data.empty());
  h->model_data(nullptr, "x", 1);  // no writer: ignored

  halo_model_writer bad_name;
  h->model_param(&bad_name, "\xce\xb1", 2, 1.0);  // "α"
  EXPECT_NE(bad_name.error.find("is not 1 to 64 ASCII letters"), std::string::npos);
  halo_model_writer not_finite;
  h->model_param(&not_finite, "r", 1, std::nan(""));
  EXPECT_NE(not_finite.error.find("'r' is not finite"), std::string::npos);
  halo_model_writer too_big;
  const char byte = 0;
  h->model_data(&too_big, &byte, halo_model_writer::kMaxData + 1);  // the length alone is checked
  EXPECT_NE(too_big.error.find("over the limit"), std::string::npos);
  EXPECT_TRUE(too_big.data.empty());
}

// The typed accessors a destination reads instead of parsing profile_json.
TEST(HostApi, DestinationsReadProfilesTyped) {
  const halo_host_api *h = host_api();
  ASSERT_TRUE(HALO_HOST_HAS(h, profile_updated_at_ms));
  std::vector<ProfileExport> profiles(1);
  ProfileExport &p = profiles[0];
  p.id = 9;
  p.identifiers = {{"email", "a@x.ir"}, {"phone", "+989121234567"}};
  p.traits = {{"age", TypedValue::integer(-42)},
              {"balance", TypedValue::decimal("19.90")},
              {"birthday", TypedValue::timestamp(1767348000123)},
              {"name", TypedValue::string("Sara")},
              {"tags", TypedValue::string_list({"a", "b\"c"})}};
  p.features = {{"vip", TypedValue::boolean(true)}, {"score", TypedValue::real(0.5)}};
  p.updated_at_ms = 77;
  p.segments = {"at_risk", "vip"};
  std::vector<std::string> json{export_profile_json(p)};
  std::vector<uint64_t> ids{9};
  halo_profile_batch b{&json, &ids, &profiles, {}};

  halo_value v{};
  auto text = [&] { return std::string(v.str, v.len); };
  EXPECT_EQ(h->profile_trait(&b, 0, "age", &v), HALO_TYPED_INTEGER);
  EXPECT_EQ(v.kind, HALO_VALUE_NUMBER);
  EXPECT_EQ(text(), "-42");
  EXPECT_EQ(v.number, -42.0);
  EXPECT_EQ(h->profile_trait(&b, 0, "balance", &v), HALO_TYPED_DECIMAL);
  EXPECT_EQ(text(), "19.90");
  EXPECT_EQ(h->profile_trait(&b, 0, "birthday", &v), HALO_TYPED_TIMESTAMP);
  EXPECT_EQ(v.kind, HALO_VALUE_STRING);
  EXPECT_EQ(text(), "2026-01-02T10:00:00.123Z");
  EXPECT_EQ(v.number, 1767348000123.0);
  EXPECT_EQ(h->profile_trait(&b, 0, "name", &v), HALO_TYPED_STRING);
  EXPECT_EQ(text(), "Sara");
  EXPECT_EQ(h->profile_trait(&b, 0, "tags", &v), HALO_TYPED_STRING_LIST);
  EXPECT_EQ(text(), R"(["a","b\"c"])");
  EXPECT_EQ(v.number, 2.0);
  EXPECT_EQ(h->profile_trait(&b, 0, "missing", &v), 0);
  EXPECT_EQ(v.kind, HALO_VALUE_NULL);
  EXPECT_EQ(h->profile_trait(&b, 1, "age", &v), 0);  // out of range
  EXPECT_EQ(h->profile_trait(nullptr, 0, "age", &v), 0);

  ASSERT_EQ(h->profile_trait_count(&b, 0), 5u);
  const char *name = nullptr;
  size_t name_len = 0;
  EXPECT_EQ(h->profile_trait_at(&b, 0, 4, &name, &name_len, &v), HALO_TYPED_STRING_LIST);
  EXPECT_EQ(std::string(name, name_len), "tags");
  EXPECT_EQ(h->profile_trait_at(&b, 0, 5, &name, &name_len, &v), 0);

  EXPECT_EQ(h->profile_feature(&b, 0, "vip", &v), HALO_TYPED_BOOL);
  EXPECT_EQ(v.boolean, 1);
  ASSERT_EQ(h->profile_feature_count(&b, 0), 2u);
  EXPECT_EQ(h->profile_feature_at(&b, 0, 1, &name, &name_len, &v), HALO_TYPED_DOUBLE);
  EXPECT_EQ(std::string(name, name_len), "score");
  EXPECT_EQ(text(), "0.5");

  ASSERT_EQ(h->profile_identifier_count(&b, 0), 2u);
  const char *type = nullptr, *value = nullptr;
  size_t type_len = 0, value_len = 0;
  EXPECT_EQ(h->profile_identifier_at(&b, 0, 1, &type, &type_len, &value, &value_len), 1);
  EXPECT_EQ(std::string(type, type_len), "phone");
  EXPECT_EQ(std::string(value, value_len), "+989121234567");
  EXPECT_EQ(h->profile_identifier_at(&b, 0, 2, &type, &type_len, &value, &value_len), 0);
  EXPECT_EQ(h->profile_updated_at_ms(&b, 0), 77);
  ASSERT_EQ(h->profile_segment_count(&b, 0), 2u);
  EXPECT_EQ(h->profile_segment_at(&b, 0, 1, &name, &name_len), 1);
  EXPECT_EQ(std::string(name, name_len), "vip");
  EXPECT_EQ(h->profile_segment_at(&b, 0, 2, &name, &name_len), 0);
  EXPECT_EQ(name_len, 0u);
  EXPECT_EQ(h->profile_segment_count(&b, 1), 0u);  // out of range

  halo_profile_batch untyped{&json, &ids, nullptr, {}};  // typed data absent
  EXPECT_EQ(h->profile_trait(&untyped, 0, "age", &v), 0);
  EXPECT_EQ(h->profile_trait_count(&untyped, 0), 0u);
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

namespace halo {
namespace {

TEST(HostApi, EventRejectRecordsOnlyValidCallsAndBoundsTheText) {
  const halo_host_api *api = host_api();
  ASSERT_TRUE(HALO_HOST_HAS(api, event_reject));
  EventBatch events;
  events.events.resize(2);
  std::vector<EventRejection> rejected;
  halo_batch b{&events, &rejected};
  api->event_reject(&b, 1, "not_a_number", "revenue is \"abc\"");
  api->event_reject(&b, 2, "out_of_range_index", "ignored");  // no such event
  api->event_reject(nullptr, 0, "x", "ignored");
  api->event_reject(&b, 0, nullptr, nullptr);  // defaults, no crash
  std::string long_reason(500, 'r'), long_message(100000, 'm');
  api->event_reject(&b, 0, long_reason.c_str(), long_message.c_str());
  halo_batch outside_a_call{&events, nullptr};
  api->event_reject(&outside_a_call, 0, "x", "ignored");
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ(rejected[0].index, 1u);
  EXPECT_EQ(rejected[0].reason, "not_a_number");
  EXPECT_EQ(rejected[0].message, "revenue is \"abc\"");
  EXPECT_EQ(rejected[1].reason, "rejected");
  EXPECT_EQ(rejected[1].message, "");
  EXPECT_EQ(rejected[2].reason.size(), EventRejection::kMaxReason);
  EXPECT_EQ(rejected[2].message.size(), EventRejection::kMaxMessage);
}

TEST(HostApi, ALinkNamesItsEventOnlyWithinTheBatch) {
  const halo_host_api *api = host_api();
  ASSERT_TRUE(HALO_HOST_HAS(api, resolve_link_event));
  ResolutionOut out;
  uint64_t next_id = 1;
  out.reset(3, &next_id);
  halo_resolution r{&out};
  api->resolve_link_event(&r, 2, "email", 5, "a@x.ir", 6, 7);
  api->resolve_link_event(&r, 3, "email", 5, "b@x.ir", 6, 7);  // no event 3
  api->resolve_link_event(&r, 0, "email", 5, "c@x.ir", 6, 0);  // no profile 0: ignored
  api->resolve_link(&r, "phone", 5, "+989121110000", 13, 7);
  ASSERT_EQ(out.links.size(), 3u);
  EXPECT_EQ(out.links[0].value, "a@x.ir");
  EXPECT_EQ(out.links[0].event, 2u);
  EXPECT_EQ(out.links[0].profile, 7u);
  // Out of range, as resolve_link: the pipeline credits the first carrier.
  EXPECT_EQ(out.links[1].event, ResolutionOut::kUnknownEvent);
  EXPECT_EQ(out.links[2].event, ResolutionOut::kUnknownEvent);
}

}  // namespace
}  // namespace halo

namespace halo {
namespace {

namespace fs = std::filesystem;

// A scratch plugin directory (mode 0755) removed by the destructor.
struct PluginDir {
  fs::path path;
  explicit PluginDir(const std::string &name) : path(fs::temp_directory_path() / name) {
    fs::remove_all(path);
    fs::create_directories(path);
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
  }
  ~PluginDir() { fs::remove_all(path); }
  fs::path bundled(const std::string &library) const {
    return fs::path(PluginCatalog::bundled_dir()) / library;
  }
};

TEST(PluginCatalog, LoadsOnlyTheLibrariesThePipelineUses) {
  PluginDir dir("halo-catalog-needed");
  fs::copy_file(dir.bundled("libhalo-file-jsonl.so"), dir.path / "libhalo-vendor-a.so");
  std::ofstream(dir.path / "libhalo-junk.so") << "would be a problem if it were loaded";
  PluginCatalog catalog;
  catalog.load_for(PluginCatalog::search_dirs({dir.path.string()}),
                   {{HALO_KIND_SOURCE, "file-jsonl"}, {HALO_KIND_FEATURE, "aggregates"}});
  ASSERT_NE(catalog.find(HALO_KIND_SOURCE, "file-jsonl"), nullptr);
  ASSERT_NE(catalog.find(HALO_KIND_FEATURE, "aggregates"), nullptr);
  // Nothing else was opened (file-jsonl's library also holds a destination)
  // ...
  for (const PluginInfo &p : catalog.plugins()) {
    EXPECT_TRUE(p.path == dir.bundled("libhalo-file-jsonl.so").string() ||
                p.path == dir.bundled("libhalo-aggregates.so").string())
        << p.path;
  }
  EXPECT_EQ(catalog.plugins().size(), 3u);
  EXPECT_TRUE(catalog.problems().empty());  // ... not even the junk file
  // A plugin no file is named after makes the catalog look at everything.
  catalog.load_for({dir.path.string()}, {{HALO_KIND_SOURCE, "not-there"}});
  EXPECT_EQ(catalog.problems().size(), 2u);  // the junk, and the vendor copy's clash
}

TEST(PluginCatalog, RefusesWorldWritableFilesAndDirectories) {
  PluginDir dir("halo-catalog-writable");
  fs::path lib = dir.path / "libhalo-file-jsonl.so";
  fs::copy_file(dir.bundled("libhalo-file-jsonl.so"), lib);
  fs::permissions(lib, fs::perms::others_write, fs::perm_options::add);
  PluginCatalog catalog;
  Status s = catalog.load_file(lib.string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the file is world-writable"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("chmod o-w " + lib.string()), std::string::npos) << s.message();

  fs::permissions(lib, fs::perms::others_write, fs::perm_options::remove);
  fs::permissions(dir.path, fs::perms::others_write, fs::perm_options::add);
  PluginCatalog again;
  s = again.load_file(lib.string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("its directory " + dir.path.string() + " is world-writable"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(again.find(HALO_KIND_SOURCE, "file-jsonl"), nullptr);
}

TEST(PluginCatalog, AVendorLibraryCannotTakeABundledName) {
  PluginDir dir("halo-catalog-clash");
  // The vendor directory comes first in the search path, yet the bundled
  // plugin keeps its name and the vendor copy is refused, saying why.
  fs::copy_file(dir.bundled("libhalo-file-jsonl.so"), dir.path / "libacme.so");
  PluginCatalog catalog;
  catalog.scan(PluginCatalog::search_dirs({dir.path.string()}));
  const PluginInfo *p = catalog.find(HALO_KIND_SOURCE, "file-jsonl");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(fs::path(p->path).parent_path(), fs::path(PluginCatalog::bundled_dir()));
  bool refused = false;
  for (const PluginProblem &problem : catalog.problems()) {
    if (problem.path != (dir.path / "libacme.so").string()) continue;
    refused = true;
    EXPECT_NE(problem.message.find("already provided by the bundled library"), std::string::npos)
        << problem.message;
    EXPECT_NE(problem.message.find("give the plugin another name"), std::string::npos);
  }
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace halo
