// Outputs never destroy inputs, appear all together or not at all, and leave nothing behind
// when a command fails or is interrupted. Truths: file hashes before and after, the folder
// listing, and the exit status of a real process killed with SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "../test_support.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/layer/output_files.hpp"

namespace fs = std::filesystem;
using onemap::test::runCli;
using onemap::test::scratch;

namespace {

const std::string kSample = ONEMAP_SAMPLE_DIR;

std::vector<std::string> listing(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
}

// The sample plan and its GeoPackage copied into `dir` (the plan names its source relatively).
fs::path copySamplePlan(const fs::path& dir) {
    fs::copy_file(kSample + "/g60.toml", dir / "g60.toml");
    fs::copy_file(kSample + "/g60.gpkg", dir / "g60.gpkg");
    return dir / "g60.toml";
}

}  // namespace

TEST_CASE("An output that is an input is refused and the input is untouched", "[io][output]") {
    const auto dir = scratch("out-input");
    const auto plan = copySamplePlan(dir);
    fs::copy_file(kSample + "/sites.gpkg", dir / "s.gpkg");
    const std::string sites = (dir / "s.gpkg").string();
    const std::string planHash = onemap::gis::sha256File((dir / "g60.gpkg").string());
    const std::string sitesHash = onemap::gis::sha256File(sites);
    fs::create_hard_link(sites, dir / "hard.gpkg");
    fs::create_symlink(sites, dir / "link.gpkg");

    const std::vector<std::vector<std::string>> attempts = {
        {"check", plan.string(), sites, "-o", sites},
        {"check", plan.string(), sites, "--conflicts", sites},
        {"check", plan.string(), sites, "-o", (dir / "hard.gpkg").string()},
        {"check", plan.string(), sites, "-o", (dir / "link.gpkg").string()},
        {"check", plan.string(), sites, "-o", (dir / "." / "s.gpkg").string()},
        {"check", plan.string(), sites, "-o", (dir / "g60.toml").string()},
        {"check", plan.string(), sites, "--conflicts", (dir / "g60.gpkg").string()},
        {"export", plan.string(), "--all", "-o", (dir / "g60.gpkg").string(), "--overwrite"},
        {"render", plan.string(), "-o", (dir / "g60.gpkg").string()},
    };
    for (const auto& args : attempts) {
        INFO(args[0] << " " << args[args.size() - 2] << " " << args.back());
        const auto r = runCli(args);
        CHECK(r.code == 2);
        CHECK(r.err.find("never writes over an input") != std::string::npos);
    }
    CHECK(onemap::gis::sha256File((dir / "g60.gpkg").string()) == planHash);
    CHECK(onemap::gis::sha256File(sites) == sitesHash);
    CHECK(listing(dir) ==
          std::vector<std::string>{"g60.gpkg", "g60.toml", "hard.gpkg", "link.gpkg", "s.gpkg"});
}

