#pragma once
// Private: one prepared SQLite statement (RAII over sqlite3_stmt*) with bound parameters only:
// user text never becomes SQL. One thread at a time (the store's mutex).
#include <cstdint>
#include <string>

struct sqlite3_stmt;

namespace onemap::core::bureau {

class SqliteDatabase;

class SqliteStatement {
  public:
    SqliteStatement(SqliteDatabase& db, const char* sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    /// Binds parameter `index` (1-based); the text is copied.
    SqliteStatement& bind(int index, const std::string& text);
    SqliteStatement& bind(int index, std::int64_t value);
    /// Makes the statement ready to run again, its parameters unbound.
    void reset();
    /// Steps once: true while a row is there, false when done.
    bool step();
    /// Steps to the end (for statements that return no rows).
    void run();
    [[nodiscard]] std::string text(int column) const;
    /// Binds bytes as a BLOB (kept byte for byte, NULs included).
    SqliteStatement& bindBlob(int index, const std::string& bytes);
    [[nodiscard]] std::string blob(int column) const;
    [[nodiscard]] std::int64_t integer(int column) const;
    /// Rows changed by the last run().
    [[nodiscard]] int changes() const;

  private:
    SqliteDatabase& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace onemap::core::bureau
