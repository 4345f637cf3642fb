// The audit trail in PostgreSQL: two stores (two connections) appending from four threads each
// land in one chain without gaps; tampering as the superuser (triggers disabled) is named by
// `onemap audit verify --db`; the tail cut off is seen against --expect-head; `onemap user …
// --db` round-trips. Needs the cluster of bureau_pg_check.sh.
#include <atomic>
#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "bureau_test_support.hpp"
#include "onemap/gis/base/error.hpp"
#include "pg_test_support.hpp"

using namespace onemap;
using namespace onemap::core::bureau;

namespace {

const std::string kOnemap = ONEMAP_CLI_BINARY;

int runOnemap(const std::string& args, std::string* out = nullptr,
              const std::string& stdinLine = "") {
    const std::string feed = stdinLine.empty() ? "" : "printf '%s\\n' '" + stdinLine + "' | ";
    return test::shell(feed + kOnemap + " " + args, out);
}

/// A store in a fresh database with `n` records "r1".."rn"; its URL.
std::string trailOf(const std::string& name, int n) {
    const auto url = test::freshDatabase(name);
    PostgresBureauStore store(url, test::fastPgStore());
    for (int i = 1; i <= n; ++i)
        store.append({"planner li", "check", "site " + std::to_string(i), "r" + std::to_string(i),
                      std::string(64, 'a'), std::string(64, 'b')});
    return url;
}

/// SQL run as the superuser with the audit table's triggers off.
void tamper(const std::string& url, const std::string& sql) {
    test::superSql(test::databaseOf(url),
                   "ALTER TABLE onemap_bureau.audit DISABLE TRIGGER ALL; " + sql +
                       "; ALTER TABLE onemap_bureau.audit ENABLE TRIGGER ALL");
}

}  // namespace

TEST_CASE(
    "PostgreSQL: two stores, four threads each, appending at once: one chain, no gaps, "
    "even in a serializable database",
    "[bureau][pg][threads]") {
    if (!test::havePostgres()) return;
    const auto url = trailOf("threads", 0);
    // Whatever the database's default isolation (an administrator may make it serializable),
    // the appends read the last record after the lock, not in a snapshot taken before it.
    test::superSql("postgres", "ALTER DATABASE " + test::databaseOf(url) +
                                   " SET default_transaction_isolation = 'serializable'");
    constexpr int kThreads = 4, kEach = 50;
    PostgresBureauStore first(url, PostgresStoreOptions{});
    PostgresBureauStore second(url, PostgresStoreOptions{});
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int s = 0; s < 2; ++s)
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([store = s == 0 ? &first : &second, s, t, &failures] {
                for (int i = 0; i < kEach; ++i) try {
                        store->append(
                            {"store " + std::to_string(s) + " thread " + std::to_string(t), "check",
                             std::to_string(i), "", "", ""});
                    } catch (const std::exception&) {
                        ++failures;
                    }
            });
    for (auto& th : threads) th.join();
    CHECK(failures == 0);
    constexpr int kAll = 2 * kThreads * kEach;
    const auto verdict = first.verify(std::nullopt);
    CHECK(verdict.intact);
    CHECK(verdict.records == kAll);
    CHECK(verdict.head.seq == kAll);
    CHECK(second.head().hash == verdict.head.hash);
    std::set<std::string> seen;
    const auto records = second.records(1, 10000);
    for (std::size_t i = 0; i < records.size(); ++i) {
        CHECK(records[i].seq == static_cast<std::int64_t>(i) + 1);
        seen.insert(records[i].entry.actor + "/" + records[i].entry.subject);
    }
    CHECK(seen.size() == static_cast<std::size_t>(kAll));
}

TEST_CASE("PostgreSQL: the trail refuses UPDATE, DELETE and TRUNCATE from plain SQL",
          "[bureau][pg]") {
    if (!test::havePostgres()) return;
    const auto url = trailOf("triggers", 2);
    const std::string db = test::databaseOf(url);
    for (const char* sql :
         {"UPDATE onemap_bureau.audit SET detail = 'x' WHERE seq = 1",
          "DELETE FROM onemap_bureau.audit WHERE seq = 2", "TRUNCATE onemap_bureau.audit"}) {
        const std::string superUrl =
            test::withDatabase(std::getenv("ONEMAP_TEST_PG_SUPER_URL"), db);
        PGconn* conn = PQconnectdb(superUrl.c_str());
        REQUIRE(PQstatus(conn) == CONNECTION_OK);
        PGresult* r = PQexec(conn, sql);
        INFO(sql);
        CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
        CHECK(std::string(PQerrorMessage(conn)).find("append-only") != std::string::npos);
        PQclear(r);
        PQfinish(conn);
    }
    PostgresBureauStore store(url, PostgresStoreOptions{});
    CHECK(store.verify(std::nullopt).records == 2);
    CHECK(store.verify(std::nullopt).intact);
}

