// onemap serve with accounts (issue 36) on a real server and a real SQLite store: the role
// matrix of every route, a layer marked `public = false`, sessions (forged, expired, fixed),
// CSRF, the sign-in throttle, and the audit trail of what the server answered.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "../bureau/bureau_test_support.hpp"
#include "../test_support.hpp"
#include "http_client.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/core/tiles/map_tiles.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/web/server.hpp"

namespace fs = std::filesystem;
using onemap::test::httpRequest;
using onemap::test::scratch;
using Json = nlohmann::json;
namespace bureau = onemap::core::bureau;

namespace {

const std::string kPassword = "correct horse battery";

std::string sampleDir() { return fs::path(onemap::core::defaultPlanPath()).parent_path(); }

// The sample plan with the red line marked not public, its sources made absolute.
std::string planWithHiddenRedLine() {
    const auto dir = scratch("web-bureau-plan");
    std::string text = onemap::test::slurp(onemap::core::defaultPlanPath());
    // The map from the sample; the register a copy of its own (approvals write to it).
    text = std::regex_replace(text, std::regex("source = \"g60\\.gpkg\""),
                              "source = \"" + sampleDir() + "/g60.gpkg\"");
    fs::copy_file(sampleDir() + "/register.gpkg", dir / "register.gpkg",
                  fs::copy_options::overwrite_existing);
    const std::string anchor = "id = \"redline\"\n";
    const auto at = text.find(anchor);
    REQUIRE(at != std::string::npos);
    text.insert(at + anchor.size(), "public = false\n");
    onemap::test::put(dir / "g60.toml", text);
    return (dir / "g60.toml").string();
}

struct Bureau {
    std::shared_ptr<bureau::SqliteBureauStore> store;
    std::unique_ptr<onemap::web::Server> server;
};

Bureau& bureauServer() {
    static Bureau b = [] {
        setenv("XDG_CACHE_HOME", scratch("web-bureau-cache").c_str(), 1);
        Bureau made;
        made.store = std::make_shared<bureau::SqliteBureauStore>(
            onemap::test::freshDataFolder("web"), onemap::test::fastStore());
        const bureau::Secret password(kPassword);
        for (const auto& [name, role] :
             std::vector<std::pair<std::string, bureau::Role>>{{"pub1", bureau::Role::Public},
                                                               {"ent1", bureau::Role::Enterprise},
                                                               {"planner1", bureau::Role::Planner},
                                                               {"appr1", bureau::Role::Approver},
                                                               {"admin1", bureau::Role::Admin},
                                                               {"throttled", bureau::Role::Planner},
                                                               {"leaver", bureau::Role::Planner}})
            made.store->addUser("test", name, role,
                                role == bureau::Role::Approver ? std::vector<std::string>{"合肥市"}
                                                               : std::vector<std::string>{},
                                password);
        onemap::web::ServerOptions o;
        o.port = 0;
        o.planPath = planWithHiddenRedLine();
        o.store = made.store;
        o.limits.loginRefillPerAccount = std::chrono::seconds(1);
        o.limits.loginRefillPerAddress = std::chrono::seconds(1);
        o.limits.loginBurstPerAddress = 1000000;  // the per-account limit is the one tested
        made.server = std::make_unique<onemap::web::Server>(o);
        made.server->start();
        return made;
    }();
    return b;
}

unsigned short port() { return bureauServer().server->port(); }

struct SignedIn {
    std::string cookie;  // "onemap_session=…"
    std::string csrf;
    std::vector<std::pair<std::string, std::string>> headers() const {
        return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
    }
};

SignedIn signIn(const std::string& name, const std::string& password = kPassword) {
    const auto a = httpRequest(port(), "POST", "/api/login",
                               Json{{"user", name}, {"password", password}}.dump());
    INFO(a.body);
    REQUIRE(a.status == 200);
    const std::string setCookie = a.headers.at("set-cookie");
    CHECK(setCookie.find("HttpOnly") != std::string::npos);
    CHECK(setCookie.find("SameSite=Strict") != std::string::npos);
    return {setCookie.substr(0, setCookie.find(';')), Json::parse(a.body).at("csrf_token")};
}

std::string sitesGeoJson() {
    static const std::string body = [] {
        const auto dir = scratch("web-bureau-sites");
        (void)onemap::test::capture("ogr2ogr -f GeoJSON -t_srs EPSG:4326 " +
                                    (dir / "sites.geojson").string() + " " + sampleDir() +
                                    "/sites.gpkg 2>&1");
        return onemap::test::slurp((dir / "sites.geojson").string());
    }();
    return body;
}

// A request each route answers 200 to when the caller may call it.
struct Probe {
    std::string method;
    std::string target;
    std::string body;
};

std::map<std::string, Probe> probes() {
    return {
        {"GET /api/info", {"GET", "/api/info", ""}},
        {"POST /api/check", {"POST", "/api/check", sitesGeoJson()}},
        {"POST /api/conflicts", {"POST", "/api/conflicts", sitesGeoJson()}},
        {"POST /api/report", {"POST", "/api/report", sitesGeoJson()}},
        {"POST /api/find",
         {"POST", "/api/find?filename=brief.toml", "area_mu = 50\nindustry = \"ic\"\ncount = 1\n"}},
        {"GET /api/diff", {"GET", "/api/diff?layer=devbound&from=2021-06-01", ""}},
        {"GET /api/export", {"GET", "/api/export?layer=park&format=geojson", ""}},
        {"GET /tiles/{layer}/{z}/{x}/{y}.mvt", {"GET", "/tiles/city/6/52/26.mvt", ""}},
        {"POST /api/logout", {"POST", "/api/logout", ""}},
        {"GET /api/session", {"GET", "/api/session", ""}},
        {"GET /api/audit", {"GET", "/api/audit?limit=5", ""}},
        {"GET /api/audit/verify", {"GET", "/api/audit/verify", ""}},
        {"POST /api/submissions", {"POST", "/api/submissions", sitesGeoJson()}},
        {"GET /api/submissions", {"GET", "/api/submissions?state=pending", ""}},
        {"POST /api/submissions/{id}/approve", {"POST", "/api/submissions/999999/approve", ""}},
        {"POST /api/submissions/{id}/reject",
         {"POST", "/api/submissions/999999/reject", R"({"reason": "no"})"}},
        {"GET /api/register", {"GET", "/api/register", ""}},
        {"GET /api/users", {"GET", "/api/users", ""}},
        {"POST /api/users",
         {"POST", "/api/users",
          R"({"name": "made-by-matrix", "role": "planner", "password": "long enough"})"}},
        {"POST /api/users/{name}/password",
         {"POST", "/api/users/nobody/password", R"({"password": "long enough"})"}},
        {"POST /api/users/{name}/role",
         {"POST", "/api/users/nobody/role", R"({"role": "planner"})"}},
        {"POST /api/users/{name}/disable", {"POST", "/api/users/nobody/disable", ""}},
        {"POST /api/users/{name}/logout-all", {"POST", "/api/users/nobody/logout-all", ""}},
        {"GET /api/publicity", {"GET", "/api/publicity", ""}},
        {"POST /api/comments",
         {"POST", "/api/comments", R"({"submission": 999999, "text": "matrix"})"}},
        {"GET /api/comments", {"GET", "/api/comments", ""}},
        {"GET /{*path}", {"GET", "/", ""}},
    };
}

// The expected status of each route for each caller, written out by hand from issue 36's table
// (not read from the server's routes): "-" is no session, then the five roles.
const std::vector<std::string> kCallers = {"-", "pub1", "ent1", "planner1", "appr1", "admin1"};
std::map<std::string, std::vector<int>> expectedMatrix() {
    //                                     -    pub  ent  plan appr admin
    return {
        {"GET /api/info", {200, 200, 200, 200, 200, 200}},
        {"POST /api/check", {200, 200, 200, 200, 200, 200}},
        {"POST /api/conflicts", {200, 200, 200, 200, 200, 200}},
        {"POST /api/report", {401, 403, 200, 200, 200, 403}},
        {"POST /api/find", {401, 403, 403, 200, 200, 403}},
        {"GET /api/diff", {401, 403, 403, 200, 200, 403}},
        {"GET /api/export", {200, 200, 200, 200, 200, 200}},
        {"GET /tiles/{layer}/{z}/{x}/{y}.mvt", {200, 200, 200, 200, 200, 200}},
        {"POST /api/logout", {401, 200, 200, 200, 200, 200}},
        {"GET /api/session", {200, 200, 200, 200, 200, 200}},
        {"GET /api/audit", {401, 403, 403, 200, 403, 200}},
        {"GET /api/audit/verify", {401, 403, 403, 200, 403, 200}},
        {"POST /api/submissions", {401, 403, 200, 200, 403, 403}},
        {"GET /api/submissions", {401, 403, 200, 200, 200, 403}},
        // An approver is let through, to find no submission 999999.
        {"POST /api/submissions/{id}/approve", {401, 403, 403, 403, 404, 403}},
        {"POST /api/submissions/{id}/reject", {401, 403, 403, 403, 404, 403}},
        {"GET /api/register", {401, 403, 403, 200, 200, 403}},
        {"GET /api/users", {401, 403, 403, 403, 403, 200}},
        {"POST /api/users", {401, 403, 403, 403, 403, 200}},
        // An admin is let through, to find no user "nobody".
        {"POST /api/users/{name}/password", {401, 403, 403, 403, 403, 404}},
        {"POST /api/users/{name}/role", {401, 403, 403, 403, 403, 404}},
        {"POST /api/users/{name}/disable", {401, 403, 403, 403, 403, 404}},
        {"POST /api/users/{name}/logout-all", {401, 403, 403, 403, 403, 404}},
        // 公示: anyone sees it and may comment (no project 999999 to comment on); planners,
        // approvers and admins read the comments.
        {"GET /api/publicity", {200, 200, 200, 200, 200, 200}},
        {"POST /api/comments", {404, 404, 404, 404, 404, 404}},
        {"GET /api/comments", {401, 403, 403, 200, 200, 200}},
        {"GET /{*path}", {200, 200, 200, 200, 200, 200}},
    };
}

}  // namespace

