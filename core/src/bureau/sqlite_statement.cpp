#include "bureau/sqlite_statement.hpp"

#include <sqlite3.h>

#include "bureau/sqlite_database.hpp"

namespace onemap::core::bureau {

SqliteStatement::SqliteStatement(SqliteDatabase& db, const char* sql) : db_(db) {
    db_.check(sqlite3_prepare_v2(db_.handle(), sql, -1, &stmt_, nullptr), "prepare");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::bind(int index, const std::string& text) {
    db_.check(
        sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        "bind");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
    db_.check(sqlite3_bind_int64(stmt_, index, value), "bind");
    return *this;
}

void SqliteStatement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    db_.check(rc, "step");
    return rc == SQLITE_ROW;
}

void SqliteStatement::run() {
    while (step()) {
    }
}

std::string SqliteStatement::text(int column) const {
    const auto* bytes = sqlite3_column_text(stmt_, column);
    const int n = sqlite3_column_bytes(stmt_, column);
    return bytes ? std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(n))
                 : std::string();
}

SqliteStatement& SqliteStatement::bindBlob(int index, const std::string& bytes) {
    db_.check(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
              "bind");
    return *this;
}

std::string SqliteStatement::blob(int column) const {
    const auto* bytes = sqlite3_column_blob(stmt_, column);
    const int n = sqlite3_column_bytes(stmt_, column);
    return bytes ? std::string(static_cast<const char*>(bytes), static_cast<std::size_t>(n))
                 : std::string();
}

std::int64_t SqliteStatement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

int SqliteStatement::changes() const { return sqlite3_changes(db_.handle()); }

}  // namespace onemap::core::bureau
