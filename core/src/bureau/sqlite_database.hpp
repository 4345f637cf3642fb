#pragma once
// Private: one SQLite connection (RAII over sqlite3*) and its busy timeout. One thread at a time
// (the store's mutex).
#include <string>

struct sqlite3;

namespace onemap::core::bureau {

class SqliteDatabase {
  public:
    /// Opens `path` read-write (creating it when `create`); InputError naming the file otherwise.
    SqliteDatabase(const std::string& path, bool create, int busyTimeoutMs);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    /// Runs SQL text that takes no parameters (schema, pragmas, BEGIN/COMMIT).
    void exec(const char* sql);
    /// Throws Error with SQLite's message when `rc` is not one of the success codes.
    void check(int rc, const char* what) const;
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    [[nodiscard]] int changes() const;
    [[nodiscard]] sqlite3* handle() const { return db_; }
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

}  // namespace onemap::core::bureau
