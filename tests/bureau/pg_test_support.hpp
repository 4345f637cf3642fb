#pragma once
// Helpers of test_bureau_pg: the cluster bureau_pg_check.sh started (ONEMAP_TEST_PG_URL for the
// plain role the stores use, ONEMAP_TEST_PG_SUPER_URL for the superuser who tampers), a fresh
// database per case, and SQL run as the superuser with libpq straight (never the library).
#include <libpq-fe.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "onemap/core/bureau/postgres_bureau_store.hpp"

namespace onemap::test {

/// Whether the cluster is there; a case without it says so and passes (run it through
/// bureau_pg_check.sh, as ctest does).
inline bool havePostgres() {
    if (std::getenv("ONEMAP_TEST_PG_URL") && std::getenv("ONEMAP_TEST_PG_SUPER_URL")) return true;
    WARN(
        "skipped: ONEMAP_TEST_PG_URL is not set (tests/bureau/bureau_pg_check.sh starts a "
        "PostgreSQL cluster and sets it)");
    return false;
}

/// `url` (…/postgres) with its database replaced by `database`.
inline std::string withDatabase(const std::string& url, const std::string& database) {
    return url.substr(0, url.rfind('/') + 1) + database;
}

/// Runs `sql` as the superuser on `database`; returns the first value of the first row ("" when
/// none). REQUIREs success.
inline std::string superSql(const std::string& database, const std::string& sql) {
    const std::string url = withDatabase(std::getenv("ONEMAP_TEST_PG_SUPER_URL"), database);
    PGconn* conn = PQconnectdb(url.c_str());
    REQUIRE(PQstatus(conn) == CONNECTION_OK);
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);  // "… does not exist, skipping"
    PGresult* r = PQexec(conn, sql.c_str());
    const auto status = PQresultStatus(r);
    const std::string why = PQerrorMessage(conn);
    const std::string first =
        status == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    PQfinish(conn);
    INFO(sql << ": " << why);
    REQUIRE((status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK));
    return first;
}

/// A new empty database owned by the plain role; the URL the stores use for it.
inline std::string freshDatabase(const std::string& name) {
    const std::string database = "bureau_" + name;
    superSql("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    superSql("postgres", "CREATE DATABASE " + database + " OWNER onemap");
    return withDatabase(std::getenv("ONEMAP_TEST_PG_URL"), database);
}

/// The database of a URL freshDatabase gave.
inline std::string databaseOf(const std::string& url) { return url.substr(url.rfind('/') + 1); }

/// Store options at libsodium's minimum cost, creating the store.
inline core::bureau::PostgresStoreOptions fastPgStore() {
    core::bureau::PostgresStoreOptions o;
    o.create = true;
    o.cost = core::bureau::Argon2Cost::fastForTests();
    return o;
}

}  // namespace onemap::test