TEST_CASE(
    "PostgreSQL tampering: an edit, a deletion, the tail cut off: audit verify --db says "
    "where",
    "[bureau][pg][cli]") {
    if (!test::havePostgres()) return;
    std::string out;
    // One record's text edited by the superuser.
    const auto edited = trailOf("edit", 6);
    tamper(edited, "UPDATE onemap_bureau.audit SET detail = 'r3 approved' WHERE seq = 3");
    CHECK(runOnemap("audit verify --db " + edited, &out) == 1);
    CHECK(out == "audit: broken at record 3: its hash does not match its content\n");
    // An edit with its hash recomputed: the next record's link breaks.
    const auto rehashed = trailOf("rehashed", 6);
    AuditRecord forged = PostgresBureauStore(rehashed, PostgresStoreOptions{}).records(3, 1).at(0);
    forged.entry.detail = "r3 approved";
    forged.hash = auditRecordHash(forged);
    tamper(rehashed, "UPDATE onemap_bureau.audit SET detail = 'r3 approved', hash = '" +
                         forged.hash + "' WHERE seq = 3");
    CHECK(runOnemap("audit verify --db " + rehashed, &out) == 1);
    CHECK(out.find("broken at record 4:") != std::string::npos);
    CHECK(out.find("link to record 3") != std::string::npos);
    // A middle record deleted.
    const auto middle = trailOf("middle", 6);
    tamper(middle, "DELETE FROM onemap_bureau.audit WHERE seq = 4");
    CHECK(runOnemap("audit verify --db " + middle, &out) == 1);
    CHECK(out == "audit: broken at record 5: record 4 is missing before it\n");
    // The tail cut off: only a head kept elsewhere sees it.
    const auto tail = trailOf("tail", 6);
    CHECK(runOnemap("audit verify --db " + tail, &out) == 0);
    std::smatch m;
    REQUIRE(std::regex_search(out, m, std::regex("head ([0-9]+:[0-9a-f]{64})")));
    const std::string head = m[1];
    CHECK(head.rfind("6:", 0) == 0);
    tamper(tail, "DELETE FROM onemap_bureau.audit WHERE seq >= 5");
    CHECK(runOnemap("audit verify --db " + tail, &out) == 0);
    CHECK(runOnemap("audit verify --expect-head " + head + " --db " + tail, &out) == 1);
    CHECK(out ==
          "audit: broken at record 6: missing; the trail ends at record 4 (records were cut "
          "off its end)\n");
}

TEST_CASE("onemap user and audit verify with --db: a round trip with its exit codes",
          "[bureau][pg][cli]") {
    if (!test::havePostgres()) return;
    const auto url = test::withDatabase(std::getenv("ONEMAP_TEST_PG_URL"), "bureau_cli");
    test::freshDatabase("cli");
    const std::string d = " --db " + url;
    std::string out;
    // No store yet: only user add creates one.
    CHECK(runOnemap("user list" + d, &out) == 2);
    CHECK(out.find("no onemap bureau store") != std::string::npos);
    CHECK(runOnemap("user add li --role 规划 --city 合肥市,芜湖市 --password-stdin" + d, &out,
                    "li password 1") == 0);
    CHECK(out.find("added li (planner 规划, cities 合肥市,芜湖市)") != std::string::npos);
    CHECK(runOnemap("user add li --role planner --password-stdin" + d, &out, "another pass") == 2);
    CHECK(out.find("already exists") != std::string::npos);
    CHECK(runOnemap("user passwd li --password-stdin" + d, &out, "li password 2") == 0);
    CHECK(runOnemap("user role li approver --city 合肥市" + d, &out) == 0);
    CHECK(runOnemap("user disable li" + d, &out) == 0);
    CHECK(runOnemap("user disable nobody" + d, &out) == 2);
    CHECK(runOnemap("user list" + d, &out) == 0);
    CHECK(out.find("li\tapprover 审批\t合肥市\tdisabled") != std::string::npos);
    CHECK(runOnemap("audit verify" + d, &out) == 0);
    CHECK(out.find("audit: intact, 4 records; head 4:") == 0);
    // Exactly one of --data and --db; a URL that is not PostgreSQL's.
    CHECK(runOnemap("user list --data /nonexistent" + d, &out) == 2);
    CHECK(out.find("exactly one of --data DIR") != std::string::npos);
    CHECK(runOnemap("audit verify", &out) == 2);
    CHECK(runOnemap("audit verify --db mysql://x:secret@h/db", &out) == 2);
    CHECK(out.find("secret") == std::string::npos);
}