TEST_CASE("A shapefile input is protected in every one of its files", "[io][output]") {
    const auto dir = scratch("out-shp");
    const auto plan = copySamplePlan(dir);
    REQUIRE(
        runCli({"export", plan.string(), "--layer", "park", "-o", (dir / "p.shp").string()}).code ==
        0);
    const std::string dbfHash = onemap::gis::sha256File((dir / "p.dbf").string());
    // The shapefile is now an input (as sites): its .dbf may not be an output either.
    const auto r =
        runCli({"check", plan.string(), (dir / "p.shp").string(), "-o", (dir / "p.dbf").string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("never writes over an input") != std::string::npos);
    CHECK(onemap::gis::sha256File((dir / "p.dbf").string()) == dbfHash);
}

TEST_CASE("Several outputs are all or nothing", "[io][output]") {
    const auto dir = scratch("out-all-or-nothing");
    const std::string sites = kSample + "/sites.gpkg";
    SECTION("the report's folder is missing: the conflicts are not written either") {
        const auto r = runCli({"check", sites, "--conflicts", (dir / "c.gpkg").string(), "-o",
                               (dir / "missing" / "r.json").string()});
        CHECK(r.code == 2);
        CHECK(r.err.find((dir / "missing" / "r.json").string()) != std::string::npos);
    }
    SECTION("the conflicts cannot be written after the check: the report is not left") {
        const auto r = runCli({"check", sites, "-o", (dir / "r.json").string(), "--conflicts",
                               (dir / "c.nosuchformat").string()});
        CHECK(r.code == 2);
        CHECK(r.err.find(".tmp") == std::string::npos);  // the user's path, not ours
    }
    CHECK(listing(dir).empty());  // no report, no conflicts, no hidden staging folder
}

TEST_CASE("No command creates a missing parent folder, and each says so the same way",
          "[io][output]") {
    const auto dir = scratch("out-parent");
    const std::string sites = kSample + "/sites.gpkg";
    const auto missing = [&](const std::string& name) { return (dir / "no" / name).string(); };
    const std::vector<std::vector<std::string>> attempts = {
        {"check", sites, "-o", missing("r.json")},
        {"check", sites, "--conflicts", missing("c.gpkg")},
        {"render", "-o", missing("m.png")},
        {"export", "--layer", "park", "-o", missing("p.gpkg")},
        {"export", "--all", "-o", missing("shapes")},
    };
    for (const auto& args : attempts) {
        INFO(args[0] << " → " << args.back());
        const auto r = runCli(args);
        CHECK(r.code == 2);
        CHECK(r.err.find("does not exist") != std::string::npos);
        CHECK(r.err.find(args.back()) != std::string::npos);
    }
    CHECK(listing(dir).empty());
}

TEST_CASE("An unwritable folder is exit 2 naming the path given", "[io][output]") {
    // /proc and /sys refuse new files even to root (tests run as root in CI).
    for (const std::string out : {"/proc/onemap-report.json", "/sys/onemap-report.json"}) {
        const auto r = runCli({"check", kSample + "/sites.gpkg", "-o", out});
        INFO(r.err);
        CHECK(r.code == 2);
        CHECK(r.err.find(out) != std::string::npos);
        CHECK(r.err.find(".tmp") == std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
}

TEST_CASE("export replaces an existing file only with --overwrite, as a whole shapefile",
          "[io][output]") {
    const auto dir = scratch("out-overwrite");
    const std::string gpkg = (dir / "park.gpkg").string();
    REQUIRE(runCli({"export", "--layer", "park", "-o", gpkg}).code == 0);
    const std::string first = onemap::gis::sha256File(gpkg);
    const auto again = runCli({"export", "--layer", "farmland", "-o", gpkg});
    CHECK(again.code == 2);
    CHECK(again.err.find("--overwrite") != std::string::npos);
    CHECK(onemap::gis::sha256File(gpkg) == first);
    CHECK(runCli({"export", "--layer", "farmland", "-o", gpkg, "--overwrite"}).code == 0);
    CHECK(onemap::gis::sha256File(gpkg) != first);

    // A shapefile set is replaced as a unit: a sidecar the new set lacks (an old spatial
    // index) is removed, not left describing other data.
    const std::string shp = (dir / "park.shp").string();
    REQUIRE(runCli({"export", "--layer", "park", "-o", shp}).code == 0);
    std::ofstream(dir / "park.qix") << "stale index";
    CHECK(runCli({"export", "--layer", "park", "-o", shp}).code == 2);
    CHECK(fs::exists(dir / "park.qix"));
    REQUIRE(runCli({"export", "--layer", "park", "-o", shp, "--overwrite"}).code == 0);
    CHECK_FALSE(fs::exists(dir / "park.qix"));
    CHECK(fs::exists(dir / "park.dbf"));
    for (const auto& name : listing(dir)) CHECK(name.front() != '.');
}

TEST_CASE("SIGTERM during export leaves no partial or hidden files", "[io][output]") {
    const auto dir = scratch("out-sigterm");
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const std::string out = (dir / "all.gpkg").string();
        ::execl(ONEMAP_CLI_BINARY, "onemap", "export", "--all", "-o", out.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    // Wait until the export has staged its output, then interrupt it.
    bool staged = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!staged && std::chrono::steady_clock::now() < deadline) {
        for (const auto& name : listing(dir)) staged = staged || name.front() == '.';
        if (!staged) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(staged);
    ::kill(child, SIGTERM);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGTERM);
    CHECK(listing(dir).empty());
}

TEST_CASE("The JSON audit trail hashes the sites file too", "[io][output]") {
    const std::string sites = kSample + "/sites.gpkg";
    const auto r = runCli({"check", sites, "--format", "json"});
    REQUIRE(r.code == 1);
    const auto json = nlohmann::json::parse(r.out);
    REQUIRE(json["inputs"].contains(sites));
    CHECK(json["inputs"][sites] == onemap::gis::sha256File(sites));
}

TEST_CASE("Nothing is written into a folder that a plan reads as one dataset", "[io][output]") {
    // GDAL reads a folder of shapefiles as one source: a new file in it changes the input.
    const auto dir = scratch("out-folder-source");
    fs::create_directory(dir / "layers");
    REQUIRE(
        runCli({"export", "--layer", "park", "-o", (dir / "layers" / "park.shp").string()}).code ==
        0);
    std::ofstream(dir / "plan.toml") << "name = \"t\"\ncrs = \"EPSG:4549\"\n[[layers]]\n"
                                        "id = \"park\"\ntitle = \"园区\"\nsource = \"layers\"\n"
                                        "table = \"park\"\n";
    const auto before = listing(dir / "layers");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"export", (dir / "plan.toml").string(), "--layer", "park", "-o",
                                   (dir / "layers" / "copy.gpkg").string()},
          std::vector<std::string>{"export", (dir / "plan.toml").string(), "--all", "-o",
                                   (dir / "layers").string(), "--overwrite"}}) {
        const auto r = runCli(args);
        INFO(r.err);
        CHECK(r.code == 2);
        CHECK(r.err.find("onemap never writes") != std::string::npos);
    }
    CHECK(listing(dir / "layers") == before);
}

TEST_CASE("Outputs are checked against each other as whole file sets", "[io][output]") {
    const auto dir = scratch("out-file-sets");
    // A shapefile output owns its sidecars: a report named c.dbf would replace its table.
    for (const char* other : {"c.dbf", "c.shx", "c.prj", "c.cpg", "c.qix", "c.DBF"}) {
        INFO(other);
        onemap::gis::OutputFiles outputs({});
        (void)outputs.stage((dir / "c.shp").string());
        CHECK_THROWS_WITH(outputs.stage((dir / other).string()),
                          Catch::Contains("is part of the output " + (dir / "c.shp").string()));
    }
    {  // either order
        onemap::gis::OutputFiles outputs({});
        (void)outputs.stage((dir / "c.dbf").string());
        CHECK_THROWS_WITH(outputs.stage((dir / "c.shp").string()),
                          Catch::Contains("is part of the output"));
    }
    {  // another stem is another dataset
        onemap::gis::OutputFiles outputs({});
        (void)outputs.stage((dir / "c.shp").string());
        CHECK_NOTHROW(outputs.stage((dir / "d.dbf").string()));
    }
    CHECK(listing(dir).empty());  // the staging folders are gone with the OutputFiles
}
