#pragma once
// Private: a write transaction on a SqliteDatabase that rolls back unless committed. One thread
// at a time (the store's mutex).
#include "bureau/sqlite_database.hpp"

namespace onemap::core::bureau {

/// BEGIN IMMEDIATE (the write lock taken before anything is read) … COMMIT, or ROLLBACK when
/// left without commit().
class SqliteWriteTransaction {
  public:
    explicit SqliteWriteTransaction(SqliteDatabase& db);
    ~SqliteWriteTransaction();
    SqliteWriteTransaction(const SqliteWriteTransaction&) = delete;
    SqliteWriteTransaction& operator=(const SqliteWriteTransaction&) = delete;
    void commit();

  private:
    SqliteDatabase& db_;
    bool open_ = true;
};

}  // namespace onemap::core::bureau
