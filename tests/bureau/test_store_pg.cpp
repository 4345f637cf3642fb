// The bureau's store in PostgreSQL: accounts (hostile text included), every user change in the
// audit trail with the same records as the SQLite store's, logins, sessions, a database that is
// not a store, a lost connection. Needs the cluster of bureau_pg_check.sh.
#include <catch2/catch.hpp>
#include <thread>

#include "bureau_test_support.hpp"
#include "onemap/gis/base/error.hpp"
#include "pg_test_support.hpp"

using namespace onemap;
using namespace onemap::core::bureau;

namespace {

/// The same user changes, logins and sessions on any store; its records from 1 on.
std::vector<AuditRecord> script(BureauStore& store) {
    store.addUser("cli:root", "li", Role::Planner, {}, Secret("first password"));
    store.addUser("cli:root", "wang", Role::Enterprise, {}, Secret("wang's password"));
    CHECK(store.authenticate("li", Secret("first password"), "10.0.0.1"));
    CHECK_FALSE(store.authenticate("li", Secret("not the password"), "10.0.0.1"));
    CHECK_FALSE(store.authenticate("my password typed here", Secret("x"), "10.0.0.2"));
    const auto opened = store.openSession(*store.user("li"), "10.0.0.1", std::chrono::hours(1));
    store.openSession(*store.user("li"), "10.0.0.3", std::chrono::hours(1));
    store.closeSession(opened.token);
    store.setPassword("cli:root", "li", Secret("second password"));
    store.setRole("cli:root", "li", Role::Approver, {"合肥市", "芜湖市"});
    store.openSession(*store.user("wang"), "10.0.0.4", std::chrono::hours(1));
    CHECK(store.closeSessions("admin", "wang") == 1);
    store.disableUser("cli:root", "li");
    CHECK_FALSE(store.authenticate("li", Secret("second password"), "10.0.0.1"));
    store.append({"planner li", "check", "site 1", "'; DELETE FROM audit; --", "", ""});
    return store.records(1, 1000);
}

}  // namespace

TEST_CASE("PostgreSQL: the same calls give the SQLite store's records", "[bureau][pg]") {
    if (!test::havePostgres()) return;
    PostgresBureauStore pg(test::freshDatabase("same"), test::fastPgStore());
    SqliteBureauStore lite(test::freshDataFolder("pg-same"), test::fastStore());
    const auto a = script(pg);
    const auto b = script(lite);
    REQUIRE(a.size() == b.size());
    REQUIRE(a.size() == 12);
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("record " << a[i].seq << " " << a[i].entry.action);
        CHECK(a[i].seq == b[i].seq);
        CHECK(a[i].entry.actor == b[i].entry.actor);
        CHECK(a[i].entry.action == b[i].entry.action);
        CHECK(a[i].entry.subject == b[i].entry.subject);
        if (a[i].entry.action == "logout") {  // names its session, random: the same shape
            CHECK(a[i].entry.detail.rfind("session ", 0) == 0);
            CHECK(a[i].entry.detail.size() == b[i].entry.detail.size());
        } else {
            CHECK(a[i].entry.detail == b[i].entry.detail);
            CHECK(a[i].entry.inputsSha256 == b[i].entry.inputsSha256);
        }
        CHECK(a[i].entry.answerSha256 == b[i].entry.answerSha256);
        CHECK(a[i].hash == auditRecordHash(a[i]));  // the canonical bytes, as SQLite's
        CHECK(a[i].previousHash == (i == 0 ? kGenesisHash : a[i - 1].hash));
    }
    CHECK(pg.verify(std::nullopt).intact);
    CHECK(pg.users().size() == 2);
    CHECK(pg.user("li")->role == Role::Approver);
    CHECK(pg.user("li")->cities == std::vector<std::string>{"合肥市", "芜湖市"});
    CHECK(pg.user("li")->disabled);
    // Refusals keep nothing: the SQLite store's errors.
    CHECK_THROWS_WITH(pg.addUser("x", "li", Role::Admin, {}, Secret("third password")),
                      Catch::Contains("already exists"));
    CHECK_THROWS_WITH(pg.setRole("x", "nobody", Role::Admin, {}), "user \"nobody\": no such user");
    CHECK_THROWS_AS(pg.addUser("x", "bad", Role::Admin, {"a,b"}, Secret("third password")),
                    InputError);
    CHECK_THROWS_AS(pg.closeSessions("x", "nobody"), InputError);
    CHECK(pg.head().seq == 12);
}

