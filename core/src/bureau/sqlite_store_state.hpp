#pragma once
// Private: what the SQLite store's files share: its connection behind a mutex, its schema, the
// helpers that read rows and append audit records inside a write transaction. The caller holds
// `mutex` for every use.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bureau/sqlite_database.hpp"
#include "bureau/sqlite_statement.hpp"
#include "bureau/store_fields.hpp"
#include "onemap/core/bureau/audit_record.hpp"
#include "onemap/core/bureau/password_hasher.hpp"
#include "onemap/core/bureau/session.hpp"
#include "onemap/core/bureau/sqlite_bureau_store.hpp"
#include "onemap/core/bureau/user.hpp"

namespace onemap::core::bureau {

extern const char* const kAuditColumns;
extern const char* const kUserColumns;

/// A row of kUserColumns.
[[nodiscard]] User userFromRow(const SqliteStatement& row);
/// A row of kAuditColumns.
[[nodiscard]] AuditRecord recordFromRow(const SqliteStatement& row);

struct SqliteStoreState {
    SqliteStoreState(const std::string& file, const SqliteStoreOptions& options)
        : db(file, options.create, options.busyTimeoutMs), hasher(options.cost) {}

    std::mutex mutex;
    SqliteDatabase db;
    PasswordHasher hasher;
    std::string decoyHash;  // verified against for unknown names, so they take as long
    /// Sessions read lately, by id, with when they were read: a request's session costs no
    /// query for kSessionCache. Cleared by every change this store makes to sessions or users;
    /// a change made by another process (a CLI `user disable`) shows within kSessionCache.
    /// Guarded by `cacheMutex` (taken after `mutex` where both are held), so that a request whose
    /// session is cached never waits for a write transaction (an audit group's fsync).
    struct CachedSession {
        Session session;
        std::chrono::steady_clock::time_point read;
    };
    static constexpr std::chrono::seconds kSessionCache{2};
    std::mutex cacheMutex;
    std::map<std::string, CachedSession> sessionCache;
    /// Drops cached sessions (`id`, or all when empty); the caller holds `mutex`.
    void forgetSessions(const std::string& id = {});

    std::optional<User> findUser(const std::string& name);
    User requireUser(const std::string& name);
    /// Appends inside the caller's write transaction.
    AuditRecord appendInTransaction(const AuditEntry& entry);
    std::vector<AuditRecord> appendAllInTransaction(const std::vector<AuditEntry>& entries);
    /// Closes the sessions of `name` inside the caller's write transaction; how many were open.
    int closeSessionsInTransaction(const std::string& name);
    /// Creates the schema (create) or checks it, upgrading schemas 1 (no sessions)
    /// and 2 (no comments) in place.
    void setUpSchema(bool create);
};

}  // namespace onemap::core::bureau