TEST_CASE("web bureau: every route answers every role as issue 36's table says", "[web][bureau]") {
    const auto matrix = expectedMatrix();
    const auto requests = probes();
    // Every route the server has is in the table (a new route without a row fails here).
    std::set<std::string> declared;
    for (const auto& r : bureauServer().server->router().routes()) {
        if (r.pattern == "/api/login") continue;  // signing in is tested on its own below
        declared.insert(r.method + " " + r.pattern);
    }
    std::set<std::string> tabled;
    for (const auto& [route, row] : matrix) tabled.insert(route);
    CHECK(declared == tabled);

    for (std::size_t c = 0; c < kCallers.size(); ++c) {
        for (const auto& [route, row] : matrix) {
            const Probe& p = requests.at(route);
            // A fresh session each time: the logout probe ends its own.
            std::vector<std::pair<std::string, std::string>> headers;
            if (kCallers[c] != "-") headers = signIn(kCallers[c]).headers();
            const auto a = httpRequest(port(), p.method, p.target, p.body, headers);
            INFO(kCallers[c] << " " << route << ": " << a.body.substr(0, 200));
            CHECK(a.status == row[c]);
        }
    }
}

TEST_CASE("web bureau: a layer marked public = false is refused to the public, its verdicts not",
          "[web][bureau]") {
    const std::string tile = "/tiles/redline/6/52/26.mvt";
    const std::string exportIt = "/api/export?layer=redline&format=geojson";
    // /api/info says which layer is kept (the page asks no tile of it); no other layer says so.
    const auto info = Json::parse(httpRequest(port(), "GET", "/api/info").body);
    for (const auto& l : info.at("layers"))
        CHECK(l.contains("public") == (l.at("id") == "redline"));
    for (const auto& l : info.at("layers"))
        if (l.at("id") == "redline") CHECK(l.at("public") == false);
    CHECK(httpRequest(port(), "GET", tile).status == 401);
    CHECK(httpRequest(port(), "GET", exportIt).status == 401);
    const auto pub = signIn("pub1").headers();
    CHECK(httpRequest(port(), "GET", tile, "", pub).status == 403);
    CHECK(httpRequest(port(), "GET", exportIt, "", pub).status == 403);
    const auto planner = signIn("planner1").headers();
    CHECK(httpRequest(port(), "GET", tile, "", planner).status == 200);
    const auto exported = httpRequest(port(), "GET", exportIt, "", planner);
    CHECK(exported.status == 200);
    CHECK(Json::parse(exported.body).at("features").size() > 0);
    // The public's check still judges the red line, as the planner's does.
    const auto publicCheck = httpRequest(port(), "POST", "/api/check", sitesGeoJson());
    const auto plannerCheck = httpRequest(port(), "POST", "/api/check", sitesGeoJson(), planner);
    REQUIRE(publicCheck.status == 200);
    CHECK(publicCheck.body == plannerCheck.body);
    CHECK(publicCheck.body.find("no-redline") != std::string::npos);
    // Conflict areas: the public's lack exactly the red line's.
    const auto publicAreas =
        Json::parse(httpRequest(port(), "POST", "/api/conflicts", sitesGeoJson()).body);
    const auto plannerAreas =
        Json::parse(httpRequest(port(), "POST", "/api/conflicts", sitesGeoJson(), planner).body);
    std::size_t redline = 0;
    for (const auto& f : plannerAreas.at("features"))
        redline += f.at("properties").at("layer") == "redline";
    CHECK(redline > 0);  // some sample site takes red line, else this proves nothing
    for (const auto& f : publicAreas.at("features"))
        CHECK(f.at("properties").at("layer") != "redline");
    CHECK(publicAreas.at("features").size() + redline == plannerAreas.at("features").size());
}

