// The audit trail against its witness (heads anchored in a file outside the database): a trail
// rewritten whole with recomputed hashes, which the chain alone cannot see, is named at the first
// anchor it contradicts; a tail cut is named against the last anchor; a witness line edited by
// hand is refused with file:line; `onemap audit anchor` and `audit verify --witness` exit 0/1/2.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "bureau_test_support.hpp"
#include "onemap/core/bureau/audit_witness.hpp"
#include "onemap/gis/base/error.hpp"

using namespace onemap;
using namespace onemap::core::bureau;

namespace {

const std::string kOnemap = ONEMAP_CLI_BINARY;

/// A store with `n` records "r1".."rn".
std::string trailOf(const std::string& name, int n) {
    const auto data = test::freshDataFolder(name);
    SqliteBureauStore store(data, test::fastStore());
    for (int i = 1; i <= n; ++i)
        store.append({"planner li", "check", "site " + std::to_string(i), "r" + std::to_string(i),
                      std::string(64, 'a'), std::string(64, 'b')});
    return data;
}

AuditVerdict verifyWith(const std::string& data, const std::string& witness) {
    SqliteBureauStore store(data, SqliteStoreOptions{});
    return checkAgainstWitness(store.verify(std::nullopt), readWitnessAnchors(witness), store);
}

AuditHead headAt(const std::string& data, std::int64_t seq) {
    SqliteBureauStore store(data, SqliteStoreOptions{});
    const auto r = store.records(seq, 1).at(0);
    return {r.seq, r.hash};
}

/// What someone holding the database alone can do: change record `from`'s detail and recompute
/// every hash from it to the end, so that the chain verifies again.
void rewriteFrom(const std::string& data, std::int64_t from) {
    std::vector<AuditRecord> trail;
    {
        SqliteBureauStore store(data, SqliteStoreOptions{});
        trail = store.records(1, 1000);
    }
    std::ostringstream sql;
    sql << "DROP TRIGGER audit_no_update;";
    std::string previous = trail.at(static_cast<std::size_t>(from - 2)).hash;
    for (auto r : trail) {
        if (r.seq < from) continue;
        if (r.seq == from) r.entry.detail = "approved after all";
        r.previousHash = previous;
        r.hash = auditRecordHash(r);
        previous = r.hash;
        sql << "UPDATE audit SET detail = '" << r.entry.detail << "', prev_hash = '"
            << r.previousHash << "', hash = '" << r.hash << "' WHERE seq = " << r.seq << ";";
    }
    test::tamper(data, sql.str());
}

}  // namespace

