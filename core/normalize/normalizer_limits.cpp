// normalizer_limits.cpp -- the EventLimits checks of the walk and the
// wording of their dead letters: each names the field path, the limit, its
// value and the pipeline key that raises it (limits.h).
#include "normalize/normalizer_impl.h"
#include "normalize/reject.h"

namespace halo {

namespace {

constexpr size_t kShownPathBytes = 120;

}  // namespace

std::string raise_hint(const char *limit, uint64_t value) {
  return "; raise " + limit_key(limit) + " in the pipeline file (now " + std::to_string(value) +
         ") if such records are expected";
}

simdjson::error_code NormalizerImpl::stop(std::string_view reason, std::string message) {
  stopped_ = true;
  reject(why_, reason, std::move(message));
  return kStop;
}

std::string NormalizerImpl::shown_path(std::string_view suffix) const {
  std::string path = path_;
  if (!suffix.empty()) {
    if (!path.empty()) path.push_back('.');
    path.append(suffix.substr(0, kShownPathBytes));
  }
  if (path.size() <= kShownPathBytes) return path;
  // Deep paths: keep the start and the end, which say where to look.
  return path.substr(0, kShownPathBytes / 2) + "..." +
         path.substr(path.size() - kShownPathBytes / 2);
}

simdjson::error_code NormalizerImpl::reject_too_deep() {
  const uint32_t limit = options_.limits.max_depth;
  return stop(rejection::kTooDeep, "the record nests objects/arrays more than " +
                                       std::to_string(limit) + " levels deep (at `" + shown_path() +
                                       "`); flatten it" + raise_hint("max_depth", limit));
}

simdjson::error_code NormalizerImpl::check_string(std::string_view path_suffix,
                                                  std::string_view s) {
  const size_t limit = options_.limits.max_string_bytes;
  if (s.size() <= limit) return simdjson::SUCCESS;
  return stop(rejection::kStringTooLong,
              "a string at `" + shown_path(path_suffix) + "` has " + std::to_string(s.size()) +
                  " bytes, more than the limit of " + std::to_string(limit) + "; shorten it" +
                  raise_hint("max_string_bytes", limit));
}

simdjson::error_code NormalizerImpl::count_value() {
  const uint32_t limit = options_.limits.max_fields;
  if (++values_ <= limit) return simdjson::SUCCESS;
  return stop(rejection::kTooManyFields, "the record has more than " + std::to_string(limit) +
                                             " fields (values: scalars, objects and arrays; "
                                             "stopped at `" +
                                             shown_path() + "`); split it" +
                                             raise_hint("max_fields", limit));
}

}  // namespace halo
