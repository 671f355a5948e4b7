// pipeline_file_test.cpp -- reading the pipeline file from disk: only regular
// files, never blocking on a FIFO, never reading a device without end, and a
// size cap that refuses instead of truncating.
#include "config/pipeline_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

#include "config/pipeline_config.h"
#include "config/yaml_limits.h"
#include "test_env.h"

namespace halo {
namespace {

namespace fs = std::filesystem;
using testing::fake_env;

const std::string kPipeline =
    "version: 1\nstore: { path: var/halo.db }\nsources: [ { name: web, plugin: file-jsonl } ]\n";

class PipelineFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "halo-pfile-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string &name, const std::string &content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  fs::path dir_;
};

TEST_F(PipelineFile, FifoIsRefusedWithoutWaitingForAWriter) {
  const std::string fifo = (dir_ / "pipe.yaml").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto result = std::async(std::launch::async, [&] { return read_pipeline_file(fifo); });
  if (result.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    // Release the blocked reader so the test can end, then fail.
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    if (fd >= 0) ::close(fd);
    result.wait();
    FAIL() << "reading a FIFO blocked";
  }
  Result<std::string> r = result.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), fifo +
                                      ": a FIFO (named pipe), not a regular file; a pipeline file "
                                      "must be a regular file");
}

TEST_F(PipelineFile, DevZeroIsRefusedAsADevice) {
  Result<std::string> r = read_pipeline_file("/dev/zero");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "/dev/zero: a character device, not a regular file; a pipeline file must be a "
            "regular file");
  // And through the loader the CLI uses.
  Result<PipelineConfig> cfg = load_pipeline("/dev/zero", fake_env({}));
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("character device"), std::string::npos);
}

TEST_F(PipelineFile, DirectoryIsRefused) {
  Result<std::string> r = read_pipeline_file(dir_.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), dir_.string() +
                                      ": a directory, not a regular file; a pipeline file must be "
                                      "a regular file");
}

TEST_F(PipelineFile, FileOverTheLimitIsRefusedNotTruncated) {
  const std::string path = write("big.yaml", kPipeline + "# " + std::string(kMaxYamlBytes, 'x'));
  Result<std::string> r = read_pipeline_file(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), path +
                                      ": the pipeline file is larger than 4 MiB (4194304 bytes), "
                                      "the limit for pipeline files");
}

TEST_F(PipelineFile, FileAtTheLimitIsReadWhole) {
  std::string text = kPipeline + "#";
  text += std::string(kMaxYamlBytes - text.size() - 1, 'x') + "\n";
  ASSERT_EQ(text.size(), kMaxYamlBytes);
  const std::string path = write("edge.yaml", text);
  Result<std::string> r = read_pipeline_file(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value(), text);
  Result<PipelineConfig> cfg = load_pipeline(path, fake_env({}));
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
}

TEST_F(PipelineFile, SymlinkToARegularFileIsRead) {
  const std::string target = write("real.yaml", kPipeline);
  const std::string link = (dir_ / "link.yaml").string();
  fs::create_symlink(target, link);
  Result<PipelineConfig> cfg = load_pipeline(link, fake_env({}));
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->sources.size(), 1u);
}

TEST_F(PipelineFile, MissingFileIsAnIoErrorNamingIt) {
  Result<std::string> r = read_pipeline_file((dir_ / "absent.yaml").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIo);
  EXPECT_NE(r.status().message().find("absent.yaml: No such file or directory"), std::string::npos);
}

}  // namespace
}  // namespace halo
