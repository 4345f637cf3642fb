#pragma once
// Helpers of test_bureau: a fresh data folder, a store at the test cost, tampering done with the
// sqlite3 C API straight on the file (never through the library), and the onemap binary run
// through the shell (stdin piped).
#include <sqlite3.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "../scratch.hpp"
#include "onemap/core/bureau/sqlite_bureau_store.hpp"

namespace onemap::test {

/// A data folder path that does not exist yet (the store creates it, mode 0700).
inline std::string freshDataFolder(const std::string& name) {
    return (scratch("bureau-" + name) / "data").string();
}

/// Store options at libsodium's minimum cost, creating the store.
inline core::bureau::SqliteStoreOptions fastStore() {
    core::bureau::SqliteStoreOptions o;
    o.create = true;
    o.cost = core::bureau::Argon2Cost::fastForTests();
    return o;
}

/// Runs SQL on the store's file with the sqlite3 C API, as someone holding the file would.
inline void tamper(const std::string& dataFolder, const std::string& sql) {
    sqlite3* db = nullptr;
    const auto file = core::bureau::SqliteBureauStore::fileIn(dataFolder);
    REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    // A running server's audit writer may hold the write lock for a moment: wait as it would.
    sqlite3_busy_timeout(db, 10000);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string why = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    INFO(why);
    REQUIRE(rc == SQLITE_OK);
}

/// The exit code of `sh -c command`, its output in `out` (stdout and stderr together).
inline int shell(const std::string& command, std::string* out = nullptr) {
    const auto capture = scratch("bureau-shell") / "out.txt";
    const int status =
        std::system(("{ " + command + "; } > " + capture.string() + " 2>&1").c_str());
    if (out) {
        std::FILE* f = std::fopen(capture.c_str(), "rb");
        out->clear();
        if (f) {
            char buf[4096];
            std::size_t n = 0;
            while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
            std::fclose(f);
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace onemap::test
