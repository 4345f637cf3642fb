// onemap serve's API on a real server on a loopback port (port 0: an ephemeral one), talked
// to over TCP: every endpoint against its CLI twin on the same input, and hostile clients.
#include <sys/resource.h>
#include <sys/wait.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "../test_support.hpp"
#include "http_client.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/web/http_error.hpp"
#include "onemap/web/server.hpp"

namespace fs = std::filesystem;
using onemap::test::httpRequest;
using onemap::test::rawExchange;
using onemap::test::runCli;
using onemap::test::scratch;

namespace {

// One server for the whole test binary, with short timeouts so that slow clients are dropped
// within the test's seconds.
onemap::web::Server& server() {
    static std::unique_ptr<onemap::web::Server> s = [] {
        // Caches go to a scratch folder, never the user's.
        setenv("XDG_CACHE_HOME", scratch("web-cache").c_str(), 1);
        onemap::web::ServerOptions o;
        o.port = 0;
        o.version = ONEMAP_VERSION;  // as the CLI writes it
        o.limits.requestTimeout = std::chrono::milliseconds(1500);
        o.limits.idleTimeout = std::chrono::milliseconds(1000);
        o.limits.queuedRequests = 32;
        auto made = std::make_unique<onemap::web::Server>(o);
        made->start();
        return made;
    }();
    return *s;
}

unsigned short port() { return server().port(); }

// Runs the CLI in `dir`, the files named as the server names uploads: by their file name.
onemap::test::CliResult cliIn(const fs::path& dir, const std::vector<std::string>& args) {
    const fs::path before = fs::current_path();
    fs::current_path(dir);
    auto r = runCli(args);
    fs::current_path(before);
    return r;
}

std::string sampleDir() { return fs::path(onemap::core::defaultPlanPath()).parent_path(); }

// Every file of the sample with its size and time: what "nothing written there" compares.
std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> listing(const fs::path& d) {
    std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> out;
    for (const auto& e : fs::recursive_directory_iterator(d))
        if (e.is_regular_file()) out[e.path().string()] = {e.file_size(), e.last_write_time()};
    return out;
}

int statusOf(const std::string& raw) {
    std::smatch m;
    if (!std::regex_search(raw, m, std::regex("^HTTP/1\\.1 (\\d{3}) "))) return 0;
    return std::stoi(m[1]);
}

}  // namespace

TEST_CASE("web: /api/check on the sample sites as GeoJSON is the CLI's JSON byte for byte",
          "[web]") {
    const auto dir = scratch("web-check");
    (void)onemap::test::capture("ogr2ogr -f GeoJSON -t_srs EPSG:4326 " +
                                (dir / "sites.geojson").string() + " " + sampleDir() +
                                "/sites.gpkg 2>&1");
    const std::string body = onemap::test::slurp((dir / "sites.geojson").string());
    const auto before = listing(sampleDir());
    const auto cli = cliIn(dir, {"check", "--format", "json", "sites.geojson"});
    REQUIRE(cli.code <= 1);
    // Named by ?filename=, and with no name at all (a GeoJSON body is sites.geojson).
    const auto named = httpRequest(port(), "POST", "/api/check?filename=sites.geojson", body);
    CHECK(named.status == 200);
    CHECK(named.contentType.find("application/json") == 0);
    CHECK(named.body == cli.out);
    const auto unnamed = httpRequest(port(), "POST", "/api/check", body);
    CHECK(unnamed.body == cli.out);
    // The same with a date and a rule subset.
    const auto cliDated = cliIn(dir, {"check", "sites.geojson", "--format", "json", "--as-of",
                                      "2022-06-01", "--rules", "no-farmland,in-devbound"});
    const auto dated =
        httpRequest(port(), "POST", "/api/check?as_of=2022-06-01&rules=no-farmland,in-devbound",
                    body, {{"Content-Disposition", "attachment; filename=\"sites.geojson\""}});
    CHECK(dated.status == 200);
    CHECK(dated.body == cliDated.out);
    const auto json = nlohmann::json::parse(named.body);
    CHECK(json["sites"].size() == nlohmann::json::parse(cli.out)["sites"].size());
    CHECK(listing(sampleDir()) == before);
}

