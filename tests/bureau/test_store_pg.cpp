// The bureau's store in PostgreSQL: accounts (hostile text included), every user change in the
// audit trail with the same records as the SQLite store's, logins, sessions, a database that is
// not a store, a lost connection. Needs the cluster of bureau_pg_check.sh.
#include <atomic>
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

namespace {

/// The same submissions and decisions on any store; the submissions, newest first, and the
/// records they appended.
std::pair<std::vector<Submission>, std::vector<AuditRecord>> submissionScript(BureauStore& store) {
    Submission a;
    a.submitter = "wang";
    a.fileName = "sites'; DROP TABLE x; --.geojson";
    a.siteBytes = std::string("GPKG\0\x01\xff binary \x80", 17);  // any byte, NUL included
    a.checkJson = R"({"sites": 1})";
    a.cities = {"合肥市"};
    a.summary = "1 site: 1 pass";
    const auto first = store.addSubmission(a);
    a.fileName = "<img src=x onerror=alert(1)>.geojson";
    a.siteBytes = "{}";
    a.cities = {"合肥市", "芜湖市"};
    const auto second = store.addSubmission(a);
    a.submitter = "zhao";
    store.addSubmission(a);
    bool ranInside = false;
    store.decide("li", first.id, SubmissionState::Approved, "fits the plan", R"({"ok": true})",
                 [&] { ranInside = true; });
    CHECK(ranInside);
    // A callback that throws decides nothing.
    CHECK_THROWS_AS(store.decide("li", second.id, SubmissionState::Approved, "x", "{}",
                                 [] { throw InputError("the register refused it"); }),
                    InputError);
    store.decide("li", second.id, SubmissionState::Rejected, "overlaps project 7", "", {});
    CHECK_THROWS_WITH(store.decide("li", first.id, SubmissionState::Rejected, "again", "", {}),
                      Catch::Contains("approved already"));
    CHECK_THROWS_WITH(store.decide("li", 99, SubmissionState::Rejected, "", "", {}),
                      Catch::Contains("no such submission"));
    CHECK_THROWS_AS(store.decide("li", first.id, SubmissionState::Pending, "", "", {}), InputError);
    return {store.submissions({}), store.records(1, 1000)};
}

}  // namespace

TEST_CASE("PostgreSQL: submissions and decisions as the SQLite store keeps them", "[bureau][pg]") {
    if (!test::havePostgres()) return;
    PostgresBureauStore pg(test::freshDatabase("submissions"), test::fastPgStore());
    SqliteBureauStore lite(test::freshDataFolder("pg-submissions"), test::fastStore());
    const auto [pgRows, pgRecords] = submissionScript(pg);
    const auto [liteRows, liteRecords] = submissionScript(lite);
    REQUIRE(pgRows.size() == 3);
    REQUIRE(pgRows.size() == liteRows.size());
    for (std::size_t i = 0; i < pgRows.size(); ++i) {
        INFO("submission " << pgRows[i].id);
        CHECK(pgRows[i].id == liteRows[i].id);
        CHECK(pgRows[i].submitter == liteRows[i].submitter);
        CHECK(pgRows[i].fileName == liteRows[i].fileName);
        CHECK(pgRows[i].siteSha256 == liteRows[i].siteSha256);
        CHECK(pgRows[i].checkJson == liteRows[i].checkJson);
        CHECK(pgRows[i].cities == liteRows[i].cities);
        CHECK(pgRows[i].summary == liteRows[i].summary);
        CHECK(pgRows[i].state == liteRows[i].state);
        CHECK(pgRows[i].decidedBy == liteRows[i].decidedBy);
        CHECK(pgRows[i].reason == liteRows[i].reason);
        CHECK(pgRows[i].decisionJson == liteRows[i].decisionJson);
        CHECK(pgRows[i].siteBytes.empty());  // lists carry no site bytes
    }
    REQUIRE(pgRecords.size() == liteRecords.size());
    for (std::size_t i = 0; i < pgRecords.size(); ++i) {
        INFO("record " << pgRecords[i].seq << " " << pgRecords[i].entry.action);
        CHECK(pgRecords[i].entry.action == liteRecords[i].entry.action);
        CHECK(pgRecords[i].entry.subject == liteRecords[i].entry.subject);
        CHECK(pgRecords[i].entry.detail == liteRecords[i].entry.detail);
        CHECK(pgRecords[i].entry.inputsSha256 == liteRecords[i].entry.inputsSha256);
        CHECK(pgRecords[i].entry.answerSha256 == liteRecords[i].entry.answerSha256);
    }
    // submit ×3, approve, reject: the failed approval left no record.
    CHECK(pgRecords.size() == 5);
    const auto one = pg.submission(pgRows.back().id);
    REQUIRE(one);
    CHECK(one->siteBytes == std::string("GPKG\0\x01\xff binary \x80", 17));
    CHECK(one->state == SubmissionState::Approved);
    CHECK(one->decidedBy == "li");
    CHECK_FALSE(one->decided.empty());
    CHECK_FALSE(pg.submission(42));
    SubmissionFilter zhao;
    zhao.submitter = "zhao";
    CHECK(pg.submissions(zhao).size() == 1);
    SubmissionFilter pending;
    pending.state = SubmissionState::Pending;
    CHECK(pg.submissions(pending).size() == 1);
    pending.submitter = "wang";
    CHECK(pg.submissions(pending).empty());
    CHECK(pg.verify(std::nullopt).intact);
}

