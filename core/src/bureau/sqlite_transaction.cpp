#include "bureau/sqlite_transaction.hpp"

namespace onemap::core::bureau {

SqliteWriteTransaction::SqliteWriteTransaction(SqliteDatabase& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

SqliteWriteTransaction::~SqliteWriteTransaction() {
    if (!open_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (...) {  // nothing to add: the transaction is gone either way
    }
}

void SqliteWriteTransaction::commit() {
    db_.exec("COMMIT");
    open_ = false;
}

}  // namespace onemap::core::bureau