TEST_CASE("web: a 国土 TXT and a KML upload give the CLI's answer on the same file", "[web]") {
    const auto dir = scratch("web-formats");
    fs::copy_file(fs::path(ONEMAP_TEST_CASES).parent_path() / "data/guotu/zone40_plain_utf8_lf.txt",
                  dir / "parcel.txt");
    (void)onemap::test::capture("ogr2ogr -f KML " + (dir / "sites.kml").string() + " " +
                                sampleDir() + "/sites.gpkg 2>&1");
    for (const std::string name : {"parcel.txt", "sites.kml"}) {
        const auto cli = cliIn(dir, {"check", "--format", "json", name});
        REQUIRE(cli.code <= 1);
        const auto web = httpRequest(port(), "POST", "/api/check?filename=" + name,
                                     onemap::test::slurp((dir / name).string()));
        CHECK(web.status == 200);
        CHECK(web.body == cli.out);
    }
    // Without a name a non-JSON body cannot be read: 400, saying how to name it.
    const auto unnamed = httpRequest(port(), "POST", "/api/check",
                                     onemap::test::slurp((dir / "parcel.txt").string()));
    CHECK(unnamed.status == 400);
    CHECK(unnamed.body.find("filename") != std::string::npos);
}

TEST_CASE("web: /api/info agrees with the plan and with GDAL's feature counts", "[web]") {
    const auto answer = httpRequest(port(), "GET", "/api/info");
    REQUIRE(answer.status == 200);
    const auto info = nlohmann::json::parse(answer.body);
    const auto plan = onemap::core::Plan::load(onemap::core::defaultPlanPath());
    REQUIRE(info["layers"].size() == plan.layers.size());
    REQUIRE(info["rules"].size() == plan.rules.size());
    int compared = 0;
    for (std::size_t i = 0; i < plan.layers.size(); ++i) {
        const auto& spec = plan.layers[i];
        const auto& l = info["layers"][i];
        CHECK(l["id"] == spec.id);
        CHECK(l["title"] == spec.title);
        // Layers read whole from a table: their count is GDAL's.
        if (!spec.versions.empty() || !spec.filter.empty() || !spec.dateField.empty() ||
            spec.table.empty() || !fs::is_regular_file(spec.source))
            continue;
        const std::string out = onemap::test::capture("ogrinfo -so -ro '" + spec.source + "' '" +
                                                      spec.table + "' 2>/dev/null");
        std::smatch m;
        REQUIRE(std::regex_search(out, m, std::regex("Feature Count: (\\d+)")));
        CHECK(l["count"].get<long>() == std::stol(m[1]));
        const auto& e = l["extent_wgs84"];
        CHECK(e[0].get<double>() > 100);  // lon/lat of the Yangtze delta
        CHECK(e[3].get<double>() < 40);
        ++compared;
    }
    CHECK(compared > 0);
    for (std::size_t i = 0; i < plan.rules.size(); ++i) {
        CHECK(info["rules"][i]["id"] == plan.rules[i].id);
        CHECK(info["rules"][i]["kind"] == plan.rules[i].kind);
    }
}

TEST_CASE("web: /api/diff and /api/find are their CLI twins", "[web]") {
    const auto dir = scratch("web-twins");
    const auto diffCli =
        cliIn(dir, {"diff", "--layer", "devbound", "--from", "2021-06-01", "--format", "json"});
    REQUIRE(diffCli.code == 0);
    const auto diff = httpRequest(port(), "GET", "/api/diff?layer=devbound&from=2021-06-01");
    CHECK(diff.status == 200);
    CHECK(diff.body == diffCli.out);

    // One city of the plan's admin layer keeps the search (and the test) short.
    const auto plan = onemap::core::Plan::load(onemap::core::defaultPlanPath());
    const auto* admin = plan.adminLayer();
    REQUIRE(admin);
    const std::string listed = onemap::test::capture(
        "ogrinfo -ro -q '" + admin->source + "' -sql 'SELECT \"" + admin->label + "\" FROM \"" +
        admin->table + "\" ORDER BY 1 LIMIT 1'");
    std::smatch m;
    REQUIRE(std::regex_search(listed, m, std::regex(admin->label + " \\(String\\) = (.+)")));
    const std::string city = m[1];
    onemap::test::put(dir / "brief.toml",
                      "area_mu = 50\nindustry = \"ic\"\ncount = 1\ncities = [\"" + city + "\"]\n");
    const auto findCli = cliIn(dir, {"find", "--brief", "brief.toml", "--format", "json"});
    REQUIRE(findCli.code <= 1);
    const auto toml = httpRequest(port(), "POST", "/api/find?filename=brief.toml",
                                  onemap::test::slurp((dir / "brief.toml").string()));
    CHECK(toml.status == 200);
    CHECK(toml.body == findCli.out);
    const auto json = httpRequest(
        port(), "POST", "/api/find",
        R"({"area_mu": 50, "industry": "ic", "count": 1, "cities": [")" + city + R"("]})",
        {{"Content-Type", "application/json"}});
    CHECK(json.status == 200);
    CHECK(json.body == findCli.out);
    const auto bad = httpRequest(port(), "POST", "/api/find", R"({"area_mu": 300, "count": 1e9})");
    CHECK(bad.status == 400);
}

