// profile_file_patch_test.cpp -- a delivery of changes applied to the file
// written before: replacements, insertions and removals land in id order,
// applying the same changes twice gives the same file, and a file the
// destination did not write (edited, reordered, torn, missing) is refused.
#include "profile_file_patch.h"

#include "common/block_buffer.h"
#include "file_test_support.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace halo::plugins {
namespace {

namespace fs = std::filesystem;

using testing::slurp;

void spit(const fs::path &p, const std::string &bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

std::string line(uint64_t id, const std::string &tag) {
  return "{\"profile_id\":\"" + std::to_string(id) + "\",\"traits\":{\"v\":\"" + tag + "\"}}";
}

class ProfileFilePatchTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    fs::create_directories(dir_);
    path_ = (dir_ / "profiles.jsonl").string();
  }

  void apply(ProfileFilePatch &patch) {
    AtomicFileWriter out;
    out.open(path_);
    patch.write(path_, out);
    out.commit();
  }

  std::string path_;
};

TEST(ExportLineId, ReadsTheLeadingProfileIdAndNothingElse) {
  EXPECT_EQ(export_line_id(line(42, "x")), 42u);
  EXPECT_EQ(export_line_id("{\"profile_id\":\"18446744073709551615\"}"), UINT64_MAX);
  EXPECT_FALSE(export_line_id("{\"profile_id\":\"18446744073709551616\"}"));  // overflows
  EXPECT_FALSE(export_line_id("{\"profile_id\":\"\"}"));
  EXPECT_FALSE(export_line_id("{\"profile_id\":\"12"));
  EXPECT_FALSE(export_line_id("{\"profile_id\":\"1x\"}"));
  EXPECT_FALSE(export_line_id("{\"profile_id\":1}"));
  EXPECT_FALSE(export_line_id(" {\"profile_id\":\"1\"}"));
  EXPECT_FALSE(export_line_id(""));
}

TEST_F(ProfileFilePatchTest, OnlyAnIntactExportIsPatchable) {
  EXPECT_FALSE(ProfileFilePatch::patchable(path_)) << "missing";
  spit(path_, "");
  EXPECT_TRUE(ProfileFilePatch::patchable(path_)) << "an export of no profiles";
  spit(path_, line(1, "a") + "\n" + line(5, "b") + "\n");
  EXPECT_TRUE(ProfileFilePatch::patchable(path_));
  spit(path_, line(5, "b") + "\n" + line(1, "a") + "\n");
  EXPECT_FALSE(ProfileFilePatch::patchable(path_)) << "reordered";
  spit(path_, line(1, "a") + "\n" + line(1, "b") + "\n");
  EXPECT_FALSE(ProfileFilePatch::patchable(path_)) << "an id twice";
  spit(path_, line(1, "a") + "\n" + line(5, "b"));
  EXPECT_FALSE(ProfileFilePatch::patchable(path_)) << "torn last line";
  spit(path_, line(1, "a") + "\n# edited by hand\n");
  EXPECT_FALSE(ProfileFilePatch::patchable(path_)) << "a foreign line";
  spit(path_, line(1, std::string(kMaxPatchLineBytes, 'x')) + "\n");
  EXPECT_FALSE(ProfileFilePatch::patchable(path_)) << "a line over the limit";
  spit(path_, line(1, std::string(kMaxPatchLineBytes - 100, 'x')) + "\n");
  EXPECT_TRUE(ProfileFilePatch::patchable(path_)) << "a long line within it";
  fs::remove(path_);
  fs::create_directories(path_);
  EXPECT_FALSE(ProfileFilePatch::patchable(path_)) << "a directory";
}

TEST_F(ProfileFilePatchTest, ChangesLandInIdOrderAndApplyingThemTwiceChangesNothing) {
  spit(path_,
       line(1, "a") + "\n" + line(3, "a") + "\n" + line(5, "a") + "\n" + line(7, "a") + "\n");
  auto changes = [] {
    ProfileFilePatch p;
    p.replace(9, line(9, "new"));
    p.replace(3, line(3, "b"));
    p.replace(1, line(1, "b"));
    p.replace(1, line(1, "c"));  // the last replacement wins
    p.replace(4, line(4, "new"));
    p.remove(5);
    p.remove(8);  // not in the file: ignored
    p.replace(7, line(7, "b"));
    p.remove(7);  // changed, then merged away
    return p;
  };
  const std::string expected =
      line(1, "c") + "\n" + line(3, "b") + "\n" + line(4, "new") + "\n" + line(9, "new") + "\n";
  ProfileFilePatch first = changes();
  apply(first);
  EXPECT_EQ(slurp(path_), expected);
  EXPECT_TRUE(ProfileFilePatch::patchable(path_));
  ProfileFilePatch again = changes();
  apply(again);
  EXPECT_EQ(slurp(path_), expected);
}

TEST_F(ProfileFilePatchTest, LongLinesAndManyProfilesStreamThrough) {
  // Lines longer than one read block, and more lines than one block holds.
  std::string big(3 << 20, 'x');
  std::string before, expected;
  for (uint64_t id = 1; id <= 20'000; ++id) {
    std::string l = line(id, id == 10'000 ? big : "a");
    before += l + "\n";
    if (id % 2 == 0) expected += (id == 10'000 ? line(id, "small") : l) + "\n";
  }
  spit(path_, before);
  ProfileFilePatch patch;
  for (uint64_t id = 1; id <= 20'000; id += 2) patch.remove(id);
  patch.replace(10'000, line(10'000, "small"));
  apply(patch);
  EXPECT_EQ(slurp(path_), expected);
}

TEST_F(ProfileFilePatchTest, AFileChangedSinceTheCheckIsNotPatched) {
  spit(path_, line(1, "a") + "\n" + line(2, "a") + "\n");
  ASSERT_TRUE(ProfileFilePatch::patchable(path_));
  spit(path_, line(2, "a") + "\n" + line(1, "a") + "\n");
  ProfileFilePatch patch;
  patch.replace(1, line(1, "b"));
  AtomicFileWriter out;
  out.open(path_);
  EXPECT_THROW(patch.write(path_, out), IoError);
  out.abort();
  EXPECT_EQ(slurp(path_), line(2, "a") + "\n" + line(1, "a") + "\n") << "left as it was";
}

}  // namespace
}  // namespace halo::plugins