TEST_CASE("PostgreSQL: appendAll and findRecords give the SQLite store's answers", "[bureau][pg]") {
    if (!test::havePostgres()) return;
    PostgresBureauStore pg(test::freshDatabase("find"), test::fastPgStore());
    SqliteBureauStore lite(test::freshDataFolder("pg-find"), test::fastStore());
    std::vector<AuditEntry> group;
    for (int i = 0; i < 30; ++i)
        group.push_back({i % 3 == 0 ? "li" : "wang", i % 2 ? "login.refused" : "login",
                         std::to_string(i), "'; --", "", ""});
    group.push_back({"li", "loginx", "no prefix match", "", "", ""});
    for (BureauStore* store : {static_cast<BureauStore*>(&pg), static_cast<BureauStore*>(&lite)}) {
        const auto out = store->appendAll(group);
        REQUIRE(out.size() == group.size());
        CHECK(out.front().seq == 1);
        CHECK(out.back().seq == static_cast<std::int64_t>(group.size()));
        CHECK(store->appendAll({}).empty());
    }
    CHECK(pg.verify(std::nullopt).intact);
    const auto middle = pg.records(15, 1).front().time;
    std::vector<AuditFilter> filters(7);
    filters[1].actor = "li";
    filters[2].action = "login";
    filters[3].action = "login.refused";
    filters[3].actor = "wang";
    filters[4].since = middle;
    filters[5].until = middle;
    filters[5].limit = 4;
    filters[6].beforeSeq = 10;
    filters[6].action = "login";
    for (std::size_t f = 0; f < filters.size(); ++f) {
        INFO("filter " << f);
        const auto a = pg.findRecords(filters[f]);
        // The base class's walk over records() is the slow path both overrides must match.
        const auto slow = pg.BureauStore::findRecords(filters[f]);
        REQUIRE(a.size() == slow.size());
        for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].seq == slow[i].seq);
        const auto b = lite.findRecords(filters[f]);
        if (f != 4 && f != 5) {  // times differ between the two stores
            REQUIRE(a.size() == b.size());
            for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].seq == b[i].seq);
        }
    }
}

namespace {

/// A unit square at (x, y) as ISO WKB (little-endian polygon).
std::string squareWkb(double x, double y) {
    std::string out;
    const auto put = [&out](const void* p, std::size_t n) {
        out.append(static_cast<const char*>(p), n);
    };
    const unsigned char order = 1;
    const std::uint32_t type = 3, rings = 1, points = 5;
    put(&order, 1);
    put(&type, 4);
    put(&rings, 4);
    put(&points, 4);
    const double xy[] = {x, y, x + 1, y, x + 1, y + 1, x, y + 1, x, y};
    put(xy, sizeof xy);
    return out;
}

RegisterEntry entry(const std::string& id, double x) {
    RegisterEntry e;
    e.projectId = id;
    e.name = "'; DROP TABLE onemap_bureau.register; --";
    e.verdict = "pass";
    e.approved = "2026-12-07";
    e.areaM2 = 1;
    e.areaMu = 0.0015;
    e.check = "{}";
    e.wkb = squareWkb(x, 3500000);
    return e;
}

}  // namespace

