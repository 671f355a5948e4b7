// pos_test_support.h -- shared helpers of the pos-csv unit tests: a fresh
// temp folder per test and short builders for mapping targets.
#pragma once

#include "pos_mapping.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>

namespace halo::plugins::testing {

class TempFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("halo_pos_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path(const std::string &name) const { return (dir_ / name).string(); }
  std::string write(const std::string &name, const std::string &content) const {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return path(name);
  }

  std::filesystem::path dir_;
};

inline PosTarget column(std::string target, std::string from) {
  PosTarget t;
  t.target = std::move(target);
  t.spec.from = std::move(from);
  return t;
}

inline PosTarget literal(std::string target, std::string value) {
  PosTarget t;
  t.target = std::move(target);
  t.spec.literal = std::move(value);
  return t;
}

inline PosTarget date_column(std::string target, std::string from, DateSpec spec) {
  PosTarget t = column(std::move(target), std::move(from));
  t.date = std::move(spec);
  return t;
}

inline PosTarget money_column(std::string target, std::string from, MoneySpec spec,
                              bool refund_sign = false) {
  PosTarget t = column(std::move(target), std::move(from));
  t.money = spec;
  t.refund_sign = refund_sign;
  return t;
}

}  // namespace halo::plugins::testing
