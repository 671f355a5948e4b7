// store.cpp -- open_store(), the factory behind the Store interface: the one
// place that maps a `store.kind` (store_kind.h) to its backend.
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

}  // namespace halo
