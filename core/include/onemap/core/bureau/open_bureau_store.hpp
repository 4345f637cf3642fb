#pragma once
// Where the bureau's store lives — a data folder (SQLite, one server) or a PostgreSQL URL
// (several servers) — and the one function that opens it, called by `onemap user`, `onemap
// audit` and `onemap serve` alike. Plain values; any thread; the caller owns the store.
#include <memory>
#include <string>

#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/core/bureau/password_hasher.hpp"

namespace onemap::core::bureau {

/// Exactly one of the two is set.
struct StoreLocation {
    std::string dataFolder;   ///< --data DIR: SqliteBureauStore
    std::string databaseUrl;  ///< --db postgresql://…: PostgresBureauStore

    /// From the command line's --data and --db (either may be ""). InputError unless exactly
    /// one is given, or for a --db that is not a postgresql:// (or postgres://) URL.
    static StoreLocation fromOptions(const std::string& dataFolder, const std::string& databaseUrl);
    /// The folder, or the URL with any password masked: for messages.
    [[nodiscard]] std::string text() const;
};

struct BureauStoreOptions {
    /// Create the store when missing (user add).
    bool create = false;
    Argon2Cost cost = Argon2Cost::production();
};

/// Opens the store at `location`: InputError (one line) as its constructor says.
[[nodiscard]] std::unique_ptr<BureauStore> openBureauStore(const StoreLocation& location,
                                                           const BureauStoreOptions& options);

}  // namespace onemap::core::bureau
