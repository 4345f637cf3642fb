#pragma once
// Private: one libpq connection (RAII over PGconn*) to the bureau's PostgreSQL database, with
// parameters always bound (PQexecParams): user text never becomes SQL. A connection found lost
// outside a transaction is reopened and the statement sent again (the store writes only inside
// transactions); lost inside one, the call fails. One thread at a time (the store's mutex).
#include <string>
#include <vector>

#include "bureau/postgres_result.hpp"
#include "onemap/gis/base/error.hpp"

struct pg_conn;

namespace onemap::core::bureau {

/// A statement PostgreSQL refused, with its SQLSTATE ("40001", "23505", …).
class PostgresStatementError : public Error {
  public:
    PostgresStatementError(const std::string& message, std::string sqlstate)
        : Error(message), sqlstate_(std::move(sqlstate)) {}
    [[nodiscard]] const std::string& sqlstate() const { return sqlstate_; }
    /// serialization_failure or deadlock_detected: the transaction may simply be run again.
    [[nodiscard]] bool retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

  private:
    std::string sqlstate_;
};

/// `url` with any password replaced by "***" (the user:password@ of a URL, password=… in its
/// query or in a key=value string): what messages show.
[[nodiscard]] std::string maskConnectionUrl(const std::string& url);

class PostgresConnection {
  public:
    /// Connects to `url` (postgresql://user@host:port/db). InputError, one line naming the URL
    /// with its password masked, when it cannot.
    PostgresConnection(const std::string& url, int connectTimeoutSeconds);
    ~PostgresConnection();
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    /// Runs one statement with its parameters bound as text ($1, $2, …). A NUL byte in a
    /// parameter is InputError (PostgreSQL text cannot hold it). PostgresStatementError for a
    /// statement refused; StoreUnavailableError when the connection is lost.
    PostgresResult exec(const char* sql, const std::vector<std::string>& params = {});
    /// Runs SQL text without parameters, possibly several statements (the schema).
    void execScript(const char* sql);
    /// Reopens a lost connection (StoreUnavailableError when it cannot): called before the
    /// first statement of an operation, never inside a transaction.
    void reopenIfLost();
    /// ROLLBACK, errors ignored (a transaction left by an exception).
    void rollbackQuietly() noexcept;
    /// The URL as messages show it (password masked).
    [[nodiscard]] const std::string& name() const { return name_; }

  private:
    PostgresResult finish(pg_result* result, const char* sql);

    pg_conn* conn_ = nullptr;
    std::string name_;
};

}  // namespace onemap::core::bureau
