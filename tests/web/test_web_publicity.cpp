// 公示 and 意见征询 (issue 36) on a real server and a real SQLite store: which approved projects
// are under publicity (a decision moved back in the store falls out), their sites as submitted
// and nothing of a layer that is not public, and the comments: their length counted in
// characters, invalid UTF-8 and control characters refused, the per-address limit, no text
// echoed, the list for planners only, each one in the audit trail.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "../bureau/bureau_test_support.hpp"
#include "../test_support.hpp"
#include "http_client.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/web/server.hpp"

namespace fs = std::filesystem;
using onemap::test::httpRequest;
using onemap::test::scratch;
using Json = nlohmann::json;
namespace bureau = onemap::core::bureau;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kHostile = "<img src=x onerror=alert(1)>";

std::string sampleDir() { return fs::path(onemap::core::defaultPlanPath()).parent_path(); }

// The sample plan with its red line not public (the sources made absolute).
std::string planWithHiddenRedLine() {
    const auto dir = scratch("web-publicity-plan");
    std::string text = onemap::test::slurp(onemap::core::defaultPlanPath());
    text = std::regex_replace(text, std::regex("source = \"g60\\.gpkg\""),
                              "source = \"" + sampleDir() + "/g60.gpkg\"");
    text = std::regex_replace(text, std::regex("source = \"register\\.gpkg\""),
                              "source = \"" + sampleDir() + "/register.gpkg\"");
    const std::string anchor = "id = \"redline\"\n";
    const auto at = text.find(anchor);
    REQUIRE(at != std::string::npos);
    text.insert(at + anchor.size(), "public = false\n");
    onemap::test::put(dir / "g60.toml", text);
    return (dir / "g60.toml").string();
}

struct Publicity {
    std::string data;
    std::shared_ptr<bureau::SqliteBureauStore> store;
    std::unique_ptr<onemap::web::Server> server;
};

Publicity& publicityServer() {
    static Publicity p = [] {
        setenv("XDG_CACHE_HOME", scratch("web-publicity-cache").c_str(), 1);
        Publicity made;
        made.data = onemap::test::freshDataFolder("web-publicity");
        made.store =
            std::make_shared<bureau::SqliteBureauStore>(made.data, onemap::test::fastStore());
        for (const auto& [name, role] :
             std::vector<std::pair<std::string, bureau::Role>>{{"ent1", bureau::Role::Enterprise},
                                                               {"planner1", bureau::Role::Planner},
                                                               {"admin1", bureau::Role::Admin}})
            made.store->addUser("test", name, role, {}, bureau::Secret(kPassword));
        onemap::web::ServerOptions o;
        o.port = 0;
        o.planPath = planWithHiddenRedLine();
        o.store = made.store;
        o.publicityDays = 30;
        made.server = std::make_unique<onemap::web::Server>(o);
        made.server->start();
        return made;
    }();
    return p;
}

unsigned short port() { return publicityServer().server->port(); }

std::vector<std::pair<std::string, std::string>> signIn(const std::string& name) {
    const auto a = httpRequest(port(), "POST", "/api/login",
                               Json{{"user", name}, {"password", kPassword}}.dump());
    REQUIRE(a.status == 200);
    const std::string cookie = a.headers.at("set-cookie");
    return {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", Json::parse(a.body).at("csrf_token")}};
}

// One sample site (WGS84 GeoJSON) that takes red line, named kHostile.
Json redLineSite() {
    const auto dir = scratch("web-publicity-sites");
    (void)onemap::test::capture("ogr2ogr -f GeoJSON -t_srs EPSG:4326 " +
                                (dir / "sites.geojson").string() + " " + sampleDir() +
                                "/sites.gpkg 2>&1");
    const Json all = Json::parse(onemap::test::slurp((dir / "sites.geojson").string()));
    for (auto f : all.at("features")) {
        f["properties"]["name"] = kHostile;
        const Json one{{"type", "FeatureCollection"}, {"features", Json::array({f})}};
        const auto check = httpRequest(port(), "POST", "/api/check", one.dump());
        if (check.body.find("no-redline") == std::string::npos) continue;
        const auto site = Json::parse(check.body).at("sites").at(0);
        for (const auto& r : site.at("rules"))
            if (r.at("id") == "no-redline" && r.at("verdict") == "fail") return one;
    }
    FAIL("no sample site takes red line");
    return {};
}

// A submission of `site` kept in the store as the server would, approved (or left pending).
std::int64_t submitted(const Json& site, bool approve) {
    auto& store = *publicityServer().store;
    bureau::Submission s;
    s.submitter = "ent1";
    s.fileName = "sites.geojson";
    s.siteBytes = site.dump();
    s.checkJson = httpRequest(port(), "POST", "/api/check", s.siteBytes).body;
    s.summary = "1 sites";
    const auto kept = store.addSubmission(s);
    if (approve)
        store.decide("appr1", kept.id, bureau::SubmissionState::Approved, "ok", s.checkJson, {});
    return kept.id;
}

Json publicity(const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    const auto a = httpRequest(port(), "GET", "/api/publicity", "", headers);
    REQUIRE(a.status == 200);
    return Json::parse(a.body);
}

const Json* project(const Json& answer, std::int64_t id) {
    for (const auto& p : answer.at("projects"))
        if (p.at("id") == id) return &p;
    return nullptr;
}

std::string comment(std::int64_t submission, const std::string& text) {
    return Json{{"submission", submission}, {"text", text}}.dump();
}

std::string repeated(const std::string& character, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += character;
    return out;
}

}  // namespace

