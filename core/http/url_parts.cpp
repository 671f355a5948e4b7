// url_parts.cpp -- see url_parts.h. Plain string slicing: the URLs come from
// plugins and are validated by libcurl; these functions only have to cut them
// at the right characters.
#include "http/url_parts.h"

#include "common/ascii.h"

namespace halo {
namespace {

// Offset of the authority (after "scheme://"), or 0 when there is no scheme.
size_t authority_begin(std::string_view url) {
  size_t p = url.find("://");
  return p == std::string_view::npos ? 0 : p + 3;
}

size_t authority_end(std::string_view url, size_t begin) {
  size_t e = url.find_first_of("/?#", begin);
  return e == std::string_view::npos ? url.size() : e;
}

}  // namespace

std::string url_without_query(std::string_view url) {
  size_t cut = url.find_first_of("?#");
  std::string_view base = url.substr(0, cut);
  size_t a = authority_begin(base);
  size_t e = authority_end(base, a);
  size_t at = base.substr(a, e - a).rfind('@');
  if (at == std::string_view::npos) return std::string(base);
  return std::string(base.substr(0, a)) + std::string(base.substr(a + at + 1));
}

std::string url_path(std::string_view url) {
  size_t a = authority_begin(url);
  size_t e = authority_end(url, a);
  size_t cut = url.find_first_of("?#", e);
  std::string path(url.substr(e, cut == std::string_view::npos ? std::string_view::npos : cut - e));
  return path.empty() ? "/" : path;
}

std::string url_host(std::string_view url) {
  size_t a = authority_begin(url);
  std::string_view auth = url.substr(a, authority_end(url, a) - a);
  size_t at = auth.rfind('@');
  if (at != std::string_view::npos) auth.remove_prefix(at + 1);
  if (!auth.empty() && auth.front() == '[') return std::string(auth.substr(0, auth.find(']') + 1));
  return std::string(auth.substr(0, auth.find(':')));
}

std::string url_scheme(std::string_view url) {
  size_t p = url.find("://");
  if (p == std::string_view::npos) return {};
  return ascii_lower(url.substr(0, p));
}

std::string url_origin(std::string_view url) {
  size_t a = authority_begin(url);
  std::string_view auth = url.substr(a, authority_end(url, a) - a);
  size_t at = auth.rfind('@');
  if (at != std::string_view::npos) auth.remove_prefix(at + 1);
  return url_scheme(url) + "://" + ascii_lower(auth);
}

}  // namespace halo
