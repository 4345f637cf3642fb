// The audit witness over PostgreSQL: a trail rewritten whole with recomputed hashes (as the
// superuser, triggers off) and a tail cut are named by `onemap audit verify --db … --witness`,
// which the chain alone cannot see. Needs the cluster of bureau_pg_check.sh.
#include <catch2/catch.hpp>
#include <sstream>

#include "bureau_test_support.hpp"
#include "onemap/core/bureau/audit_witness.hpp"
#include "pg_test_support.hpp"

using namespace onemap;
using namespace onemap::core::bureau;

TEST_CASE("PostgreSQL: the witness names a rewritten trail and a cut tail",
          "[bureau][pg][witness]") {
    if (!test::havePostgres()) return;
    const std::string onemap = ONEMAP_CLI_BINARY;
    const auto url = test::freshDatabase("witness");
    std::vector<AuditRecord> trail;
    {
        PostgresBureauStore store(url, test::fastPgStore());
        for (int i = 1; i <= 6; ++i)
            store.append({"planner li", "check", "site " + std::to_string(i), "r", "", ""});
        trail = store.records(1, 100);
    }
    const auto witness = (test::scratch("pg-anchors") / "w.txt").string();
    const std::string args = " --db " + url + " --witness " + witness;
    std::string out;
    CHECK(test::shell(onemap + " audit anchor" + args, &out) == 0);
    CHECK(test::shell(onemap + " audit verify" + args, &out) == 0);

    // Record 2 onwards rewritten with every hash recomputed: the chain verifies, the witness not.
    std::ostringstream sql;
    sql << "ALTER TABLE onemap_bureau.audit DISABLE TRIGGER ALL;";
    std::string previous = trail.at(0).hash;
    for (auto r : trail) {
        if (r.seq < 2) continue;
        r.entry.detail = "approved after all";
        r.previousHash = previous;
        r.hash = auditRecordHash(r);
        previous = r.hash;
        sql << "UPDATE onemap_bureau.audit SET detail = '" << r.entry.detail << "', prev_hash = '"
            << r.previousHash << "', hash = '" << r.hash << "' WHERE seq = " << r.seq << ";";
    }
    sql << "DELETE FROM onemap_bureau.audit WHERE seq >= 5;";
    sql << "ALTER TABLE onemap_bureau.audit ENABLE TRIGGER ALL";
    test::superSql(test::databaseOf(url), sql.str());
    CHECK(test::shell(onemap + " audit verify --db " + url, &out) == 0);  // the chain: blind
    CHECK(test::shell(onemap + " audit verify" + args, &out) == 1);
    CHECK(out.find("the trail ends at 4 but the witness saw 6") != std::string::npos);
    // Anchored at 4 too: the rewrite of record 4 is named before the cut.
    appendWitnessAnchor(witness, {4, trail.at(3).hash});
    CHECK(test::shell(onemap + " audit verify" + args, &out) == 1);
    CHECK(out.find("record 4 differs from the witness anchored at ") != std::string::npos);
}