TEST_CASE("A witness file: lines appended whole, mode 0600, read back in order",
          "[bureau][witness]") {
    const auto data = trailOf("witness-file", 3);
    const auto witness = test::scratch("anchors-file") / "witness.txt";
    const std::string line = appendWitnessAnchor(witness.string(), headAt(data, 2));
    appendWitnessAnchor(witness.string(), headAt(data, 3));
    struct stat st {};
    REQUIRE(::stat(witness.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const auto anchors = readWitnessAnchors(witness.string());
    REQUIRE(anchors.size() == 2);
    CHECK(anchors[0].head.seq == 2);
    CHECK(anchors[0].head.hash == headAt(data, 2).hash);
    CHECK(anchors[1].line == 2);
    CHECK(line == "2 " + anchors[0].head.hash + " " + anchors[0].time);
    CHECK(lastWitnessAnchor(witness.string())->head.seq == 3);
    CHECK_FALSE(lastWitnessAnchor(witness.string() + "-none"));
    CHECK(verifyWith(data, witness.string()).intact);
    // A line torn by a crash: the next anchor still starts a line of its own; the torn one is
    // named when read.
    std::ofstream(witness, std::ios::app) << "3 abc";
    const std::string after = appendWitnessAnchor(witness.string(), headAt(data, 3));
    std::string text;
    {
        std::ifstream in(witness);
        std::getline(in, text, '\0');
    }
    CHECK(text.size() > after.size() + 8);
    CHECK(text.substr(text.size() - after.size() - 8) == "\n3 abc\n" + after + "\n");
    CHECK_THROWS_WITH(readWitnessAnchors(witness.string()),
                      Catch::StartsWith(witness.string() + ":3: not a witness anchor"));
}

TEST_CASE("The whole trail rewritten with recomputed hashes: the chain is blind, the witness sees",
          "[bureau][witness]") {
    const auto data = trailOf("witness-rewrite", 6);
    const auto witness = (test::scratch("anchors-rewrite") / "w.txt").string();
    appendWitnessAnchor(witness, headAt(data, 3));
    appendWitnessAnchor(witness, headAt(data, 6));
    rewriteFrom(data, 2);
    {
        SqliteBureauStore store(data, SqliteStoreOptions{});
        CHECK(store.verify(std::nullopt).intact);  // what a hash chain cannot see
    }
    const auto verdict = verifyWith(data, witness);
    CHECK_FALSE(verdict.intact);
    CHECK(verdict.badSeq == 3);
    const auto anchoredAt = readWitnessAnchors(witness).at(0).time;
    CHECK(verdict.why == "record 3 differs from the witness anchored at " + anchoredAt +
                             " (the trail was rewritten up to it)");
    std::string out;
    CHECK(test::shell(kOnemap + " audit verify --data " + data + " --witness " + witness, &out) ==
          1);
    CHECK(out.find("record 3 differs from the witness anchored at " + anchoredAt) !=
          std::string::npos);
    // Anchoring refuses to bless a rewritten trail and leaves the witness as it was.
    CHECK(test::shell(kOnemap + " audit anchor --data " + data + " --witness " + witness, &out) ==
          1);
    CHECK(readWitnessAnchors(witness).size() == 2);
}

TEST_CASE("The tail cut: named against the witness's last anchor", "[bureau][witness]") {
    const auto data = trailOf("witness-cut", 6);
    const auto witness = (test::scratch("anchors-cut") / "w.txt").string();
    std::string out;
    CHECK(test::shell(kOnemap + " audit anchor --data " + data + " --witness " + witness, &out) ==
          0);
    CHECK(test::shell(kOnemap + " audit verify --data " + data + " --witness " + witness, &out) ==
          0);
    CHECK(out.find("audit: intact, 6 records") != std::string::npos);
    test::tamper(data, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= 5");
    CHECK(test::shell(kOnemap + " audit verify --data " + data, &out) == 0);  // the chain: blind
    const auto verdict = verifyWith(data, witness);
    CHECK_FALSE(verdict.intact);
    CHECK(verdict.badSeq == 5);
    CHECK(verdict.why.rfind("the trail ends at 4 but the witness saw 6 (anchored at ", 0) == 0);
    CHECK(test::shell(kOnemap + " audit verify --data " + data + " --witness " + witness, &out) ==
          1);
    CHECK(out.find("the trail ends at 4 but the witness saw 6") != std::string::npos);
    // Records appended again up to 6 under other hashes: a rewrite at 6.
    {
        SqliteBureauStore store(data, test::fastStore());
        store.append({"x", "check", "forged", "", "", ""});
        store.append({"x", "check", "forged", "", "", ""});
    }
    CHECK(verifyWith(data, witness).badSeq == 6);
}

TEST_CASE("A witness line edited by hand is refused with file:line (exit 2)", "[bureau][witness]") {
    const auto data = trailOf("witness-edit", 2);
    const auto witness = (test::scratch("anchors-edit") / "w.txt").string();
    appendWitnessAnchor(witness, headAt(data, 1));
    appendWitnessAnchor(witness, headAt(data, 2));
    std::string text;
    {
        std::ifstream in(witness);
        std::getline(in, text, '\0');
    }
    const auto second = text.find('\n') + 1;
    text[second + 2] = text[second + 2] == 'A' ? 'B' : 'A';  // an upper-case hex digit
    std::ofstream(witness, std::ios::trunc) << text;
    CHECK_THROWS_WITH(readWitnessAnchors(witness),
                      Catch::StartsWith(witness + ":2: not a witness anchor"));
    std::string out;
    CHECK(test::shell(kOnemap + " audit verify --data " + data + " --witness " + witness, &out) ==
          2);
    CHECK(out.find(witness + ":2:") != std::string::npos);
    CHECK(test::shell(kOnemap + " audit anchor --data " + data + " --witness " + witness, &out) ==
          2);
    CHECK(test::shell(kOnemap + " audit verify --data " + data + " --witness " + witness + "-none",
                      &out) == 2);
}