TEST_CASE("web bureau: forged, expired and fixed sessions open nothing", "[web][bureau]") {
    const std::string audit = "/api/audit?limit=1";
    // Forged: a well-formed token the server never issued, and rubbish.
    CHECK(httpRequest(port(), "GET", audit, "",
                      {{"Cookie", "onemap_session=" + bureau::randomToken()}})
              .status == 401);
    CHECK(
        httpRequest(port(), "GET", audit, "", {{"Cookie", "onemap_session=' OR 1=1 --"}}).status ==
        401);
    // Expired: a session opened with no lifetime.
    const auto user = bureauServer().store->user("planner1");
    REQUIRE(user);
    const auto expired = bureauServer().store->openSession(*user, "test", std::chrono::seconds(0));
    CHECK(httpRequest(port(), "GET", audit, "", {{"Cookie", "onemap_session=" + expired.token}})
              .status == 401);
    // Fixation: a cookie held before signing in is not the session after it, and ends.
    const auto before = signIn("planner1");
    CHECK(httpRequest(port(), "GET", audit, "", before.headers()).status == 200);
    const auto again = httpRequest(port(), "POST", "/api/login",
                                   Json{{"user", "planner1"}, {"password", kPassword}}.dump(),
                                   {{"Cookie", before.cookie}});
    REQUIRE(again.status == 200);
    const std::string after = again.headers.at("set-cookie");
    CHECK(after.substr(0, after.find(';')) != before.cookie);
    CHECK(httpRequest(port(), "GET", audit, "", before.headers()).status == 401);
    CHECK(httpRequest(port(), "GET", audit, "", {{"Cookie", after.substr(0, after.find(';'))}})
              .status == 200);
    // Logout everywhere ends every session of the user.
    const auto one = signIn("ent1");
    const auto two = signIn("ent1");
    CHECK(httpRequest(port(), "POST", "/api/logout?everywhere=true", "", one.headers()).status ==
          200);
    CHECK(httpRequest(port(), "GET", "/api/session", "", two.headers())
              .body.find("\"signed_in\":false") != std::string::npos);
    // A disabled user's sessions end at once.
    const auto leaver = signIn("leaver");
    CHECK(httpRequest(port(), "GET", audit, "", leaver.headers()).status == 200);
    bureauServer().store->disableUser("test", "leaver");
    CHECK(httpRequest(port(), "GET", audit, "", leaver.headers()).status == 401);
}