TEST_CASE("web: /api/export writes the layer as onemap export does", "[web]") {
    const auto dir = scratch("web-export");
    REQUIRE(cliIn(dir, {"export", "--layer", "park", "-o", "park.geojson"}).code == 0);
    const auto geojson = httpRequest(port(), "GET", "/api/export?layer=park&format=geojson");
    CHECK(geojson.status == 200);
    CHECK(geojson.body == onemap::test::slurp((dir / "park.geojson").string()));
    const auto zip = httpRequest(port(), "GET", "/api/export?layer=park&format=shp");
    CHECK(zip.status == 200);
    CHECK(zip.contentType == "application/zip");
    onemap::test::put(dir / "park.zip", zip.body);
    const std::string listed = onemap::test::capture("unzip -l " + (dir / "park.zip").string());
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj"})
        CHECK(listed.find(std::string("park") + ext) != std::string::npos);
    CHECK(httpRequest(port(), "GET", "/api/export?layer=nope&format=gpkg").status == 404);
    CHECK(httpRequest(port(), "GET", "/api/export?layer=park&format=exe").status == 400);
}

TEST_CASE("web: hostile requests get a clean status and the server keeps answering", "[web]") {
    SECTION("bad bodies, queries, paths and methods: JSON errors") {
        const auto expect = [](const onemap::test::HttpAnswer& a, int status) {
            CHECK(a.status == status);
            CHECK(nlohmann::json::parse(a.body).contains("error"));
        };
        expect(httpRequest(port(), "POST", "/api/check", "{\"type\": \"FeatureCollection\", "),
               400);
        expect(httpRequest(port(), "POST", "/api/check", ""), 400);
        // Sites far from the one map, and a polygon with NaN in it: the CLI's bad input.
        const std::string far =
            R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
            R"("geometry":{"type":"Polygon","coordinates":[[[10,10],[10.1,10],[10.1,10.1],)"
            R"([10,10]]]}}]})";
        expect(httpRequest(port(), "POST", "/api/check", far), 400);
        std::string nan = far;
        nan.replace(nan.find("10.1,10]"), 7, "NaN,10]");
        const auto nanAnswer = httpRequest(port(), "POST", "/api/check", nan);
        CHECK((nanAnswer.status == 400));
        expect(httpRequest(port(), "POST", "/api/check", std::string(100000, '[')), 400);
        expect(httpRequest(port(), "POST", "/api/check?from=wgs84", "{}"), 400);
        expect(httpRequest(port(), "GET", "/api/diff?layer=nope&from=2021-06-01"), 404);
        expect(httpRequest(port(), "GET", "/api/diff?layer=farmland&from=NaN"), 400);
        expect(httpRequest(port(), "GET", "/api/info?as_of=2024-02-30"), 400);
        expect(httpRequest(port(), "GET", "/api/info?as_of=%00"), 400);
        expect(httpRequest(port(), "GET", "/api/info?zoom=40"), 400);
        expect(httpRequest(port(), "GET", "/api/nothing"), 404);
        expect(httpRequest(port(), "BREW", "/api/info"), 405);
        expect(httpRequest(port(), "DELETE", "/api/check"), 405);
        expect(httpRequest(port(), "POST", "/api/report?format=docx", "{}"), 400);
        CHECK(httpRequest(port(), "GET", "/api/info").status == 200);
    }

    SECTION("paths out of the page's folder are never served") {
        const auto root = httpRequest(port(), "GET", "/");
        CHECK(root.status == 200);
        CHECK(root.contentType.find("text/html") == 0);
        CHECK(root.body.find("/api/info") != std::string::npos);
        for (const std::string target :
             {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
              "/%2E%2E/%2E%2E/etc/passwd", "/..%5c..%5cetc%5cpasswd", "/./index.html",
              "//etc/passwd", "/%2fetc%2fpasswd", "/index.html%00.png", "/%c0%ae%c0%ae/etc/passwd",
              "/../../../../../../etc/passwd"}) {
            const std::string raw = rawExchange(
                port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            INFO(target);
            const int status = statusOf(raw);
            CHECK((status == 400 || status == 404));
            CHECK(raw.find("root:") == std::string::npos);
        }
    }

    SECTION("a body over the limit is refused with 413 before it is read") {
        // A 1 GB body announced: the answer comes after a few bytes, not a gigabyte.
        const std::string raw = rawExchange(
            port(),
            "POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n{\"type\"");
        CHECK(statusOf(raw) == 413);
        CHECK(raw.find("\"error\"") != std::string::npos);
        // A header over the limit: 431.
        const std::string big = rawExchange(port(), "GET /api/info HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                                        std::string(40000, 'a') + "\r\n\r\n");
        CHECK(statusOf(big) == 431);
        // Garbage that is not HTTP: 400.
        CHECK(statusOf(rawExchange(port(), "\x01\x02 nonsense\r\n\r\n")) == 400);
        CHECK(httpRequest(port(), "GET", "/api/info").status == 200);
    }
}

TEST_CASE("web: a client sending a byte a second is dropped, and others are answered", "[web]") {
    namespace net = boost::asio;
    net::io_context ioc;
    net::ip::tcp::socket slow(ioc);
    slow.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port()));
    const std::string request =
        "POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n";
    boost::system::error_code ec;
    const auto start = std::chrono::steady_clock::now();
    std::size_t sent = 0;
    // Trickle the request out; the server closes the connection at its timeout (1.5 s here).
    for (; sent < request.size() + 100 && !ec; ++sent) {
        const char c = sent < request.size() ? request[sent] : 'x';
        net::write(slow, net::buffer(&c, 1), ec);
        if (sent == 2) CHECK(httpRequest(port(), "GET", "/api/info").status == 200);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (std::chrono::steady_clock::now() - start > std::chrono::seconds(8)) break;
    }
    // Closed: a read ends (no answer, or at most an error status), and not after the whole body.
    char buf[512];
    slow.non_blocking(false);
    const auto n = slow.read_some(net::buffer(buf), ec);
    CHECK((ec || statusOf(std::string(buf, n)) != 200));
    CHECK(sent < request.size() + 100);
    CHECK(httpRequest(port(), "GET", "/api/info").status == 200);
}

