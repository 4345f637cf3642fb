#pragma once
// Private: what the PostgreSQL store's files share: its connection behind a mutex, its schema,
// the write transaction (advisory lock, retries), and the helpers that read rows and append
// audit records inside it. The caller holds `mutex` for every use.
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>

#include "bureau/postgres_connection.hpp"
#include "bureau/store_fields.hpp"
#include "onemap/core/bureau/audit_record.hpp"
#include "onemap/core/bureau/password_hasher.hpp"
#include "onemap/core/bureau/postgres_bureau_store.hpp"
#include "onemap/core/bureau/submission.hpp"
#include "onemap/core/bureau/user.hpp"

namespace onemap::core::bureau {

/// Columns read into a User and an AuditRecord (the tables are in schema onemap_bureau).
extern const char* const kPostgresUserColumns;
extern const char* const kPostgresAuditColumns;

/// Row `row` of a result of kPostgresUserColumns, starting at column `first`.
[[nodiscard]] User userFromResult(const PostgresResult& result, int row, int first = 0);
/// Row `row` of a result of kPostgresAuditColumns.
[[nodiscard]] AuditRecord recordFromResult(const PostgresResult& result, int row);

/// Creates the comments table when the store lacks it (postgres_bureau_comments.cpp), inside
/// setUpSchema's transaction.
void addCommentTables(PostgresConnection& db);

struct PostgresStoreState {
    PostgresStoreState(const std::string& url, const PostgresStoreOptions& options)
        : db(url, options.connectTimeoutSeconds), hasher(options.cost) {}

    /// How often a transaction is run when PostgreSQL asks for it again (serialisation failure,
    /// deadlock).
    static constexpr int kAttempts = 5;

    std::mutex mutex;
    PostgresConnection db;
    PasswordHasher hasher;
    std::string decoyHash;  // verified against for unknown names, so they take as long

    /// Runs `work` in one READ COMMITTED transaction: BEGIN, the audit lock (when `appends`),
    /// work, COMMIT;
    /// again on a serialisation failure or deadlock, up to kAttempts times. `work` must do
    /// nothing but statements (it may be run more than once). Its result is returned.
    template <class Work>
    auto writeTransaction(bool appends, Work&& work) -> decltype(work()) {
        for (int attempt = 1;; ++attempt) {
            db.reopenIfLost();
            // READ COMMITTED whatever the database's default: each statement sees what was
            // committed before it, so the last record read after the audit lock is the last.
            db.exec("BEGIN ISOLATION LEVEL READ COMMITTED");
            try {
                if (appends) lockAudit();
                if constexpr (std::is_void_v<decltype(work())>) {
                    work();
                    db.exec("COMMIT");
                    return;
                } else {
                    auto result = work();
                    db.exec("COMMIT");
                    return result;
                }
            } catch (const PostgresStatementError& e) {
                db.rollbackQuietly();
                if (!e.retryable() || attempt >= kAttempts) throw;
            } catch (...) {
                db.rollbackQuietly();
                throw;
            }
        }
    }

    std::optional<User> findUser(const std::string& name);
    User requireUser(const std::string& name);
    /// The stored password hash of `name` ("" when none).
    std::string passwordHash(const std::string& name);
    /// Appends inside the caller's write transaction (which holds the audit lock).
    AuditRecord appendInTransaction(const AuditEntry& entry);
    /// Appends the entries in order after one read of the chain's end, inside the caller's
    /// write transaction.
    std::vector<AuditRecord> appendAllInTransaction(const std::vector<AuditEntry>& entries);
    /// Decides pending submission `id` inside the caller's write transaction (which holds the
    /// audit lock): the row, its audit record, then `inTransaction`. InputError when unknown
    /// or decided already.
    Submission decideInTransaction(const std::string& actor, std::int64_t id, SubmissionState to,
                                   const std::string& reason, const std::string& decisionJson,
                                   const std::function<void()>& inTransaction);
    /// Closes the sessions of `name` inside the caller's write transaction; how many were open.
    int closeSessionsInTransaction(const std::string& name);
    /// Creates the schema (create) or checks it. InputError for a database without a store
    /// (and not create) or whose onemap_bureau schema is not a store of this version.
    void setUpSchema(bool create);

    /// Takes the audit lock inside the caller's transaction.
    void lockAudit();
};

}  // namespace onemap::core::bureau