TEST_CASE("web bureau: a state-changing request with a session needs its CSRF token",
          "[web][bureau]") {
    const auto s = signIn("planner1");
    const auto noToken =
        httpRequest(port(), "POST", "/api/check", sitesGeoJson(), {{"Cookie", s.cookie}});
    CHECK(noToken.status == 403);
    CHECK(noToken.body.find("CSRF") != std::string::npos);
    const auto wrong = httpRequest(port(), "POST", "/api/check", sitesGeoJson(),
                                   {{"Cookie", s.cookie}, {"X-CSRF-Token", bureau::randomToken()}});
    CHECK(wrong.status == 403);
    CHECK(httpRequest(port(), "POST", "/api/check", sitesGeoJson(), s.headers()).status == 200);
    // No session: 401 before any CSRF check.
    CHECK(httpRequest(port(), "POST", "/api/logout").status == 401);
    // Reads need no token.
    CHECK(httpRequest(port(), "GET", "/api/audit?limit=1", "", {{"Cookie", s.cookie}}).status ==
          200);
}

TEST_CASE("web bureau: 1,000 wrong passwords are throttled and the account is not locked for good",
          "[web][bureau]") {
    int refused = 0;
    int throttled = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto a = httpRequest(
            port(), "POST", "/api/login",
            Json{{"user", "throttled"}, {"password", "guess " + std::to_string(i)}}.dump());
        if (a.status == 401) ++refused;
        if (a.status == 429) {
            ++throttled;
            CHECK(a.headers.count("retry-after"));
        }
    }
    CHECK(refused + throttled == 1000);
    // A burst of 5, then about one a second while the loop runs: far fewer than 1,000 reached
    // the password check.
    CHECK(refused >= 5);
    CHECK(refused < 100);
    // The right password, right away, is throttled too (the limit holds for the attacker's
    // guesses whatever they are); once the bucket refills, it gets in.
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    CHECK(httpRequest(port(), "POST", "/api/login",
                      Json{{"user", "throttled"}, {"password", kPassword}}.dump())
              .status == 200);
    // SQL metacharacters in the name are a wrong name, nothing more.
    CHECK(httpRequest(port(), "POST", "/api/login",
                      Json{{"user", "x' OR '1'='1"}, {"password", "' OR 1=1 --"}}.dump())
              .status == 401);
}

