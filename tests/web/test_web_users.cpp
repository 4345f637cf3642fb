// The admin API of `onemap serve` (issue 36, user_api.hpp) on a real server and a real SQLite
// store: an admin adds, changes, resets and disables accounts as `onemap user` does, with the
// same checks (cities against the plan's admin layer, the password's length), clear 400/404/409
// answers, no password echoed, every change in the audit trail with the admin as actor, and
// never without an enabled admin.
#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "../bureau/bureau_test_support.hpp"
#include "../test_support.hpp"
#include "http_client.hpp"
#include "onemap/core/check/plan_cities.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/web/server.hpp"

using onemap::test::httpRequest;
using onemap::test::scratch;
using Json = nlohmann::json;
namespace bureau = onemap::core::bureau;

namespace {

const std::string kPassword = "correct horse battery";

struct Accounts {
    std::shared_ptr<bureau::SqliteBureauStore> store;
    std::unique_ptr<onemap::web::Server> server;
};

Accounts& accountsServer() {
    static Accounts a = [] {
        setenv("XDG_CACHE_HOME", scratch("web-users-cache").c_str(), 1);
        Accounts made;
        made.store = std::make_shared<bureau::SqliteBureauStore>(
            onemap::test::freshDataFolder("web-users"), onemap::test::fastStore());
        const bureau::Secret password(kPassword);
        made.store->addUser("test", "root", bureau::Role::Admin, {}, password);
        made.store->addUser("test", "planner9", bureau::Role::Planner, {}, password);
        onemap::web::ServerOptions o;
        o.port = 0;
        o.planPath = onemap::core::defaultPlanPath();
        o.store = made.store;
        made.server = std::make_unique<onemap::web::Server>(o);
        made.server->start();
        return made;
    }();
    return a;
}

unsigned short port() { return accountsServer().server->port(); }

using Headers = std::vector<std::pair<std::string, std::string>>;

Headers signIn(const std::string& name, const std::string& password = kPassword) {
    const auto a = httpRequest(port(), "POST", "/api/login",
                               Json{{"user", name}, {"password", password}}.dump());
    INFO(a.body);
    REQUIRE(a.status == 200);
    const std::string setCookie = a.headers.at("set-cookie");
    return {{"Cookie", setCookie.substr(0, setCookie.find(';'))},
            {"X-CSRF-Token", Json::parse(a.body).at("csrf_token")}};
}

onemap::test::HttpAnswer post(const std::string& target, const Json& body, const Headers& h) {
    return httpRequest(port(), "POST", target, body.is_null() ? "" : body.dump(), h);
}

/// The newest audit records of `action` on `subject`, from the store itself.
std::vector<bureau::AuditRecord> recordsOf(const std::string& action, const std::string& subject) {
    bureau::AuditFilter f;
    f.action = action;
    f.limit = 1000;
    std::vector<bureau::AuditRecord> out;
    for (auto& r : accountsServer().store->findRecords(f))
        if (r.entry.subject == subject) out.push_back(r);
    return out;
}

}  // namespace