TEST_CASE("Two onemap processes adding users to one PostgreSQL store at once: one unbroken chain",
          "[bureau][pg][cli]") {
    if (!test::havePostgres()) return;
    const auto url = test::freshDatabase("clitwo");
    const std::string d = " --db " + url;
    REQUIRE(runOnemap("user add first --role admin --password-stdin" + d, nullptr,
                      "first password") == 0);
    std::string loop;
    for (const char* who : {"a", "b"})
        loop += "(for i in 1 2 3; do printf 'password %s\\n' $i | " + kOnemap + " user add " + who +
                "$i --role enterprise --password-stdin" + d + " || exit 1; done) & ";
    std::string log;
    CHECK(test::shell(loop + "wait %1 && wait %2", &log) == 0);
    INFO(log);
    std::string out;
    CHECK(runOnemap("audit verify" + d, &out) == 0);
    CHECK(out.find("intact, 7 records") != std::string::npos);
    CHECK(runOnemap("user list" + d, &out) == 0);
    for (const char* who : {"a", "b"})
        for (int i = 1; i <= 3; ++i)
            CHECK(out.find(std::string(who) + std::to_string(i) + "\tenterprise") !=
                  std::string::npos);
}

TEST_CASE("PostgreSQL: a server role granted only what the store needs cannot rewrite the trail",
          "[bureau][pg]") {
    if (!test::havePostgres()) return;
    // The store created by its owner (the role of `onemap user add`); the servers connect as a
    // role with the grants docs/security.md lists.
    const auto url = trailOf("grants", 2);
    const std::string db = test::databaseOf(url);
    test::superSql("postgres", "DROP ROLE IF EXISTS onemap_server");
    test::superSql("postgres", "CREATE ROLE onemap_server LOGIN");
    test::superSql(db,
                   "GRANT USAGE ON SCHEMA onemap_bureau TO onemap_server; "
                   "GRANT SELECT ON onemap_bureau.meta TO onemap_server; "
                   "GRANT SELECT, INSERT, UPDATE ON onemap_bureau.users TO onemap_server; "
                   "GRANT SELECT, INSERT, DELETE ON onemap_bureau.sessions TO onemap_server; "
                   "GRANT SELECT, INSERT ON onemap_bureau.audit TO onemap_server");
    const std::string serverUrl = test::withDatabase(std::getenv("ONEMAP_TEST_PG_SUPER_URL"), db)
                                      .replace(std::string("postgresql://").size(),
                                               std::string("postgres").size(), "onemap_server");
    {
        PostgresBureauStore store(serverUrl, test::fastPgStore());  // create: nothing to create
        store.addUser("admin", "li", Role::Planner, {}, Secret("li's password"));
        const auto li = store.authenticate("li", Secret("li's password"), "10.0.0.1");
        REQUIRE(li);
        const auto s = store.openSession(*li, "10.0.0.1", std::chrono::hours(1));
        store.setRole("admin", "li", Role::Approver, {"合肥市"});
        CHECK_FALSE(store.session(s.token));
        CHECK(store.verify(std::nullopt).records == 5);
    }
    PGconn* conn = PQconnectdb(serverUrl.c_str());
    REQUIRE(PQstatus(conn) == CONNECTION_OK);
    for (const char* sql : {"ALTER TABLE onemap_bureau.audit DISABLE TRIGGER ALL",
                            "ALTER TABLE onemap_bureau.audit DISABLE TRIGGER USER",
                            "UPDATE onemap_bureau.audit SET detail = 'x' WHERE seq = 1",
                            "DROP TABLE onemap_bureau.audit"}) {
        PGresult* r = PQexec(conn, sql);
        INFO(sql);
        CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
        PQclear(r);
    }
    PQfinish(conn);
    PostgresBureauStore owner(url, PostgresStoreOptions{});
    CHECK(owner.verify(std::nullopt).intact);
}