TEST_CASE("web bureau: the audit trail records what the server answered, by whom",
          "[web][bureau]") {
    const auto s = signIn("planner1");
    const std::string body = sitesGeoJson();
    const auto check = httpRequest(port(), "POST", "/api/check", body, s.headers());
    REQUIRE(check.status == 200);
    const auto listed =
        httpRequest(port(), "GET", "/api/audit?action=check&limit=1", "", s.headers());
    REQUIRE(listed.status == 200);
    const auto records = Json::parse(listed.body).at("records");
    REQUIRE(records.size() == 1);
    const auto& r = records[0];
    CHECK(r.at("actor") == "planner1");
    CHECK(r.at("subject") == "/api/check");
    CHECK(r.at("inputs_sha256") == onemap::gis::sha256(body));
    CHECK(r.at("answer_sha256") == onemap::gis::sha256(check.body));
    // Logins are there with their address; the public's checks with an empty actor.
    const auto logins =
        Json::parse(httpRequest(port(), "GET", "/api/audit?action=login&actor=planner1&limit=1", "",
                                s.headers())
                        .body)
            .at("records");
    REQUIRE(logins.size() == 1);
    CHECK(logins[0].at("detail").get<std::string>().find("127.0.0.1") != std::string::npos);
    // CSV: one header, then the same record, hashes included.
    const auto csv =
        httpRequest(port(), "GET", "/api/audit?action=check&limit=1&format=csv", "", s.headers());
    CHECK(csv.contentType.find("text/csv") == 0);
    CHECK(csv.body.find(r.at("hash").get<std::string>()) != std::string::npos);
    // The chain the server wrote verifies, as the CLI would say.
    const auto verdict =
        Json::parse(httpRequest(port(), "GET", "/api/audit/verify", "", s.headers()).body);
    CHECK(verdict.at("intact") == true);
    CHECK(bureauServer().store->verify(std::nullopt).intact);
    CHECK(bureauServer().store->head().seq == verdict.at("records").get<long long>());
    // A bad filter is a 400, not a 500.
    CHECK(httpRequest(port(), "GET", "/api/audit?limit=0", "", s.headers()).status == 400);
    CHECK(httpRequest(port(), "GET", "/api/audit?since=yesterday", "", s.headers()).status == 400);
}

namespace {

Json features() { return Json::parse(sitesGeoJson()).at("features"); }

std::string oneSite(const Json& feature) {
    return Json{{"type", "FeatureCollection"}, {"features", Json::array({feature})}}.dump();
}

// The z12 tile holding a site's first vertex (a GeoJSON feature in WGS 84), as a /tiles path.
std::string registerTileOf(const Json& feature, int& z, int& x, int& y) {
    Json ring = feature.at("geometry").at("coordinates");
    while (ring.at(0).is_array()) ring = ring.at(0);
    const double lon = ring.at(0).get<double>(), lat = ring.at(1).get<double>() * M_PI / 180;
    z = 12;
    const int n = 1 << z;
    x = static_cast<int>(std::floor((lon + 180) / 360 * n));
    y = static_cast<int>(
        std::floor((1 - std::log(std::tan(lat) + 1 / std::cos(lat)) / M_PI) / 2 * n));
    return "/tiles/approved/" + std::to_string(z) + "/" + std::to_string(x) + "/" +
           std::to_string(y) + ".mvt";
}

long long registerCount() {
    const auto dir = fs::path(bureauServer().server->maps().planPath()).parent_path();
    const std::string info =
        onemap::test::capture("ogrinfo -so -al " + (dir / "register.gpkg").string() + " 2>&1");
    std::smatch m;
    REQUIRE(std::regex_search(info, m, std::regex("Feature Count: (\\d+)")));
    return std::stoll(m[1]);
}

}  // namespace