TEST_CASE("PostgreSQL: SQL metacharacters and markup round-trip unchanged", "[bureau][pg]") {
    if (!test::havePostgres()) return;
    PostgresBureauStore store(test::freshDatabase("hostile"), test::fastPgStore());
    const std::string name = "Robert'); DROP TABLE users;-- <script>alert(1)</script> \"%_\\$1";
    const std::string city = "合肥' OR '1'='1 <img src=x onerror=alert(1)>";
    store.addUser("admin'--", name, Role::Approver, {city, "芜湖"}, Secret("pass'word\";--"));
    const auto back = store.user(name);
    REQUIRE(back);
    CHECK(back->name == name);
    CHECK(back->cities == std::vector<std::string>{city, "芜湖"});
    const std::string detail = "'; DELETE FROM onemap_bureau.audit; -- <script>x</script>\n二行";
    store.append({name, "check", name, detail, "", ""});
    const auto records = store.records(1, 10);
    REQUIRE(records.size() == 2);
    CHECK(records[0].entry.actor == "admin'--");
    CHECK(records[1].entry.detail == detail);
    CHECK(store.authenticate(name, Secret("pass'word\";--"), "127.0.0.1"));
    // Text PostgreSQL cannot hold is bad input, never a truncated record.
    CHECK_THROWS_AS(store.append({"x", "check", "x", std::string("a\0b", 3), "", ""}), InputError);
    CHECK_THROWS_AS(store.append({"x", "check", "x", "\xff\xfe", "", ""}), InputError);
    CHECK(store.verify(std::nullopt).intact);
    CHECK(store.head().seq == 3);
}

TEST_CASE("PostgreSQL: sessions open, are found, expire, close and close everywhere",
          "[bureau][pg]") {
    if (!test::havePostgres()) return;
    PostgresBureauStore store(test::freshDatabase("sessions"), test::fastPgStore());
    const User li = store.addUser("cli:root", "li", Role::Planner, {}, Secret("li's password"));
    const auto a = store.openSession(li, "10.0.0.1", std::chrono::hours(1));
    const auto b = store.openSession(li, "10.0.0.2", std::chrono::hours(1));
    const auto brief = store.openSession(li, "10.0.0.3", std::chrono::seconds(1));
    const auto found = store.session(a.token);
    REQUIRE(found);
    CHECK(found->user.name == "li");
    CHECK(found->from == "10.0.0.1");
    CHECK(found->id == a.session.id);
    CHECK(found->csrfHash == a.session.csrfHash);
    CHECK(found->id != a.token);  // the store keeps the token's hash only
    CHECK_FALSE(store.session("not a token"));
    CHECK_FALSE(store.session(std::string(43, 'A')));
    CHECK(store.session(brief.token));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK_FALSE(store.session(brief.token));  // expired
    store.closeSession(a.token);
    CHECK_FALSE(store.session(a.token));
    CHECK(store.session(b.token));
    store.closeSession(a.token);  // nothing for a token already closed
    CHECK(store.records(store.head().seq, 1)[0].entry.action == "logout");
    // A role change closes them, as do a password change and disabling.
    store.setRole("cli:root", "li", Role::Approver, {"合肥市"});
    CHECK_FALSE(store.session(b.token));
    const auto c = store.openSession(*store.user("li"), "10.0.0.1", std::chrono::hours(1));
    CHECK(store.session(c.token)->user.role == Role::Approver);
    store.setPassword("cli:root", "li", Secret("li's new password"));
    CHECK_FALSE(store.session(c.token));
    CHECK(store.records(store.head().seq, 1)[0].entry.detail ==
          "password changed; 1 session(s) closed");
    const auto d = store.openSession(*store.user("li"), "10.0.0.1", std::chrono::hours(1));
    const auto e = store.openSession(*store.user("li"), "10.0.0.1", std::chrono::hours(1));
    CHECK(store.closeSessions("admin", "li") == 2);
    CHECK_FALSE(store.session(d.token));
    CHECK_FALSE(store.session(e.token));
    const auto f = store.openSession(*store.user("li"), "10.0.0.1", std::chrono::hours(1));
    store.disableUser("cli:root", "li");
    CHECK_FALSE(store.session(f.token));
    CHECK(store.verify(std::nullopt).intact);
}