TEST_CASE("PostgreSQL: the register: approvals under its lock, refusals, nothing half-written",
          "[bureau][pg]") {
    if (!test::havePostgres()) return;
    const auto url = test::freshDatabase("register");
    PostgresBureauStore store(url, test::fastPgStore());
    CHECK_THROWS_WITH(store.prepareRegister(4549), Catch::Contains("no PostGIS"));
    test::superSql(test::databaseOf(url), "CREATE EXTENSION postgis");
    store.prepareRegister(4549);
    store.prepareRegister(4549);  // there already: nothing
    CHECK_THROWS_WITH(store.prepareRegister(4326), Catch::Contains("EPSG:4549"));
    const std::string empty = store.registerVersion();

    Submission s;
    s.submitter = "wang";
    s.fileName = "a.geojson";
    s.siteBytes = "{}";
    s.cities = {"合肥市"};
    const auto a = store.addSubmission(s);
    const auto b = store.addSubmission(s);
    const auto c = store.addSubmission(s);
    // A refusal: its record, nothing else.
    const auto refused = store.approveUnderRegisterLock("li", a.id, "ok", [&] {
        ApprovalCheck out;
        out.refusal = AuditEntry{"li", "approve.refused", "submission 1", "overlaps", "", ""};
        return out;
    });
    CHECK_FALSE(refused);
    CHECK(store.submission(a.id)->state == SubmissionState::Pending);
    CHECK(store.records(1, 100).back().entry.action == "approve.refused");
    CHECK(store.registerVersion() == empty);
    // A check that throws, or a project id twice: nothing kept.
    CHECK_THROWS_AS(
        store.approveUnderRegisterLock(
            "li", a.id, "ok", []() -> ApprovalCheck { throw InputError("the site file is bad"); }),
        InputError);
    CHECK_THROWS_WITH(
        store.approveUnderRegisterLock("li", a.id, "ok",
                                       [&] {
                                           ApprovalCheck out;
                                           out.entries = {entry("P1", 0), entry("P1", 5)};
                                           return out;
                                       }),
        Catch::Contains("already in the register"));
    CHECK(store.submission(a.id)->state == SubmissionState::Pending);
    CHECK(store.registerVersion() == empty);
    // An approval: the rows, the decision and its record together.
    const auto approved = store.approveUnderRegisterLock("li", a.id, "fits", [&] {
        ApprovalCheck out;
        out.entries = {entry("P1", 0), entry("P2", 5)};
        out.decisionJson = R"({"sites": 2})";
        return out;
    });
    REQUIRE(approved);
    CHECK(approved->state == SubmissionState::Approved);
    CHECK(approved->decisionJson == R"({"sites": 2})");
    CHECK(store.records(1, 100).back().entry.action == "approve");
    CHECK(store.registerVersion() != empty);
    CHECK(test::superSql(test::databaseOf(url),
                         "SELECT string_agg(project_id || ':' || submission || ':' || "
                         "ST_SRID(geom) || ':' || ST_Area(geom) || ':' || name, ',' ORDER BY fid) "
                         "FROM onemap_bureau.register") ==
          "P1:1:4549:1:'; DROP TABLE onemap_bureau.register; --,P2:1:4549:1:'; DROP TABLE "
          "onemap_bureau.register; --");
    // Decided already (by another server while this one waited): the check is not even run.
    bool ran = false;
    CHECK_THROWS_AS(store.approveUnderRegisterLock("li", a.id, "again",
                                                   [&] {
                                                       ran = true;
                                                       return ApprovalCheck{};
                                                   }),
                    DecidedAlreadyError);
    CHECK_FALSE(ran);
    store.decide("li", b.id, SubmissionState::Rejected, "no", "", {});
    CHECK_THROWS_AS(store.approveUnderRegisterLock("li", b.id, "x", [] { return ApprovalCheck{}; }),
                    DecidedAlreadyError);
    CHECK_THROWS_WITH(store.approveUnderRegisterLock("li", 99, "x", [] { return ApprovalCheck{}; }),
                      Catch::Contains("no such submission"));
    // Two stores (two servers) approving at once wait for each other's lock: the second
    // check runs after the first committed, and sees its rows.
    PostgresBureauStore other(url, test::fastPgStore());
    std::string seenByOther;
    std::atomic<bool> locked{false};
    std::thread first([&] {
        store.approveUnderRegisterLock("li", c.id, "first", [&] {
            locked = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            ApprovalCheck out;
            out.entries = {entry("P3", 10)};
            return out;
        });
    });
    while (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto d = other.addSubmission(s);
    other.approveUnderRegisterLock("li", d.id, "second", [&] {
        seenByOther =
            test::superSql(test::databaseOf(url), "SELECT count(*) FROM onemap_bureau.register");
        ApprovalCheck out;
        out.entries = {entry("P4", 15)};
        return out;
    });
    first.join();
    CHECK(seenByOther == "3");
    CHECK(store.verify(std::nullopt).intact);
}