TEST_CASE("web users: an admin adds, changes, resets, logs out and disables an account",
          "[web][bureau][users]") {
    const auto root = signIn("root");
    const auto cities =
        onemap::core::planCityNames(onemap::core::Plan::load(onemap::core::defaultPlanPath()));
    REQUIRE(cities.size() >= 2);

    // Added with a city of the plan; the answer names no password.
    const std::string secret = "a new password 1";
    auto a = post(
        "/api/users",
        {{"name", "appr9"}, {"role", "审批"}, {"cities", {cities[0]}}, {"password", secret}}, root);
    INFO(a.body);
    REQUIRE(a.status == 200);
    CHECK(a.body.find(secret) == std::string::npos);
    auto user = Json::parse(a.body);
    CHECK(user.at("name") == "appr9");
    CHECK(user.at("role") == "approver");
    CHECK(user.at("cities") == Json::array({cities[0]}));
    CHECK(user.at("enabled") == true);
    const auto listed = Json::parse(httpRequest(port(), "GET", "/api/users", "", root).body);
    bool found = false;
    for (const auto& u : listed.at("users")) found |= u.at("name") == "appr9";
    CHECK(found);
    CHECK(listed.dump().find("hash") == std::string::npos);

    // The new user signs in; a role change closes their sessions.
    const auto appr = signIn("appr9", secret);
    CHECK(httpRequest(port(), "GET", "/api/session", "", appr).body.find("approver") !=
          std::string::npos);
    a = post("/api/users/appr9/role", {{"role", "approver"}, {"cities", {cities[0], cities[1]}}},
             root);
    REQUIRE(a.status == 200);
    CHECK(Json::parse(a.body).at("cities").size() == 2);
    CHECK(httpRequest(port(), "GET", "/api/submissions", "", appr).status == 401);

    // A password reset: the old one opens nothing, the new one does; not echoed.
    const std::string second = "another password 2";
    a = post("/api/users/appr9/password", {{"password", second}}, root);
    REQUIRE(a.status == 200);
    CHECK(a.body.find(second) == std::string::npos);
    CHECK(httpRequest(port(), "POST", "/api/login",
                      Json{{"user", "appr9"}, {"password", secret}}.dump())
              .status == 401);
    const auto again = signIn("appr9", second);
    const auto also = signIn("appr9", second);

    // Logout everywhere closes both sessions.
    a = post("/api/users/appr9/logout-all", nullptr, root);
    REQUIRE(a.status == 200);
    CHECK(Json::parse(a.body).at("sessions_closed") == 2);
    CHECK(httpRequest(port(), "GET", "/api/submissions", "", again).status == 401);
    CHECK(httpRequest(port(), "GET", "/api/submissions", "", also).status == 401);

    // Disabled: the session in hand ends (its next request is 401), no new one opens.
    const auto last = signIn("appr9", second);
    a = post("/api/users/appr9/disable", nullptr, root);
    REQUIRE(a.status == 200);
    CHECK(Json::parse(a.body).at("enabled") == false);
    CHECK(httpRequest(port(), "GET", "/api/submissions", "", last).status == 401);
    CHECK(httpRequest(port(), "POST", "/api/login",
                      Json{{"user", "appr9"}, {"password", second}}.dump())
              .status == 401);

    // Every change is in the trail, by the admin, and names no password.
    for (const std::string action :
         {"user.add", "user.role", "user.passwd", "logout.all", "user.disable"}) {
        const auto records = recordsOf(action, "appr9");
        INFO(action);
        REQUIRE(records.size() == 1);
        CHECK(records[0].entry.actor == "root");
        CHECK(records[0].entry.detail.find(secret) == std::string::npos);
        CHECK(records[0].entry.detail.find(second) == std::string::npos);
    }
    CHECK(accountsServer().store->verify(std::nullopt).intact);
}

