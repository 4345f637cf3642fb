// Comments in the PostgreSQL store: the SQLite store's rows and records, hostile text
// round-tripped, the table added to a store made before it. Needs the cluster of
// bureau_pg_check.sh.
#include <catch2/catch.hpp>

#include "bureau_test_support.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "pg_test_support.hpp"

using namespace onemap;
using namespace onemap::core::bureau;

namespace {

/// A submission to comment on: kept by the store when it keeps submissions, else an id.
std::int64_t aSubmission(BureauStore& store) {
    Submission s;
    s.submitter = "ent";
    s.fileName = "sites.geojson";
    s.siteBytes = R"({"type":"FeatureCollection","features":[]})";
    s.checkJson = "{}";
    s.summary = "0 sites";
    try {
        return store.addSubmission(s).id;
    } catch (const InputError&) {
        throw;
    } catch (const Error&) {  // a PostgreSQL store without submissions yet
        return 1;
    }
}

}  // namespace

TEST_CASE("PostgreSQL: comments are kept as given and recorded as SQLite's are", "[bureau][pg]") {
    if (!test::havePostgres()) return;
    const std::string url = test::freshDatabase("comments");
    PostgresBureauStore pg(url, test::fastPgStore());
    SqliteBureauStore lite(test::freshDataFolder("pg-comments"), test::fastStore());
    const std::string text = "<img src=x onerror=alert(1)>'); DROP TABLE comments;--\n二行 $1";
    for (BureauStore* store : std::vector<BureauStore*>{&pg, &lite}) {
        Comment c;
        c.submission = aSubmission(*store);
        c.fromHash = gis::sha256("10.0.0.1");
        c.text = text;
        const auto head = store->head().seq;
        const auto added = store->addComment(c);
        CHECK(added.id == 1);
        const auto back = store->comments({});
        REQUIRE(back.size() == 1);
        CHECK(back[0].text == text);
        CHECK(back[0].submission == c.submission);
        CHECK(back[0].fromHash == c.fromHash);
        CHECK_FALSE(back[0].hidden);
        CHECK(store->comments({c.submission + 1, 10}).empty());
        const auto r = store->records(head + 1, 10);
        REQUIRE(r.size() == 1);
        CHECK(r[0].entry.action == "comment");
        CHECK(r[0].entry.detail == "comment 1 from " + c.fromHash.substr(0, 12));
        CHECK(r[0].entry.inputsSha256 == gis::sha256(text));
        CHECK(store->verify(std::nullopt).intact);
    }
    // A store made before comments: the table is added when it is opened.
    test::superSql(test::databaseOf(url), "DROP TABLE onemap_bureau.comments");
    PostgresBureauStore reopened(url, [] {
        auto o = test::fastPgStore();
        o.create = false;
        return o;
    }());
    CHECK(reopened.comments({}).empty());
}
