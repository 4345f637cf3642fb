// Outputs named through symbolic links, and outputs that cannot be written. Writing a link
// writes the file it names (the link stays a link, so the plan reading that file sees the
// new records), or is refused with exit 2; an output that cannot be written is exit 2 naming
// it, never exit 3 and never a success. Truths: the register counted with the sqlite3 shell,
// each output compared with the same command's output to a plain file, sha256 before and
// after, the folder listings, and the kernel's own refusal of an unprivileged user.
#include <fcntl.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "../test_support.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/layer/output_files.hpp"

namespace fs = std::filesystem;
using onemap::test::capture;
using onemap::test::CliResult;
using onemap::test::runCli;
using onemap::test::scratch;
namespace gis = onemap::gis;

namespace {

const std::string kSample = ONEMAP_SAMPLE_DIR;

// The sample plan with its map and its register, and the sample sites, in `dir`.
fs::path copySample(const fs::path& dir) {
    fs::create_directories(dir);
    for (const char* f : {"g60.toml", "g60.gpkg", "register.gpkg", "sites.gpkg"})
        fs::copy_file(kSample + "/" + f, dir / f);
    return dir / "g60.toml";
}

// One sample site (P-001 and P-003 pass every rule) alone in a GeoPackage.
std::string siteFile(const fs::path& dir, const std::string& id) {
    auto sites = gis::readLayer(kSample + "/sites.gpkg", gis::ReadOptions::forTable("sites"));
    std::vector<gis::Feature> kept;
    for (std::size_t i = 0; i < sites.features.size(); ++i)
        if (gis::toString(sites.value(i, "id")) == id) kept.push_back(sites.features[i]);
    REQUIRE(kept.size() == 1);
    sites.features = kept;
    const std::string path = (dir / (id + ".gpkg")).string();
    gis::writeLayer(path, sites);
    return path;
}

std::string sql(const fs::path& gpkg, const std::string& query) {
    return capture("sqlite3 '" + gpkg.string() + "' \"" + query + "\"");
}

std::vector<std::string> hidden(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().front() == '.') names.push_back(e.path().filename());
    return names;
}

// Each layer's name and feature count: GeoPackages of one content written twice differ in
// their timestamps, not in these.
std::string layerCounts(const fs::path& gpkg) {
    std::string out;
    for (const auto& name : gis::listLayers(gpkg.string()))
        out +=
            name + "=" +
            std::to_string(
                gis::readLayer(gpkg.string(), gis::ReadOptions::forTable(name)).features.size()) +
            ";";
    return out;
}

}  // namespace

