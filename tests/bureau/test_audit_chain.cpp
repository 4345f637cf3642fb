// The audit trail as a hash chain: tampering done with the sqlite3 C API straight on the file is
// named by verify(); the tail cut off is seen only against a head kept elsewhere; appends from
// several threads (each with its own connection) and from two onemap processes all land, in one
// unbroken chain.
#include <catch2/catch.hpp>
#include <set>
#include <thread>
#include <vector>

#include "bureau_test_support.hpp"
#include "onemap/core/bureau/audit_record.hpp"
#include "onemap/gis/base/error.hpp"

using namespace onemap;
using namespace onemap::core::bureau;

namespace {

/// A store with `n` records "r1".."rn".
std::string trailOf(const std::string& name, int n) {
    const auto data = test::freshDataFolder(name);
    SqliteBureauStore store(data, test::fastStore());
    for (int i = 1; i <= n; ++i)
        store.append({"planner li", "check", "site " + std::to_string(i), "r" + std::to_string(i),
                      std::string(64, 'a'), std::string(64, 'b')});
    return data;
}

AuditVerdict verifyFile(const std::string& data, std::optional<AuditHead> head = std::nullopt) {
    SqliteBureauStore store(data, SqliteStoreOptions{});
    return store.verify(head);
}

}  // namespace

TEST_CASE("The canonical encoding is unambiguous: moving bytes between fields changes the hash",
          "[bureau][audit]") {
    AuditRecord a;
    a.seq = 1;
    a.time = "2026-12-07T00:00:00.000Z";
    a.entry = {"ab", "c", "", "", "", ""};
    a.previousHash = kGenesisHash;
    AuditRecord b = a;
    b.entry.actor = "a";
    b.entry.action = "bc";
    CHECK(a.entry.actor + a.entry.action == b.entry.actor + b.entry.action);
    CHECK(auditRecordHash(a) != auditRecordHash(b));
    AuditRecord c = a;
    c.seq = 2;
    CHECK(auditRecordHash(a) != auditRecordHash(c));
    CHECK(auditRecordHash(a).size() == 64);
}

TEST_CASE("An intact trail verifies and names its head", "[bureau][audit]") {
    const auto data = trailOf("intact", 5);
    const auto verdict = verifyFile(data);
    CHECK(verdict.intact);
    CHECK(verdict.records == 5);
    CHECK(verdict.head.seq == 5);
    CHECK(verifyFile(data, verdict.head).intact);
    CHECK(AuditHead::parse(verdict.head.text()).hash == verdict.head.hash);
    CHECK_THROWS_AS(AuditHead::parse("5"), InputError);
    CHECK_THROWS_AS(AuditHead::parse("x:" + verdict.head.hash), InputError);
}

TEST_CASE("The trail refuses UPDATE and DELETE from plain SQL", "[bureau][audit]") {
    const auto data = trailOf("triggers", 2);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(SqliteBureauStore::fileIn(data).c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE audit SET detail = 'x' WHERE seq = 1", nullptr, nullptr,
                       nullptr) != SQLITE_OK);
    CHECK(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 2", nullptr, nullptr, nullptr) !=
          SQLITE_OK);
    sqlite3_close(db);
    CHECK(verifyFile(data).intact);
}

TEST_CASE("One record's detail edited on the file: verify names that record", "[bureau][audit]") {
    const auto data = trailOf("edit", 6);
    test::tamper(data,
                 "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'r3 approved' WHERE "
                 "seq = 3");
    const auto verdict = verifyFile(data);
    CHECK_FALSE(verdict.intact);
    CHECK(verdict.badSeq == 3);
    CHECK(verdict.why == "record 3: its hash does not match its content");
}

TEST_CASE("An edit with its hash recomputed breaks the next record's link", "[bureau][audit]") {
    const auto data = trailOf("rehashed", 6);
    AuditRecord forged;
    {
        SqliteBureauStore store(data, SqliteStoreOptions{});
        forged = store.records(3, 1).at(0);
    }
    forged.entry.detail = "r3 approved";
    forged.hash = auditRecordHash(forged);
    test::tamper(data,
                 "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'r3 approved', "
                 "hash = '" +
                     forged.hash + "' WHERE seq = 3");
    const auto verdict = verifyFile(data);
    CHECK_FALSE(verdict.intact);
    CHECK(verdict.badSeq == 4);
    CHECK(verdict.why.find("link to record 3") != std::string::npos);
}

TEST_CASE("A middle record deleted on the file: verify names the gap", "[bureau][audit]") {
    const auto data = trailOf("middle", 6);
    test::tamper(data, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 4");
    const auto verdict = verifyFile(data);
    CHECK_FALSE(verdict.intact);
    CHECK(verdict.badSeq == 5);
    CHECK(verdict.why == "record 5: record 4 is missing before it");
}

TEST_CASE("The tail deleted: unseen by the chain alone, seen against the head kept elsewhere",
          "[bureau][audit]") {
    const auto data = trailOf("tail", 6);
    const AuditHead kept = verifyFile(data).head;
    test::tamper(data, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= 5");
    CHECK(verifyFile(data).intact);  // what a hash chain cannot see
    const auto verdict = verifyFile(data, kept);
    CHECK_FALSE(verdict.intact);
    CHECK(verdict.badSeq == 6);
    CHECK(verdict.why.find("missing; the trail ends at record 4") != std::string::npos);
    // A trail rewritten from record 4 on, under a head kept at 6: the hash at 6 differs.
    const auto other = trailOf("tail-rewrite", 6);
    const AuditHead keptOther = verifyFile(other).head;
    test::tamper(other, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= 4");
    {
        SqliteBureauStore store(other, test::fastStore());
        for (int i = 4; i <= 6; ++i) store.append({"x", "check", "forged", "", "", ""});
    }
    const auto rewritten = verifyFile(other, keptOther);
    CHECK_FALSE(rewritten.intact);
    CHECK(rewritten.badSeq == 6);
}

TEST_CASE("Threads: six appending at once (four connections, one shared store) land in one chain",
          "[bureau][audit][threads]") {
    const auto data = trailOf("threads", 0);
    constexpr int kThreads = 4, kEach = 40;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&data, t] {
            SqliteBureauStore store(data, SqliteStoreOptions{});  // a connection of its own
            for (int i = 0; i < kEach; ++i)
                store.append(
                    {"thread " + std::to_string(t), "check", std::to_string(i), "", "", ""});
        });
    // And one store shared by two threads (its mutex).
    SqliteBureauStore shared(data, SqliteStoreOptions{});
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&shared, t] {
            for (int i = 0; i < kEach; ++i)
                shared.append(
                    {"shared " + std::to_string(t), "check", std::to_string(i), "", "", ""});
        });
    for (auto& th : threads) th.join();
    const auto verdict = shared.verify(std::nullopt);
    CHECK(verdict.intact);
    CHECK(verdict.records == (kThreads + 2) * kEach);
    std::set<std::string> seen;
    for (const auto& r : shared.records(1, 10000))
        seen.insert(r.entry.actor + "/" + r.entry.subject);
    CHECK(seen.size() == static_cast<std::size_t>((kThreads + 2) * kEach));
}