TEST_CASE("PostgreSQL: a login rehashes a password stored at an older cost", "[bureau][pg]") {
    if (!test::havePostgres()) return;
    const auto url = test::freshDatabase("rehash");
    {
        PostgresBureauStore weak(url, test::fastPgStore());
        weak.addUser("cli:root", "zhao", Role::Planner, {}, Secret("zhao's password"));
    }
    auto options = test::fastPgStore();
    options.cost = Argon2Cost{2, std::size_t{1} << 20};
    PostgresBureauStore store(url, options);
    REQUIRE(store.authenticate("zhao", Secret("zhao's password"), "local"));
    CHECK(store.records(store.head().seq, 1)[0].entry.detail.find("rehashed") != std::string::npos);
    REQUIRE(store.authenticate("zhao", Secret("zhao's password"), "local"));
    CHECK(store.records(store.head().seq, 1)[0].entry.detail.find("rehashed") == std::string::npos);
}

TEST_CASE("PostgreSQL: no store, something else, another schema version: bad input",
          "[bureau][pg]") {
    if (!test::havePostgres()) return;
    const auto url = test::freshDatabase("notstore");
    CHECK_THROWS_WITH(PostgresBureauStore(url, PostgresStoreOptions{}),
                      Catch::Contains("no onemap bureau store in this database"));
    test::superSql(
        test::databaseOf(url),
        "SET ROLE onemap; CREATE SCHEMA onemap_bureau; CREATE TABLE onemap_bureau.x(a int)");
    CHECK_THROWS_WITH(PostgresBureauStore(url, test::fastPgStore()),
                      Catch::Contains("not a onemap bureau store"));
    test::superSql(
        test::databaseOf(url),
        "SET ROLE onemap; CREATE TABLE onemap_bureau.meta(key text, value text); INSERT INTO "
        "onemap_bureau.meta VALUES('store', 'something else')");
    CHECK_THROWS_WITH(PostgresBureauStore(url, test::fastPgStore()),
                      Catch::Contains("not a onemap bureau store"));
    const auto other = test::freshDatabase("otherversion");
    { PostgresBureauStore store(other, test::fastPgStore()); }
    test::superSql(test::databaseOf(other),
                   "UPDATE onemap_bureau.meta SET value = '9' WHERE key = 'schema'");
    CHECK_THROWS_WITH(PostgresBureauStore(other, PostgresStoreOptions{}),
                      Catch::Contains("bureau store schema \"9\"; this onemap reads schema 1"));
    // Nobody listening: one line, the password masked.
    PostgresStoreOptions quick;
    quick.connectTimeoutSeconds = 2;
    try {
        PostgresBureauStore("postgresql://li:hunter22@127.0.0.1:1/none", quick);
        FAIL("connected to port 1");
    } catch (const InputError& e) {
        const std::string what = e.what();
        CHECK(what.find("hunter22") == std::string::npos);
        CHECK(what.find("postgresql://li:***@127.0.0.1:1/none: cannot connect") == 0);
        CHECK(what.find('\n') == std::string::npos);
    }
}

TEST_CASE(
    "PostgreSQL: a connection lost between calls is reopened; a server that cannot be "
    "reached is a clear error to retry",
    "[bureau][pg]") {
    if (!test::havePostgres()) return;
    const auto url = test::freshDatabase("lost");
    const std::string db = test::databaseOf(url);
    const std::string killStores =
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + db +
        "' AND application_name = 'onemap'";
    PostgresBureauStore store(url, test::fastPgStore());
    store.append({"x", "check", "1", "", "", ""});
    test::superSql("postgres", killStores);  // as a restart of the server would
    CHECK(store.append({"x", "check", "2", "", "", ""}).seq == 2);
    CHECK(store.user("nobody") == std::nullopt);
    test::superSql("postgres", killStores);
    CHECK(store.head().seq == 2);
    // Lost, and no new connection accepted: StoreUnavailableError, nothing kept.
    test::superSql("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
    test::superSql("postgres", killStores);
    CHECK_THROWS_AS(store.append({"x", "check", "3", "", "", ""}), StoreUnavailableError);
    CHECK_THROWS_WITH(store.head(), Catch::Contains("try again"));
    test::superSql("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
    CHECK(store.append({"x", "check", "4", "", "", ""}).seq == 3);
    CHECK(store.verify(std::nullopt).intact);
}