TEST_CASE("web bureau: submit, approve against the register and quota, reject with a reason",
          "[web][bureau]") {
    const auto ent = signIn("ent1");
    const auto planner = signIn("planner1");
    // A submission answers the check /api/check gives the same file.
    const auto all = httpRequest(port(), "POST", "/api/submissions", sitesGeoJson(), ent.headers());
    REQUIRE(all.status == 200);
    const Json allAnswer = Json::parse(all.body);
    const auto check = httpRequest(port(), "POST", "/api/check", sitesGeoJson());
    CHECK(allAnswer.at("check") == Json::parse(check.body));
    const std::string allId = std::to_string(allAnswer.at("id").get<long long>());

    // A site of the sample that passes alone, in one city; an approver for that city.
    std::string city;
    Json passing;
    for (const auto& f : features()) {
        const auto a = Json::parse(httpRequest(port(), "POST", "/api/check", oneSite(f)).body);
        const auto& site = a.at("sites").at(0);
        if (site.at("verdict") == "pass" && site.at("admin").size() == 1) {
            city = site.at("admin").at(0);
            passing = f;
            break;
        }
    }
    REQUIRE(!city.empty());
    const std::string approverName = "approver of " + city;
    bureauServer().store->addUser("test", approverName, bureau::Role::Approver, {city},
                                  bureau::Secret(kPassword));
    const auto approver = signIn(approverName);

    // The 30 sites, some failing: refused with the reasons, left pending, then rejected.
    const auto refused = httpRequest(port(), "POST", "/api/submissions/" + allId + "/approve", "",
                                     approver.headers());
    // (A site in another city makes it the wrong approver's: 403 before any check.)
    CHECK((refused.status == 409 || refused.status == 403));
    if (refused.status == 409) CHECK(!Json::parse(refused.body).at("refusals").empty());
    CHECK(httpRequest(port(), "POST", "/api/submissions/" + allId + "/reject", "{}",
                      signIn("appr1").headers())
              .status != 200);  // no reason, or not all of it in 合肥市
    const auto listed =
        Json::parse(httpRequest(port(), "GET", "/api/submissions", "", ent.headers()).body)
            .at("submissions");
    for (const auto& s : listed) CHECK(s.at("submitter") == "ent1");

    // The passing site: approved into the register, once.
    const long long before = registerCount();
    const auto one = Json::parse(
        httpRequest(port(), "POST", "/api/submissions", oneSite(passing), ent.headers()).body);
    const std::string oneId = std::to_string(one.at("id").get<long long>());
    if (city != "合肥市")
        CHECK(httpRequest(port(), "POST", "/api/submissions/" + oneId + "/approve", "",
                          signIn("appr1").headers())
                  .status == 403);
    int z = 0, x = 0, y = 0;
    const std::string tile = registerTileOf(passing, z, x, y);
    const auto tileBefore = httpRequest(port(), "GET", tile);
    REQUIRE((tileBefore.status == 200 || tileBefore.status == 204));
    const auto approved =
        httpRequest(port(), "POST", "/api/submissions/" + oneId + "/approve",
                    R"({"reason": "符合规划", "doc": "G60-2026-001"})", approver.headers());
    INFO(approved.body.substr(0, 400));
    REQUIRE(approved.status == 200);
    CHECK(Json::parse(approved.body).at("state") == "approved");
    CHECK(registerCount() == before + 1);
    // The register's tiles are built again on the map with the new project: the server's tile
    // is the one a tile source built afresh on the plan gives, and its ETag has moved.
    const auto tileAfter = httpRequest(port(), "GET", tile);
    REQUIRE(tileAfter.status == 200);
    const onemap::core::MapTiles fresh(onemap::core::OneMap::load(
        onemap::core::Plan::load(bureauServer().server->maps().planPath())));
    const auto direct = fresh.tile("approved", z, x, y);
    REQUIRE(direct.bytes);
    CHECK(tileAfter.body == *direct.bytes);
    CHECK(tileAfter.headers.at("etag") == direct.etag);
    CHECK(tileAfter.headers.at("etag") != tileBefore.headers.at("etag"));
    CHECK(tileAfter.body != tileBefore.body);
    CHECK(httpRequest(port(), "POST", "/api/submissions/" + oneId + "/approve", "",
                      approver.headers())
              .status == 409);  // decided already

    // The same ground under another project id: it now overlaps an approved project. Refused,
    // and a plain check of it says so too (the shared map was reloaded with the register). (The
    // same id again is the approved project itself, which the register rule does not count.)
    Json twin = passing;
    twin["properties"]["id"] = "twin of " + passing["properties"].value("id", std::string("?"));
    twin["properties"]["name"] = "<img src=x onerror=alert(1)>";
    const auto again = Json::parse(
        httpRequest(port(), "POST", "/api/submissions", oneSite(twin), planner.headers()).body);
    const std::string againId = std::to_string(again.at("id").get<long long>());
    const auto overlap = httpRequest(port(), "POST", "/api/submissions/" + againId + "/approve", "",
                                     approver.headers());
    CHECK(overlap.status == 409);
    CHECK(overlap.body.find("no-approved") != std::string::npos);
    const auto recheck = Json::parse(httpRequest(port(), "POST", "/api/check", oneSite(twin)).body);
    CHECK(recheck.at("sites").at(0).at("verdict") == "fail");
    CHECK(registerCount() == before + 1);
    // Rejected with its reason; a rejection without one is a 400.
    CHECK(httpRequest(port(), "POST", "/api/submissions/" + againId + "/reject", "{}",
                      approver.headers())
              .status == 400);
    const auto rejected =
        httpRequest(port(), "POST", "/api/submissions/" + againId + "/reject",
                    R"({"reason": "与已批项目重叠 <b>x</b>"})", approver.headers());
    REQUIRE(rejected.status == 200);
    CHECK(Json::parse(rejected.body).at("reason") == "与已批项目重叠 <b>x</b>");
    // The register lists the approval; the audit trail has every step and verifies.
    const auto reg =
        Json::parse(httpRequest(port(), "GET", "/api/register", "", planner.headers()).body)
            .at("approved");
    CHECK(std::any_of(reg.begin(), reg.end(), [&](const Json& s) {
        return std::to_string(s.at("id").get<long long>()) == oneId;
    }));
    for (const std::string action : {"submit", "approve", "approve.refused", "reject"}) {
        const auto found =
            Json::parse(httpRequest(port(), "GET", "/api/audit?limit=5&action=" + action, "",
                                    planner.headers())
                            .body)
                .at("records");
        INFO(action);
        CHECK(!found.empty());
    }
    CHECK(bureauServer().store->verify(std::nullopt).intact);
}