TEST_CASE("web: many connections at once each get a clean status", "[web]") {
    namespace net = boost::asio;
    // Each connection takes two descriptors in this process (client and server side).
    rlimit lim{};
    getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 4096);
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
    const std::size_t n = std::min<std::size_t>(500, (lim.rlim_cur - 200) / 2);
    const std::string req = "GET /api/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    net::io_context ioc;
    struct Client {
        explicit Client(net::io_context& io) : socket(io) {}
        net::ip::tcp::socket socket;
        std::string answer;
        std::array<char, 4096> buf{};
    };
    std::vector<std::unique_ptr<Client>> clients;
    const net::ip::tcp::endpoint at(net::ip::make_address("127.0.0.1"), port());
    for (std::size_t i = 0; i < n; ++i) {
        clients.push_back(std::make_unique<Client>(ioc));
        Client* c = clients.back().get();
        c->socket.async_connect(at, [c, &req](boost::system::error_code ec) {
            if (ec) return;
            net::async_write(
                c->socket, net::buffer(req), [c](boost::system::error_code e, std::size_t) {
                    if (e) return;
                    struct Reader {
                        Client* c;
                        void operator()(boost::system::error_code e2, std::size_t got) const {
                            c->answer.append(c->buf.data(), got);
                            if (!e2) c->socket.async_read_some(net::buffer(c->buf), *this);
                        }
                    };
                    c->socket.async_read_some(net::buffer(c->buf), Reader{c});
                });
        });
    }
    ioc.run_for(std::chrono::seconds(60));
    std::map<int, int> statuses;
    for (const auto& c : clients) ++statuses[statusOf(c->answer)];
    for (const auto& [status, count] : statuses) {
        INFO("status " << status << " × " << count);
        CHECK((status == 200 || status == 503));
    }
    CHECK(statuses[200] > 0);
    CHECK(httpRequest(port(), "GET", "/api/info").status == 200);
}

