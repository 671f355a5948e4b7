// store.cpp -- open_store(), the factory behind the Store interface: the one
// place that maps a `store.kind` (store_kind.h) to its backend; and what
// the interface derives from its backends' calls.
#include "store/store.h"

#include "store/sqlite_store.h"

namespace halo {

Result<std::unique_ptr<Store>> open_store(std::string_view kind, const std::string &path,
                                          const StoreOpenOptions &options) {
  if (kind == "sqlite") {
    auto store = SqliteStore::open(path, options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  if (is_planned_store_kind(kind)) return Status::Invalid(planned_store_kind_message(kind));
  return Status::Invalid("unknown store kind '" + std::string(kind) +
                         "' (known kinds: " + store_kinds_text() + ")");
}

Result<std::vector<std::pair<std::string, std::string>>> Store::identifiers_of(
    uint64_t profile_id) {
  auto links = links_of(profile_id);
  if (!links.ok()) return links.status();
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(links->size());
  for (StoredLink &l : *links) out.emplace_back(std::move(l.type), std::move(l.value));
  return out;
}

}  // namespace halo
