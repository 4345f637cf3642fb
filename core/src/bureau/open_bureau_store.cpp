#include "onemap/core/bureau/open_bureau_store.hpp"

#include "bureau/postgres_connection.hpp"
#include "onemap/core/bureau/postgres_bureau_store.hpp"
#include "onemap/core/bureau/sqlite_bureau_store.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

StoreLocation StoreLocation::fromOptions(const std::string& dataFolder,
                                         const std::string& databaseUrl) {
    if (dataFolder.empty() == databaseUrl.empty())
        throw InputError("give exactly one of --data DIR (SQLite) and --db URL (PostgreSQL)");
    if (!databaseUrl.empty() && databaseUrl.rfind("postgresql://", 0) != 0 &&
        databaseUrl.rfind("postgres://", 0) != 0)
        throw InputError("--db " + maskConnectionUrl(databaseUrl) +
                         ": not a PostgreSQL URL (postgresql://user@host:port/database)");
    return {dataFolder, databaseUrl};
}

std::string StoreLocation::text() const {
    return databaseUrl.empty() ? dataFolder : maskConnectionUrl(databaseUrl);
}

std::unique_ptr<BureauStore> openBureauStore(const StoreLocation& location,
                                             const BureauStoreOptions& options) {
    if (!location.databaseUrl.empty()) {
        PostgresStoreOptions o;
        o.create = options.create;
        o.cost = options.cost;
        return std::make_unique<PostgresBureauStore>(location.databaseUrl, o);
    }
    SqliteStoreOptions o;
    o.create = options.create;
    o.cost = options.cost;
    return std::make_unique<SqliteBureauStore>(location.dataFolder, o);
}

}  // namespace onemap::core::bureau