TEST_CASE("web users: bad input is a clear 400, an unknown user 404, a name taken 409",
          "[web][bureau][users]") {
    const auto root = signIn("root");
    const auto refused = [&](const std::string& target, const Json& body, int status,
                             const std::string& says) {
        const auto a = post(target, body, root);
        INFO(target << " " << body.dump() << " → " << a.body);
        CHECK(a.status == status);
        const auto error = Json::parse(a.body).at("error").get<std::string>();
        CHECK(error.find(says) != std::string::npos);
        CHECK(error.find('\n') == std::string::npos);
        if (body.is_object() && body.contains("password"))
            CHECK(a.body.find(body.at("password").get<std::string>()) == std::string::npos);
    };
    refused("/api/users",
            {{"name", "x1"},
             {"role", "approver"},
             {"cities", {"Atlantis"}},
             {"password", "long enough"}},
            400, "Atlantis: not a city of the plan");
    refused("/api/users", {{"name", "x1"}, {"role", "planner"}, {"password", "short7!"}}, 400,
            "shorter than 8 bytes");
    refused("/api/users", {{"name", "x1"}, {"role", "king"}, {"password", "long enough"}}, 400,
            "role \"king\"");
    refused("/api/users", {{"name", " x1"}, {"role", "planner"}, {"password", "long enough"}}, 400,
            "begins or ends with a space");
    refused("/api/users", {{"name", "x1"}, {"role", "planner"}}, 400, "\"password\" is missing");
    refused("/api/users",
            {{"name", "x1"}, {"role", "planner"}, {"password", "long enough"}, {"x", "1"}}, 400,
            "unknown key");
    refused("/api/users", "not an object", 400, "JSON object");
    refused("/api/users", {{"name", "planner9"}, {"role", "planner"}, {"password", "long enough"}},
            409, "already exists");
    refused("/api/users/ghost/password", {{"password", "long enough"}}, 404, "no such user: ghost");
    refused("/api/users/ghost/role", {{"role", "planner"}}, 404, "no such user");
    refused("/api/users/ghost/disable", nullptr, 404, "no such user");
    refused("/api/users/ghost/logout-all", nullptr, 404, "no such user");
    refused("/api/users/planner9/role", {{"role", "approver"}, {"cities", {"Atlantis"}}}, 400,
            "Atlantis");
    refused("/api/users/planner9/password", {{"password", "qz1"}}, 400, "shorter than 8");
    // Nothing of it was written: no record names x1, planner9 kept its role.
    CHECK(recordsOf("user", "x1").empty());
    CHECK(accountsServer().store->user("planner9")->role == bureau::Role::Planner);
    // The CLI's check and the API's are one function: the same words for the same city.
    const auto plan = onemap::core::Plan::load(onemap::core::defaultPlanPath());
    CHECK_THROWS_WITH(onemap::core::checkCitiesInPlan({"Atlantis"}, plan, "city"),
                      Catch::Contains("city Atlantis: not a city of the plan's layer"));
}

TEST_CASE("web users: an admin cannot disable themselves nor leave the store without an admin",
          "[web][bureau][users]") {
    const auto root = signIn("root");
    auto a = post("/api/users/root/disable", nullptr, root);
    CHECK(a.status == 409);
    a = post("/api/users/root/role", {{"role", "planner"}}, root);
    INFO(a.body);
    CHECK(a.status == 409);
    CHECK(a.body.find("last enabled admin") != std::string::npos);
    // With a second admin, one may step down; the second, now the last, may not.
    REQUIRE(post("/api/users",
                 {{"name", "root2"}, {"role", "admin"}, {"password", "second admin pw"}}, root)
                .status == 200);
    const auto root2 = signIn("root2", "second admin pw");
    a = post("/api/users/root2/role", {{"role", "planner"}}, root);
    REQUIRE(a.status == 200);
    // root2 is a planner now: its session was closed with the change.
    CHECK(httpRequest(port(), "GET", "/api/users", "", root2).status == 401);
    a = post("/api/users/root/role", {{"role", "planner"}}, root);
    CHECK(a.status == 409);
    REQUIRE(post("/api/users/root2/role", {{"role", "admin"}}, root).status == 200);
    const auto back = signIn("root2", "second admin pw");
    // root2 disables root (allowed: root2 stays), then cannot disable itself.
    CHECK(post("/api/users/root/disable", nullptr, back).status == 200);
    CHECK(post("/api/users/root2/disable", nullptr, back).status == 409);
    CHECK(post("/api/users/root2/role", {{"role", "planner"}}, back).status == 409);
    CHECK(httpRequest(port(), "GET", "/api/users", "", root).status == 401);
    const auto disabled = recordsOf("user.disable", "root");
    REQUIRE(disabled.size() == 1);
    CHECK(disabled[0].entry.actor == "root2");
}