TEST_CASE("web bureau: one account's pending submissions and a submitted file's size are bounded",
          "[web][bureau]") {
    bureauServer().store->addUser("test", "ent-many", bureau::Role::Enterprise, {},
                                  bureau::Secret(kPassword));
    const auto ent = signIn("ent-many");
    const std::string site = oneSite(features().at(0));
    const std::size_t cap = 100;  // docs/web.md: 100 pending per account, 16 MiB a file
    for (std::size_t i = 0; i < cap; ++i)
        REQUIRE(httpRequest(port(), "POST", "/api/submissions", site, ent.headers()).status == 200);
    const auto over = httpRequest(port(), "POST", "/api/submissions", site, ent.headers());
    CHECK(over.status == 409);
    CHECK(over.body.find("pending") != std::string::npos);
    // Another account is not held up by this one's queue.
    CHECK(httpRequest(port(), "POST", "/api/submissions", site, signIn("ent1").headers()).status ==
          200);
    // A site file larger than the store keeps: 413, before any check.
    const std::string huge((std::size_t{16} << 20) + 1, ' ');
    CHECK(httpRequest(port(), "POST", "/api/submissions", huge, signIn("ent1").headers()).status ==
          413);
    const auto pending =
        Json::parse(
            httpRequest(port(), "GET", "/api/submissions?state=pending", "", ent.headers()).body)
            .at("submissions");
    CHECK(pending.size() == cap);
}