TEST_CASE("web: a port in use is one clear error", "[web]") {
    onemap::web::ServerOptions o;
    o.port = port();
    o.version = "test";
    onemap::web::Server second(o);
    CHECK_THROWS_WITH(second.start(), Catch::Contains("in use"));
}

TEST_CASE("web: stop() answers the requests in flight first", "[web]") {
    onemap::web::ServerOptions o;
    o.port = 0;
    o.version = ONEMAP_VERSION;
    onemap::web::Server own(o);
    own.start();
    const unsigned short at = own.port();
    onemap::test::HttpAnswer answer;
    std::atomic<bool> finished{false};
    std::thread client([&answer, &finished, at] {
        answer = httpRequest(at, "GET", "/api/diff?layer=farmland&from=2021-06-01");
        finished = true;
    });
    // Stopped while the diff is being worked out (or, on a very fast machine, after it).
    for (int i = 0; i < 6000 && own.requestsInFlight() == 0 && !finished; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    own.stop();
    client.join();
    CHECK(answer.status == 200);
    CHECK(answer.body.find("\"gained_m2\"") != std::string::npos);
}

TEST_CASE("web: onemap serve exits 2 with one line on a port in use", "[web]") {
    const auto dir = scratch("web-serve");
    const fs::path onemap = fs::path(ONEMAP_SAMPLE_GEN).parent_path().parent_path() / "cli/onemap";
    REQUIRE(fs::exists(onemap));
    const std::string err = (dir / "err.txt").string();
    const int status =
        std::system((onemap.string() + " serve --listen 127.0.0.1:" + std::to_string(port()) +
                     " > /dev/null 2> " + err)
                        .c_str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    const std::string text = onemap::test::slurp(err);
    CHECK(text.find("in use") != std::string::npos);
    CHECK(std::count(text.begin(), text.end(), '\n') == 1);
}

TEST_CASE("web: the router takes a new route in one line, with a suffix pattern", "[web]") {
    onemap::web::Router r;
    r.add("GET", "/tiles/{layer}/{z}/{x}/{y}.mvt", onemap::web::Access::anyone(),
          [](const onemap::web::ApiRequest& q) {
              onemap::web::ApiResponse a;
              a.body = q.pathParams.at("layer") + "/" + q.pathParams.at("y");
              return a;
          });
    auto q = onemap::web::ApiRequest::fromTarget("GET", "/tiles/farmland/12/3/4.mvt");
    const auto m = r.match(q);
    REQUIRE(m.handler);
    CHECK(q.pathParams.at("layer") == "farmland");
    CHECK(q.pathParams.at("y") == "4");
    // A router without its gate runs no handler.
    try {
        (void)(*m.handler)(q);
        FAIL("an ungated handler ran");
    } catch (const onemap::web::HttpError& e) {
        CHECK(e.status() == 500);
    }
    auto wrong = onemap::web::ApiRequest::fromTarget("GET", "/tiles/farmland/12/3/4.png");
    CHECK(r.match(wrong).status == 404);
    auto post = onemap::web::ApiRequest::fromTarget("POST", "/tiles/farmland/12/3/4.mvt");
    const auto m405 = r.match(post);
    CHECK(m405.status == 405);
    CHECK(m405.allow == "GET");
    CHECK_THROWS(onemap::web::ApiRequest::fromTarget("GET", "/api/info?a=1&a=2"));
    CHECK_THROWS(onemap::web::ApiRequest::fromTarget("GET", "/a%zz"));
}
