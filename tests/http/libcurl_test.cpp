// libcurl_test.cpp -- libcurl is loaded on first use (http/libcurl.h): a
// missing or foreign library is an error that says what to install, and
// the installed one provides every function the kernel calls.
#include "http/libcurl.h"

#include <gtest/gtest.h>

#include <string>

namespace halo {
namespace {

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST(Libcurl, AMissingLibraryIsAnErrorThatSaysWhatToInstall) {
  Libcurl table{};
  Status s = load_libcurl_from("libhalo-no-such-curl.so.4", table);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_TRUE(has(s.message(), "libhalo-no-such-curl.so.4")) << s.message();
  EXPECT_TRUE(has(s.message(), "apt-get install libcurl4")) << s.message();
}

TEST(Libcurl, ALibraryWithoutLibcurlsFunctionsIsRefused) {
  Libcurl table{};
  Status s = load_libcurl_from("libz.so.1", table);  // loads, but is not libcurl
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(has(s.message(), "libz.so.1 is not a usable libcurl: it has no curl_global_init"))
      << s.message();
}

TEST(Libcurl, TheInstalledLibraryProvidesEveryFunction) {
  ASSERT_TRUE(load_libcurl().ok()) << load_libcurl().message();
  const Libcurl &curl = libcurl();
  for (const void *fn : {reinterpret_cast<const void *>(curl.global_init),
                         reinterpret_cast<const void *>(curl.easy_init),
                         reinterpret_cast<const void *>(curl.easy_setopt),
                         reinterpret_cast<const void *>(curl.easy_perform),
                         reinterpret_cast<const void *>(curl.easy_getinfo),
                         reinterpret_cast<const void *>(curl.easy_reset),
                         reinterpret_cast<const void *>(curl.easy_cleanup),
                         reinterpret_cast<const void *>(curl.easy_strerror),
                         reinterpret_cast<const void *>(curl.slist_append),
                         reinterpret_cast<const void *>(curl.slist_free_all)}) {
    EXPECT_NE(fn, nullptr);
  }
  EasyHandle handle(curl.easy_init());
  ASSERT_NE(handle, nullptr);
  EXPECT_EQ(curl.easy_setopt(handle.get(), CURLOPT_URL, "http://127.0.0.1:9/"), CURLE_OK);
  EXPECT_STREQ(curl.easy_strerror(CURLE_OK), "No error");
  EXPECT_TRUE(load_libcurl().ok());  // the same answer each time
}

}  // namespace
}  // namespace halo
