// `onemap serve --audit-witness` (issue 36): a real server with a real SQLite store anchors the
// audit trail's head in the witness file while it serves and once more when it stops, only when
// the head moved; the file then holds the final head and the trail verifies against it.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "../bureau/bureau_test_support.hpp"
#include "../test_support.hpp"
#include "http_client.hpp"
#include "onemap/core/bureau/audit_witness.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/web/server.hpp"

using onemap::test::httpRequest;
using onemap::test::scratch;
namespace bureau = onemap::core::bureau;

TEST_CASE("serve --audit-witness: the witness holds the trail's final head after a stop",
          "[web][bureau][witness]") {
    setenv("XDG_CACHE_HOME", scratch("web-witness-cache").c_str(), 1);
    auto store = std::make_shared<bureau::SqliteBureauStore>(
        onemap::test::freshDataFolder("web-witness"), onemap::test::fastStore());
    store->addUser("test", "li", bureau::Role::Planner, {}, bureau::Secret("li password one"));
    const auto witness = (scratch("web-witness-file") / "witness.txt").string();
    onemap::web::ServerOptions o;
    o.port = 0;
    o.planPath = onemap::core::defaultPlanPath();
    o.prepareAtStart = false;
    o.store = store;
    o.auditWitnessPath = witness;
    o.witnessEvery = std::chrono::milliseconds(20);
    onemap::web::Server server(o);
    server.start();
    const auto login = [&](const std::string& password) {
        return httpRequest(server.port(), "POST", "/api/login",
                           nlohmann::json{{"user", "li"}, {"password", password}}.dump());
    };
    for (int i = 0; i < 3; ++i) {
        CHECK(login("a wrong password").status == 401);  // each refusal is an audit record
        std::this_thread::sleep_for(std::chrono::milliseconds(60));
    }
    CHECK(login("li password one").status == 200);
    server.stop();

    const auto head = store->head();
    REQUIRE(head.seq >= 5);  // the user added, three refusals, one login
    const auto anchors = bureau::readWitnessAnchors(witness);
    REQUIRE(!anchors.empty());
    CHECK(anchors.back().head.seq == head.seq);
    CHECK(anchors.back().head.hash == head.hash);
    for (std::size_t a = 1; a < anchors.size(); ++a)  // written only when the head moved
        CHECK(anchors[a].head.seq > anchors[a - 1].head.seq);
    CHECK(bureau::checkAgainstWitness(store->verify(std::nullopt), anchors, *store).intact);
}