TEST_CASE("web publicity: approved projects within the period, their sites, nothing hidden",
          "[web][bureau][publicity]") {
    const Json site = redLineSite();
    const auto approved = submitted(site, true);
    const auto pending = submitted(site, false);
    const auto old = submitted(site, true);
    // Decided 31 days ago: out of a 30-day publicity (written on the file, as time would).
    const auto ago = std::chrono::system_clock::now() - std::chrono::hours(24 * 31);
    const std::time_t t = std::chrono::system_clock::to_time_t(ago);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char decided[40];
    std::strftime(decided, sizeof decided, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    onemap::test::tamper(publicityServer().data, "UPDATE submissions SET decided = '" +
                                                     std::string(decided) +
                                                     "' WHERE id = " + std::to_string(old));

    const Json answer = publicity();  // no session: the public
    CHECK(answer.at("days") == 30);
    CHECK(project(answer, pending) == nullptr);
    CHECK(project(answer, old) == nullptr);
    const Json* p = project(answer, approved);
    REQUIRE(p != nullptr);
    CHECK(p->at("file_name") == "sites.geojson");
    CHECK(p->at("sites").size() == 1);
    CHECK(p->at("sites")[0].at("name") == kHostile);
    CHECK(p->at("sites")[0].at("verdict") == "fail");
    // The period: 30 days from the decision.
    const std::string today = p->at("decided");
    CHECK(today.size() == 10);
    CHECK(p->at("publicity_ends").get<std::string>() > today);
    // The site as submitted (WGS84 there and back through the plan's CRS), and nothing else:
    // no overlap shape of the red line, no layer named.
    const auto& features = p->at("geometry").at("features");
    REQUIRE(features.size() == 1);
    CHECK(features[0].at("properties") ==
          Json{{"id", features[0]["properties"]["id"]}, {"name", kHostile}});
    const auto& sent = site["features"][0]["geometry"]["coordinates"][0];
    const auto& back = features[0]["geometry"]["coordinates"][0];
    REQUIRE(sent.size() == back.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        CHECK(std::abs(sent[i][0].get<double>() - back[i][0].get<double>()) < 1e-7);
        CHECK(std::abs(sent[i][1].get<double>() - back[i][1].get<double>()) < 1e-7);
    }
    const std::string body = answer.dump();
    CHECK(body.find("redline") == std::string::npos);
    CHECK(body.find("\"layer\"") == std::string::npos);
    // A planner sees the same list (publicity is the public's view).
    CHECK(publicity(signIn("planner1")) == answer);
}

TEST_CASE("web publicity: comments are limited, checked, never echoed, listed for planners",
          "[web][bureau][publicity]") {
    const auto id = submitted(redLineSite(), true);
    const auto pending = submitted(redLineSite(), false);
    const auto post = [](const std::string& body,
                         const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        return httpRequest(port(), "POST", "/api/comments", body, headers);
    };
    // Refused before anything is counted: too long, not UTF-8, control characters, empty, a
    // project not under publicity, an unknown one, a bad body.
    const auto tooLong = post(comment(id, repeated("意", 1001)));
    CHECK(tooLong.status == 400);
    CHECK(tooLong.body.find("1000") != std::string::npos);
    CHECK(
        post(R"({"submission": )" + std::to_string(id) + ", \"text\": \"bad \xff\xfe\"}").status ==
        400);
    CHECK(post(R"({"submission": )" + std::to_string(id) + ", \"text\": \"\xc0\xaf\"}").status ==
          400);  // an overlong '/'
    CHECK(post(comment(id, "bell\a")).status == 400);
    CHECK(post(comment(id, "tab\there")).status == 400);
    CHECK(post(comment(id, "c1 \xc2\x85")).status == 400);
    CHECK(post(comment(id, "")).status == 400);
    CHECK(post(comment(id, " \n ")).status == 400);
    CHECK(post(comment(pending, "too early")).status == 409);
    CHECK(post(comment(999999, "nowhere")).status == 404);
    CHECK(post(R"({"submission": "1", "text": "x"})").status == 400);
    CHECK(post(R"({"submission": 1, "text": "x", "more": 1})").status == 400);
    CHECK(post("not json").status == 400);

    // Exactly 1,000 characters (3,000 bytes) is taken; the answer carries no text back.
    const std::string longest = repeated("意", 1000);
    const auto ok = post(comment(id, longest));
    INFO(ok.body);
    REQUIRE(ok.status == 200);
    CHECK(ok.body.find("意") == std::string::npos);
    const auto hostile = post(comment(id, kHostile + "\n第二行"));
    REQUIRE(hostile.status == 200);
    CHECK(hostile.body.find("<") == std::string::npos);
    // A signed-in caller sends the CSRF token like any state-changing request.
    auto planner = signIn("planner1");
    CHECK(post(comment(id, "no token"), {planner[0]}).status == 403);
    REQUIRE(post(comment(id, "from a planner"), planner).status == 200);
    REQUIRE(post(comment(id, "four")).status == 200);
    REQUIRE(post(comment(id, "five")).status == 200);
    // Five from this address in ten minutes; the sixth waits.
    const auto sixth = post(comment(id, "six"));
    CHECK(sixth.status == 429);
    REQUIRE(sixth.headers.count("retry-after"));
    CHECK(std::stoi(sixth.headers.at("retry-after")) > 0);

    // Planners, approvers and admins list them, as given; the rest may not.
    const auto listed =
        httpRequest(port(), "GET", "/api/comments?submission=" + std::to_string(id), "", planner);
    REQUIRE(listed.status == 200);
    const auto comments = Json::parse(listed.body).at("comments");
    REQUIRE(comments.size() == 5);
    CHECK(comments[0].at("text") == "five");
    CHECK(comments[2].at("author") == "planner1");
    CHECK(comments[3].at("text") == kHostile + "\n第二行");
    CHECK(comments[3].at("author") == "");
    CHECK(comments[4].at("text") == longest);
    CHECK(listed.body.find("127.0.0.1") == std::string::npos);  // a hash of it, not the address
    CHECK(httpRequest(port(), "GET", "/api/comments", "", signIn("admin1")).status == 200);
    CHECK(httpRequest(port(), "GET", "/api/comments", "", signIn("ent1")).status == 403);
    CHECK(httpRequest(port(), "GET", "/api/comments").status == 401);
    CHECK(httpRequest(port(), "GET", "/api/comments?submission=x", "", planner).status == 400);

    // Each one in the audit trail, which still verifies.
    auto& store = *publicityServer().store;
    bureau::AuditFilter f;
    f.action = "comment";
    f.limit = 100;
    CHECK(store.findRecords(f).size() >= 5);
    publicityServer().server->flushAudit();  // the planner's reading, a record of a read
    f.action = "comments";
    f.actor = "planner1";
    CHECK(!store.findRecords(f).empty());
    CHECK(store.verify(std::nullopt).intact);
}

TEST_CASE("web publicity: a cap on all comments together, and no publicity at 0 days",
          "[web][bureau][publicity]") {
    const auto id = submitted(redLineSite(), true);
    // More servers on the same store, with other options.
    const auto serve = [](int days, double inAll) {
        onemap::web::ServerOptions o;
        o.port = 0;
        o.planPath = publicityServer().server->maps().planPath();
        o.store = publicityServer().store;
        o.publicityDays = days;
        o.prepareAtStart = false;
        o.limits.commentBurstPerAddress = 1000;  // the cap in all is the one tested
        o.limits.commentBurstInAll = inAll;
        o.limits.commentRefillInAll = std::chrono::seconds(3600);
        auto server = std::make_unique<onemap::web::Server>(o);
        server->start();
        return server;
    };
    {
        const auto capped = serve(30, 2);
        const auto post = [&](const std::string& text) {
            return httpRequest(capped->port(), "POST", "/api/comments", comment(id, text));
        };
        CHECK(post("one").status == 200);
        CHECK(post("two").status == 200);
        const auto third = post("three");
        CHECK(third.status == 429);
        REQUIRE(third.headers.count("retry-after"));
        CHECK(std::stoi(third.headers.at("retry-after")) > 0);
    }
    {
        const auto none = serve(0, 200);
        const auto listed = httpRequest(none->port(), "GET", "/api/publicity");
        REQUIRE(listed.status == 200);
        CHECK(Json::parse(listed.body).at("days") == 0);
        CHECK(Json::parse(listed.body).at("projects").empty());
        CHECK(httpRequest(none->port(), "POST", "/api/comments", comment(id, "closed")).status ==
              409);
    }
}
