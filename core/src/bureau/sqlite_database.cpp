#include "bureau/sqlite_database.hpp"

#include <sqlite3.h>

#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

SqliteDatabase::SqliteDatabase(const std::string& path, bool create, int busyTimeoutMs)
    : path_(path) {
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw InputError(path + ": cannot open the bureau store (" + why + ")");
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busyTimeoutMs);
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close_v2(db_); }

void SqliteDatabase::exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const std::string why = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw Error(path_ + ": " + why);
    }
}

void SqliteDatabase::check(int rc, const char* what) const {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    throw Error(path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

int SqliteDatabase::changes() const { return sqlite3_changes(db_); }

}  // namespace onemap::core::bureau
