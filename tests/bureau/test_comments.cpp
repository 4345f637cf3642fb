// Comments on projects under 公示 in the SQLite store: round-tripped as given, each one in the
// audit trail in the same transaction, refused for an unknown submission; stores of schemas 1 and
// 2 upgraded in place to take them.
#include <catch2/catch.hpp>

#include "bureau_test_support.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

using namespace onemap;
using namespace onemap::core::bureau;

namespace {

Submission aSubmission() {
    Submission s;
    s.submitter = "ent";
    s.fileName = "sites.geojson";
    s.siteBytes = R"({"type":"FeatureCollection","features":[]})";
    s.checkJson = "{}";
    s.summary = "0 sites";
    return s;
}

Comment aComment(std::int64_t submission, const std::string& text) {
    Comment c;
    c.submission = submission;
    c.author = "";
    c.fromHash = gis::sha256("127.0.0.1");
    c.text = text;
    return c;
}

}  // namespace

TEST_CASE("A comment is kept as given and recorded in the audit trail", "[bureau][store]") {
    const auto data = test::freshDataFolder("comments");
    SqliteBureauStore store(data, test::fastStore());
    const auto s = store.addSubmission(aSubmission());
    const std::string text = "<img src=x onerror=alert(1)>'); DROP TABLE comments;--\n二行";
    const auto head = store.head().seq;
    const auto c = store.addComment(aComment(s.id, text));
    CHECK(c.id == 1);
    CHECK(!c.created.empty());
    const auto back = store.comments({});
    REQUIRE(back.size() == 1);
    CHECK(back[0].text == text);
    CHECK(back[0].submission == s.id);
    CHECK(back[0].author.empty());
    CHECK(back[0].fromHash == gis::sha256("127.0.0.1"));
    CHECK(!back[0].hidden);
    const auto records = store.records(head + 1, 10);
    REQUIRE(records.size() == 1);
    CHECK(records[0].entry.action == "comment");
    CHECK(records[0].entry.actor.empty());
    CHECK(records[0].entry.subject == "submission " + std::to_string(s.id));
    CHECK(records[0].entry.inputsSha256 == gis::sha256(text));
    // The address itself is nowhere in the record.
    CHECK(records[0].entry.detail.find("127.0.0.1") == std::string::npos);
    CHECK(store.verify(std::nullopt).intact);

    // Filtered by submission, newest first; an unknown submission refused, nothing recorded.
    const auto other = store.addSubmission(aSubmission());
    auto signedIn = aComment(other.id, "second");
    signedIn.author = "planner1";
    store.addComment(signedIn);
    CHECK(store.comments({}).front().text == "second");
    CHECK(store.comments({}).front().author == "planner1");
    CHECK(store.comments({s.id, 500}).size() == 1);
    const auto before = store.head().seq;
    CHECK_THROWS_AS(store.addComment(aComment(999, "x")), InputError);
    CHECK(store.head().seq == before);
    CHECK(store.comments({}).size() == 2);
}

TEST_CASE("Stores of schema 1 and 2 are upgraded in place to take comments", "[bureau][store]") {
    for (const std::string version : {"1", "2"}) {
        const auto data = test::freshDataFolder("upgrade" + version);
        {
            SqliteBureauStore store(data, test::fastStore());
            store.addUser("cli:root", "li", Role::Planner, {}, Secret("first password"));
        }
        // What an older onemap wrote: no comments table (schema 1: no sessions, submissions).
        test::tamper(data,
                     "DROP TABLE comments; UPDATE meta SET value = '" + version +
                         "' WHERE key = 'schema';" +
                         (version == "1" ? " DROP TABLE sessions; DROP TABLE submissions;" : ""));
        SqliteBureauStore store(data, test::fastStore());
        CHECK(store.user("li"));
        const auto s = store.addSubmission(aSubmission());
        store.addComment(aComment(s.id, "after the upgrade"));
        CHECK(store.comments({}).size() == 1);
        CHECK(store.verify(std::nullopt).intact);
    }
    // A schema this build does not know is refused.
    const auto data = test::freshDataFolder("upgrade9");
    { SqliteBureauStore store(data, test::fastStore()); }
    test::tamper(data, "UPDATE meta SET value = '9' WHERE key = 'schema'");
    CHECK_THROWS_WITH(SqliteBureauStore(data, test::fastStore()), Catch::Contains("schema \"9\""));
}
