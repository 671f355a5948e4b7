// normalizer.cpp -- Normalizer's public face and the top of NormalizerImpl:
// size check, parse, resolve, commit, in that order (each later step runs
// only when the earlier ones accepted the record).
#include "normalize/normalizer.h"

#include <algorithm>

#include "common/utf8.h"
#include "normalize/normalizer_impl.h"
#include "normalize/persian.h"
#include "normalize/reject.h"

namespace halo {

Normalizer::Normalizer(NormalizeOptions options)
    : impl_(std::make_unique<NormalizerImpl>(std::move(options))) {}
Normalizer::~Normalizer() = default;
Normalizer::Normalizer(Normalizer &&) noexcept = default;
Normalizer &Normalizer::operator=(Normalizer &&) noexcept = default;

bool Normalizer::normalize(std::string_view raw, std::string_view source, int64_t received_at_ms,
                           EventBatch &out, Rejection *why) {
  return impl_->normalize(raw, 0, source, received_at_ms, out, why, false);
}

bool Normalizer::normalize(std::string_view raw, size_t readable_capacity, std::string_view source,
                           int64_t received_at_ms, EventBatch &out, Rejection *why,
                           RawBytes bytes) {
  return impl_->normalize(raw, readable_capacity, source, received_at_ms, out, why,
                          bytes == RawBytes::kBorrow);
}

uint64_t Normalizer::blocked_identifiers() const {
  return impl_->blocked_identifiers();
}
const std::vector<IdentifierProblem> &Normalizer::identifier_problems() const {
  return impl_->identifier_problems();
}
const std::vector<KindProblem> &Normalizer::kind_problems() const {
  return impl_->kind_problems();
}

NormalizerImpl::NormalizerImpl(NormalizeOptions options)
    : options_(std::move(options)), hash_state_(XXH3_createState()) {
  // Slots are laid out rule by rule, path by path, so "first path wins" is
  // "lowest slot of the rule wins".
  uint32_t slot = 0;
  for (const IdentifierRule &rule : options_.identifiers) {
    rule_slot_begin_.push_back(slot);
    for (const std::string &path : rule.paths) watch_path(path, slot++);
  }
  candidates_.resize(slot);
  // Page and screen names are stored with Persian/Arabic letter variants
  // folded (persian.h); a plan names them in either form.
  for (const auto &entry : options_.event_properties) {
    if (has_non_ascii(entry.first))
      folded_plan_.emplace(fold_persian_letters(entry.first), &entry.second);
    const bool lists = std::any_of(entry.second.begin(), entry.second.end(), [](const auto &p) {
      return p.first.find("[]") != p.first.npos;
    });
    if (lists) plans_with_lists_.push_back(&entry.second);
  }
}

void NormalizerImpl::watch_path(std::string_view path, uint32_t slot) {
  watched_lengths_ |= path.size() < 64 ? uint64_t{1} << path.size() : uint64_t{1} << 63;
  const uint64_t hash = path_hash(path);
  if (const PathTable::Entry *e = path_slots_.find(path, hash)) {
    slot_lists_[e->value].push_back(slot);
    return;
  }
  path_slots_.insert(path, hash, static_cast<uint32_t>(slot_lists_.size()));
  slot_lists_.push_back({slot});
}

NormalizerImpl::~NormalizerImpl() {
  XXH3_freeState(hash_state_);
}

bool NormalizerImpl::normalize(std::string_view raw, size_t readable_capacity,
                               std::string_view source, int64_t received_at_ms, EventBatch &out,
                               Rejection *why, bool borrow_raw) {
  problems_.clear();
  kind_problems_.clear();
  const size_t limit = options_.limits.max_record_bytes;
  if (raw.size() > limit) {
    reject(why, rejection::kTooLarge,
           "the record has " + std::to_string(raw.size()) + " bytes, more than the limit of " +
               std::to_string(limit) + "; split it, or raise " + limit_key("max_record_bytes") +
               " in the pipeline file (and the source's own max_record_bytes option)");
    return false;
  }
  const bool ok = parse(raw, readable_capacity, why) &&
                  resolve_header(raw, source, received_at_ms, why) &&
                  resolve_identifiers(source, why);
  if (ok) {
    if (!options_.trait_kinds.empty()) check_trait_kinds();
    if (!options_.event_properties.empty()) check_property_kinds();
    commit(raw, borrow_raw, source, received_at_ms, out);
  } else {
    problems_.clear();
  }
  if (raw.size() > kKeepScratchBytes) release_scratch();
  return ok;
}

void NormalizerImpl::release_scratch() {
  parser_ = simdjson::ondemand::parser{};  // allocates again on the next record
  doc_ = simdjson::ondemand::document{};
  std::vector<char>().swap(padded_);
  parse_buf_ = nullptr;
  std::vector<PendingLeaf>().swap(leaves_);
  std::string().swap(path_);
  std::string().swap(path_text_);
  object_keys_ = ObjectKeys{};
}

void NormalizerImpl::reject_malformed(simdjson::error_code err, std::string_view raw,
                                      const char *buf, Rejection *why) {
  if (err == simdjson::UTF8_ERROR || !simdjson::validate_utf8(raw.data(), raw.size())) {
    size_t at = first_invalid_utf8(raw);
    reject(why, rejection::kInvalidUtf8,
           "the record is not valid UTF-8" +
               (at == std::string_view::npos
                    ? std::string()
                    : " (first bad byte at offset " + std::to_string(at) + ")") +
               "; re-encode the source as UTF-8");
    return;
  }
  std::string message = "invalid JSON: ";
  message += simdjson::error_message(err);
  const char *where = nullptr;
  if (buf != nullptr && doc_.current_location().get(where) == simdjson::SUCCESS && where >= buf &&
      where <= buf + raw.size()) {
    message += " (near byte " + std::to_string(where - buf) + ")";
  }
  reject(why, rejection::kMalformedJson, std::move(message));
}

}  // namespace halo
