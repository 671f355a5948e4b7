// store_path_test.cpp -- check_store_path(): a path `halo run` could create
// and open passes; a path under a regular file, a directory, a FIFO does
// not, with the offending path named; and the check creates nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store/store_path.h"

namespace halo {
namespace {

namespace fs = std::filesystem;

class StorePathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "halo-store-path-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string at(const std::string &rel) const { return (dir_ / rel).string(); }
  fs::path dir_;
};

TEST_F(StorePathTest, NewPathInMissingDirectoriesPassesAndCreatesNothing) {
  EXPECT_TRUE(check_store_path(at("var/deep/halo.db")).ok());
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(StorePathTest, ExistingRegularFilePasses) {
  std::ofstream(at("halo.db")) << "";
  EXPECT_TRUE(check_store_path(at("halo.db")).ok());
}

TEST_F(StorePathTest, PathUnderARegularFileIsInvalid) {
  std::ofstream(at("blocker")) << "x";
  Status s = check_store_path(at("blocker/sub/halo.db"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find(at("blocker") + " is a regular file, not a directory"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("store.path"), std::string::npos) << s.message();
}

TEST_F(StorePathTest, DirectoryOrFifoIsInvalid) {
  fs::create_directories(at("halo.db"));
  Status s = check_store_path(at("halo.db"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("is a directory, not a SQLite database file"), std::string::npos)
      << s.message();
  ASSERT_EQ(mkfifo(at("pipe.db").c_str(), 0600), 0);
  s = check_store_path(at("pipe.db"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("a FIFO (named pipe)"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace halo