TEST_CASE("An approval through a symlinked register lands in the register the plan reads",
          "[io][output][register]") {
    const auto dir = scratch("link-register");
    const auto plan = copySample(dir / "plan");
    const fs::path reg = dir / "plan" / "register.gpkg";
    fs::create_directory(dir / "links");
    fs::create_symlink("../plan/register.gpkg", dir / "links" / "reg.gpkg");
    fs::create_symlink("links/reg.gpkg", dir / "chain.gpkg");  // a chain of two links
    const std::string count = "SELECT count(*) FROM register";
    const int before = std::stoi(sql(reg, count));
    REQUIRE(sql(reg, "SELECT count(*) FROM register WHERE project_id = 'P-001'") == "0\n");

    auto r = runCli({"check", plan.string(), siteFile(dir, "P-001"), "--approve", "--register",
                     (dir / "links" / "reg.gpkg").string(), "--approval-date", "2026-12-01"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(fs::is_symlink(dir / "links" / "reg.gpkg"));
    CHECK(std::stoi(sql(reg, count)) == before + 1);
    CHECK(sql(reg, "SELECT approved FROM register WHERE project_id = 'P-001'") == "2026-12-01\n");
    // The plan sees the approval: the re-check finds P-001's own record in its register.
    r = runCli({"check", plan.string(), (dir / "P-001.gpkg").string(), "--as-of", "2026-12-02"});
    CHECK_THAT(r.out, Catch::Contains("登记册中本项目自身的记录 P-001 不计"));

    r = runCli({"check", plan.string(), siteFile(dir, "P-003"), "--approve", "--register",
                (dir / "chain.gpkg").string(), "--approval-date", "2026-12-01"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(std::stoi(sql(reg, count)) == before + 2);
    CHECK(fs::is_symlink(dir / "chain.gpkg"));
    CHECK(fs::is_symlink(dir / "links" / "reg.gpkg"));
    for (const auto& d : {dir, dir / "links", dir / "plan"}) CHECK(hidden(d).empty());
}

TEST_CASE("Every output named through a symlink writes the file it names", "[io][output]") {
    const auto dir = scratch("link-outputs");
    const auto plan = copySample(dir / "plan").string();
    const std::string sites = (dir / "plan" / "sites.gpkg").string();
    const std::string p1 = siteFile(dir, "P-001");
    for (const char* d : {"plain", "real", "links"}) fs::create_directory(dir / d);
    struct Case {
        std::vector<std::string> args;  // "OUT" stands for the output
        std::string name;
        bool layers;  // compared by layer counts, else byte for byte
    };
    const std::vector<Case> cases = {
        {{"check", plan, p1, "-o", "OUT"}, "r.json", false},
        {{"check", plan, sites, "--conflicts", "OUT"}, "c.gpkg", true},
        {{"render", plan, "-o", "OUT"}, "m.png", false},
        {{"export", plan, "--layer", "park", "-o", "OUT", "--overwrite"}, "e.gpkg", true},
        {{"export", plan, "--layer", "park", "-o", "OUT", "--overwrite"}, "t.txt", false},
        {{"find", plan, "--area-mu", "50", "-o", "OUT"}, "f.json", false},
        {{"find", plan, "--area-mu", "50", "--candidates", "OUT"}, "cand.txt", false},
        {{"diff", plan, "--layer", "approved", "--from", "2020-01-01", "--to", "2026-12-01", "-o",
          "OUT"},
         "d.json",
         false},
        {{"diff", plan, "--layer", "approved", "--from", "2020-01-01", "--to", "2026-12-01",
          "--changes", "OUT"},
         "ch.gpkg",
         true},
        {{"validate", plan, "--fix", "OUT"}, "fix.gpkg", true},
    };
    for (const auto& c : cases) {
        INFO(c.args[0] << " → " << c.name);
        const auto with = [&](const fs::path& out) {
            auto args = c.args;
            for (auto& a : args)
                if (a == "OUT") a = out.string();
            return runCli(args);
        };
        const CliResult plain = with(dir / "plain" / c.name);
        REQUIRE(fs::exists(dir / "plain" / c.name));
        std::ofstream(dir / "real" / c.name) << "old";
        fs::create_symlink("../real/" + c.name, dir / "links" / c.name);
        const CliResult linked = with(dir / "links" / c.name);
        INFO(linked.err);
        CHECK(linked.code == plain.code);
        CHECK(fs::is_symlink(dir / "links" / c.name));
        if (c.layers)
            CHECK(layerCounts(dir / "real" / c.name) == layerCounts(dir / "plain" / c.name));
        else
            CHECK(gis::sha256File((dir / "real" / c.name).string()) ==
                  gis::sha256File((dir / "plain" / c.name).string()));
    }
    // A link whose file does not exist yet: the file is created where it points.
    fs::create_symlink("../real/new.json", dir / "links" / "new.json");
    CHECK(runCli({"check", plan, p1, "-o", (dir / "links" / "new.json").string()}).code == 0);
    CHECK(gis::sha256File((dir / "real" / "new.json").string()) ==
          gis::sha256File((dir / "plain" / "r.json").string()));
    CHECK(fs::is_symlink(dir / "links" / "new.json"));
    for (const char* d : {"plain", "real", "links"}) CHECK(hidden(dir / d).empty());
}

TEST_CASE("gis::writeFileAtomically and OutputFiles write through a link beside its target",
          "[io][output]") {
    const auto dir = scratch("link-atomic");
    fs::create_directory(dir / "real");
    std::ofstream(dir / "real" / "a.txt") << "old";
    fs::create_symlink(dir / "real" / "a.txt", dir / "a.txt");
    gis::writeFileAtomically((dir / "a.txt").string(), "new");
    CHECK(fs::is_symlink(dir / "a.txt"));
    CHECK(gis::sha256File((dir / "real" / "a.txt").string()) == gis::sha256("new"));

    gis::OutputFiles outputs({});
    const std::string at = outputs.stage((dir / "a.txt").string());
    // Staged beside the file written, so that the rename onto it is atomic.
    CHECK(fs::path(at).parent_path().parent_path() == dir / "real");
    outputs.writeAndCommit([&] { gis::writeFileAtomically(at, "newer"); });
    CHECK(fs::is_symlink(dir / "a.txt"));
    CHECK(gis::sha256File((dir / "real" / "a.txt").string()) == gis::sha256("newer"));
    CHECK(hidden(dir / "real").empty());
}

TEST_CASE("A link that cannot be written through is exit 2 and nothing is written",
          "[io][output]") {
    const auto dir = scratch("link-refused");
    const auto plan = copySample(dir / "plan").string();
    const std::string sites = (dir / "plan" / "sites.gpkg").string();
    const std::string p1 = siteFile(dir, "P-001");
    const auto regHash = gis::sha256File((dir / "plan" / "register.gpkg").string());
    fs::create_symlink("missing/r.gpkg", dir / "dangling.gpkg");  // its folder does not exist
    fs::create_symlink("loop-b.json", dir / "loop-a.json");
    fs::create_symlink("loop-a.json", dir / "loop-b.json");
    fs::create_symlink("self.gpkg", dir / "self.gpkg");
    fs::create_symlink("plan/sites.gpkg", dir / "to-input.gpkg");
    fs::create_symlink("to-input.gpkg", dir / "to-input-2.gpkg");
    // A shapefile through a link: its .shp, one of its sidecars, or the file a link names.
    REQUIRE(
        runCli({"export", plan, "--layer", "park", "-o", (dir / "plan" / "p.shp").string()}).code ==
        0);
    const auto shpHash = gis::sha256File((dir / "plan" / "p.shp").string());
    fs::create_symlink("plan/p.shp", dir / "p.shp");
    fs::create_symlink("plan/p.dbf", dir / "q.dbf");
    fs::create_symlink("plan/p.shp", dir / "r.gpkg");
    const auto before = [&] {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename());
        std::sort(names.begin(), names.end());
        return names;
    }();

    const auto at = [&](const char* name) { return (dir / name).string(); };
    const std::vector<std::pair<std::vector<std::string>, std::string>> attempts = {
        {{"check", plan, p1, "-o", at("dangling.gpkg")}, "does not exist"},
        {{"check", plan, p1, "--approve", "--register", at("dangling.gpkg"), "--approval-date",
          "2026-12-01"},
         "does not exist"},
        {{"check", plan, p1, "-o", at("loop-a.json")}, "symbolic link loop"},
        {{"check", plan, p1, "--approve", "--register", at("self.gpkg"), "--approval-date",
          "2026-12-01"},
         "symbolic link loop"},
        {{"check", plan, sites, "-o", at("to-input-2.gpkg")}, "never writes over an input"},
        {{"check", plan, sites, "--conflicts", at("p.shp")}, "symbolic link"},
        {{"check", plan, sites, "--conflicts", at("q.shp")}, "symbolic link"},
        {{"export", plan, "--layer", "park", "-o", at("r.gpkg"), "--overwrite"}, "shapefile"},
    };
    for (const auto& [args, why] : attempts) {
        const auto r = runCli(args);
        INFO(r.err);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains(why));
        CHECK_THAT(r.err, Catch::Contains(dir.string()));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    const auto after = [&] {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename());
        std::sort(names.begin(), names.end());
        return names;
    }();
    CHECK(after == before);
    CHECK(hidden(dir / "plan").empty());
    CHECK(gis::sha256File((dir / "plan" / "p.shp").string()) == shpHash);
    CHECK(gis::sha256File((dir / "plan" / "register.gpkg").string()) == regHash);
    for (const char* link : {"p.shp", "q.dbf", "r.gpkg", "dangling.gpkg", "self.gpkg"})
        CHECK(fs::is_symlink(dir / link));
}

namespace {

// Undoes `chattr +i` when the test ends, so the scratch folder can be removed.
struct Immutable {
    explicit Immutable(fs::path file) : path(std::move(file)) {
        made = std::system(("chattr +i '" + path.string() + "' 2>/dev/null").c_str()) == 0;
    }
    ~Immutable() {
        if (made) (void)std::system(("chattr -i '" + path.string() + "'").c_str());
    }
    Immutable(const Immutable&) = delete;
    Immutable& operator=(const Immutable&) = delete;
    fs::path path;
    bool made = false;
};

// The CLI run as the unprivileged user nobody (65534): the tests run as root, whom no mode
// bit stops. No value when this process cannot switch users or nobody cannot run the binary.
std::optional<CliResult> runAsNobody(const std::vector<std::string>& args) {
    if (::geteuid() != 0) return std::nullopt;
    std::vector<std::string> all{"onemap"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    int err[2];
    REQUIRE(::pipe(err) == 0);
    const int devNull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // only async-signal-safe calls until exec
        ::dup2(devNull, 1);
        ::dup2(err[1], 2);
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(126);
        ::execv(ONEMAP_CLI_BINARY, argv.data());
        ::_exit(127);
    }
    ::close(err[1]);
    ::close(devNull);
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(err[0], buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(err[0]);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    if (!WIFEXITED(status) || WEXITSTATUS(status) >= 126) return std::nullopt;
    return CliResult{WEXITSTATUS(status), "", text};
}

}  // namespace

TEST_CASE("An output that cannot be written is exit 2 naming it, and is left as it was",
          "[io][output][register]") {
    const auto dir = scratch("unwritable");
    const auto plan = copySample(dir / "plan").string();
    const std::string p1 = siteFile(dir, "P-001");
    const fs::path reg = dir / "plan" / "register.gpkg";
    const auto regHash = gis::sha256File(reg.string());
    const auto approveInto = [&](const std::string& where) {
        return std::vector<std::string>{"check",           plan,         p1,
                                        "--approve",       "--register", where,
                                        "--approval-date", "2026-12-01", "--no-cache"};
    };
    const auto refused = [](const CliResult& r, const std::string& path, const std::string& why) {
        INFO(r.err);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, !Catch::Contains("internal error"));
        // The error is the last line (a warning about the register may come before it).
        const auto last = r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1);
        CHECK_THAT(last, Catch::Contains(path) && Catch::Contains(why));
    };

    SECTION("an immutable register, and an immutable report") {
        std::ofstream(dir / "r.json") << "old report";
        const auto reportHash = gis::sha256File((dir / "r.json").string());
        const Immutable lockedRegister(reg);
        const Immutable lockedReport(dir / "r.json");
        if (!lockedRegister.made || !lockedReport.made) {
            WARN("chattr +i is not supported here: the immutable case is not tried");
            return;
        }
        refused(runCli(approveInto(reg.string())), reg.string() + ": cannot write",
                "Operation not permitted");
        fs::create_symlink(reg, dir / "reg-link.gpkg");
        refused(runCli(approveInto((dir / "reg-link.gpkg").string())),
                (dir / "reg-link.gpkg").string() + ": cannot write " + reg.string(),
                "Operation not permitted");
        refused(runCli({"check", plan, p1, "-o", (dir / "r.json").string()}),
                (dir / "r.json").string(), "Operation not permitted");
        CHECK(gis::sha256File((dir / "r.json").string()) == reportHash);
    }
    SECTION("a register in a folder that admits no new file, even to root") {
        for (const std::string where : {"/proc/onemap-register.gpkg", "/sys/onemap-register.gpkg"})
            refused(runCli(approveInto(where)), where, "cannot write into the folder");
    }
    SECTION("a read-only register and a read-only folder, for an ordinary user") {
        fs::create_directory(dir / "open");
        fs::permissions(dir / "open", fs::perms::all);  // nobody may add and rename files here
        fs::copy_file(reg, dir / "open" / "register.gpkg");
        fs::permissions(dir / "open" / "register.gpkg",
                        fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
        std::ofstream(dir / "open" / "r.json") << "old report";
        fs::permissions(dir / "open" / "r.json",
                        fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
        const auto reportHash = gis::sha256File((dir / "open" / "r.json").string());
        const auto readOnly = runAsNobody(approveInto((dir / "open" / "register.gpkg").string()));
        if (!readOnly) {
            WARN("cannot run onemap as the user nobody here: the permission cases are not tried");
            return;
        }
        refused(*readOnly, (dir / "open" / "register.gpkg").string() + ": cannot write",
                "Permission denied");
        // The plan's own folder belongs to root and is not writable by nobody.
        refused(*runAsNobody(approveInto(reg.string())), reg.string(),
                "cannot write into the folder");
        refused(*runAsNobody(
                    {"check", plan, p1, "--no-cache", "-o", (dir / "open" / "r.json").string()}),
                (dir / "open" / "r.json").string() + ": cannot write", "Permission denied");
        refused(*runAsNobody({"export", plan, "--layer", "park", "--overwrite", "-o",
                              (dir / "open" / "r.json").string()}),
                (dir / "open" / "r.json").string() + ": cannot write", "Permission denied");
        CHECK(gis::sha256File((dir / "open" / "register.gpkg").string()) == regHash);
        CHECK(gis::sha256File((dir / "open" / "r.json").string()) == reportHash);
        CHECK(hidden(dir / "open").empty());
    }
    CHECK(gis::sha256File(reg.string()) == regHash);
    CHECK(hidden(dir / "plan").empty());
    CHECK(hidden(dir).empty());
}
