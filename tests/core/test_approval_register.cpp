// The register of approved projects: approvals appended atomically and only when every site
// passes; the register read back as a layer, as it stood on any day.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <tuple>

#include "../test_support.hpp"
#include "onemap/core/time/approval_register.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

using test::rect;

constexpr double kX = 500000, kY = 3400000;  // on the central meridian: areas as planar

const char* const kRules = R"(
[[rules]]
id = "inside-devbound"
title = "位于城镇开发边界内"
kind = "must_be_within"
layer = "devbound"
)";

const char* const kRegisterLayer = R"(
[[layers]]
id = "approved"
title = "已批项目"
source = "register.gpkg"
table = "register"
date_field = "approved"
[[rules]]
id = "no-approved"
title = "不得与已批项目重叠"
kind = "must_not_overlap"
layer = "approved"
)";

}  // namespace

TEST_CASE("check --approve appends passing sites to the register, all or nothing",
          "[core][register][cli]") {
    const fs::path dir = test::scratch("register");
    const auto dev = test::layerOf("devbound", {rect(kX - 1000, kY - 1000, kX + 1000, kY + 1000)});
    const auto city =
        test::layerOf("city", {rect(kX - 9000, kY - 9000, kX + 9000, kY + 9000)}, {"示例市"});
    gis::writeLayers((dir / "map.gpkg").string(), {&dev, &city});
    // S1 and S3 inside the boundary; S2 overlaps S1 by 50 m × 100 m; S4 lies outside it.
    gis::writeLayer((dir / "s1.gpkg").string(),
                    test::layerOf("sites", {rect(kX + 100, kY + 100, kX + 200, kY + 200)}, {"S1"}));
    gis::writeLayer((dir / "s2.gpkg").string(),
                    test::layerOf("sites", {rect(kX + 150, kY + 100, kX + 250, kY + 200)}, {"S2"}));
    gis::writeLayer((dir / "s34.gpkg").string(),
                    test::layerOf("sites",
                                  {rect(kX - 500, kY - 500, kX - 400, kY - 400),
                                   rect(kX + 5000, kY, kX + 5100, kY + 100)},
                                  {"S3", "S4"}));
    const std::string head = R"(name = "登记"
crs = "EPSG:4549"
[[layers]]
id = "city"
title = "城市"
source = "map.gpkg"
table = "city"
role = "admin"
label = "id"
[[layers]]
id = "devbound"
title = "城镇开发边界"
source = "map.gpkg"
table = "devbound"
)";
    std::ofstream(dir / "a.toml") << head << kRules;
    std::ofstream(dir / "b.toml") << head << kRules << kRegisterLayer;
    const std::string reg = (dir / "register.gpkg").string();
    auto check = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "check");
        return test::runCli(args);
    };

    // The first approval creates the register.
    auto r = check({(dir / "a.toml").string(), (dir / "s1.gpkg").string(), "--approve",
                    "--register", reg, "--approval-date", "2024-03-01", "--approval-doc", "批复1"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto records = gis::readLayer(reg, gis::ReadOptions::forTable("register"));
    REQUIRE(records.features.size() == 1);
    CHECK(gis::toString(records.value(0, "project_id")) == "S1");
    CHECK(gis::toString(records.value(0, "approved")) == "2024-03-01");
    CHECK(gis::toString(records.value(0, "doc")) == "批复1");
    CHECK(gis::toString(records.value(0, "verdict")) == "pass");
    CHECK(std::get<double>(records.value(0, "area_m2")) == Approx(10000).epsilon(1e-6));
    CHECK_THAT(gis::toString(records.value(0, "check")), Catch::Contains("\"inside-devbound\""));
    CHECK(records.features[0].geometry.area() == Approx(10000));  // the site, as drawn

    // The register is a layer: S2 overlaps S1 only from the day S1 was approved.
    r = check({(dir / "b.toml").string(), (dir / "s2.gpkg").string(), "--as-of", "2024-02-29"});
    CHECK(r.code == 0);
    r = check({(dir / "b.toml").string(), (dir / "s2.gpkg").string(), "--as-of", "2024-03-01"});
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("5,000.00 m²"));  // 50 m × 100 m
    // A re-check of S1 itself: its own record is its approval, not a conflict — when the
    // register names its records (id_field); another project on the same ground conflicts.
    std::string withIds = kRegisterLayer;
    withIds.insert(withIds.find("date_field"), "id_field = \"project_id\"\n");
    std::ofstream(dir / "c.toml") << head << kRules << withIds;
    r = check({(dir / "c.toml").string(), (dir / "s1.gpkg").string(), "--as-of", "2024-03-01"});
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("登记册中本项目自身的记录 S1 不计"));
    gis::writeLayer((dir / "s9.gpkg").string(),
                    test::layerOf("sites", {rect(kX + 100, kY + 100, kX + 200, kY + 200)}, {"S9"}));
    r = check({(dir / "c.toml").string(), (dir / "s9.gpkg").string(), "--as-of", "2024-03-01"});
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("10,000.00 m²"));

    // A failing site is refused with its reason, and the register is not touched.
    const std::string before = gis::sha256File(reg);
    r = check({(dir / "b.toml").string(), (dir / "s2.gpkg").string(), "--as-of", "2024-06-01",
               "--approve", "--register", reg, "--approval-date", "2024-06-01"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("not approved") && Catch::Contains("S2") &&
                          Catch::Contains("no-approved"));
    CHECK(gis::sha256File(reg) == before);
    // All or nothing: S3 passes but S4 lies outside the boundary: neither is registered.
    r = check(
        {(dir / "b.toml").string(), (dir / "s34.gpkg").string(), "--approve", "--register", reg});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("S4"));
    CHECK(gis::sha256File(reg) == before);
    // The same project twice: exit 2, nothing written.
    r = check(
        {(dir / "a.toml").string(), (dir / "s1.gpkg").string(), "--approve", "--register", reg});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("already in the register"));
    CHECK(gis::sha256File(reg) == before);
    // A plan that reads its register from one file, approvals written to another: said.
    r = check({(dir / "b.toml").string(), (dir / "s34.gpkg").string(), "--approve", "--register",
               (dir / "other.gpkg").string()});
    CHECK_THAT(r.err, Catch::Contains("is not the register the plan reads"));
    CHECK(gis::sha256File(reg) == before);
    // Misuse: exit 2 with one line, nothing written.
    for (const auto& args : std::vector<std::vector<std::string>>{
             {(dir / "a.toml").string(), (dir / "s1.gpkg").string(), "--approve"},
             {(dir / "a.toml").string(), (dir / "s1.gpkg").string(), "--register", reg},
             {(dir / "a.toml").string(), (dir / "s1.gpkg").string(), "--approve", "--register",
              (dir / "r.shp").string()},
             {(dir / "a.toml").string(), (dir / "s1.gpkg").string(), "--approve", "--register", reg,
              "--approval-date", "2024-02-30"},
             {(dir / "a.toml").string(), (dir / "s1.gpkg").string(), "--approve", "--register",
              (dir / "s1.gpkg").string()}}) {
        r = check(args);
        CHECK(r.code == 2);
    }
    // A GeoPackage holding other layers too would lose them when the register is rewritten.
    r = check({(dir / "a.toml").string(), (dir / "s1.gpkg").string(), "--approve", "--register",
               (dir / "map.gpkg").string()});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("a register must be a file of its own"));
    CHECK(gis::readLayer((dir / "map.gpkg").string(), gis::ReadOptions::forTable("devbound"))
              .features.size() == 1);
    // The register as the report's own output would be replaced by the report: refused.
    r = check({(dir / "a.toml").string(), (dir / "s1.gpkg").string(), "--approve", "--register",
               reg, "--format", "json", "-o", reg});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("must be a file of its own"));
    CHECK(gis::sha256File(reg) == before);
    CHECK_FALSE(fs::exists(dir / "r.shp"));
    // A record that cannot be dated is an error naming it, never silently in or out.
    {
        auto bad = gis::readLayer(reg, gis::ReadOptions::forTable("register"));
        bad.features[0].values[*bad.fieldIndex("approved")] = std::string("2024/3/1");
        gis::writeLayer((dir / "bad-register.gpkg").string(), bad);
        std::ofstream(dir / "c.toml") << head << kRules << R"(
[[layers]]
id = "approved"
title = "已批项目"
source = "bad-register.gpkg"
table = "register"
date_field = "approved"
)";
        r = check({(dir / "c.toml").string(), (dir / "s2.gpkg").string()});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("feature fid 1: approved = '2024/3/1' is not a date"));
    }
    // A second approval appends: both records kept, in order.
    gis::writeLayer((dir / "s5.gpkg").string(),
                    test::layerOf("sites", {rect(kX - 900, kY - 900, kX - 800, kY - 800)}, {"S5"}));
    r = check({(dir / "b.toml").string(), (dir / "s5.gpkg").string(), "--approve", "--register",
               reg, "--approval-date", "2024-08-08"});
    REQUIRE(r.code == 0);
    records = gis::readLayer(reg, gis::ReadOptions::forTable("register"));
    REQUIRE(records.features.size() == 2);
    CHECK(gis::toString(records.value(0, "project_id")) == "S1");
    CHECK(gis::toString(records.value(1, "project_id")) == "S5");

    // An approval waits for one in progress (the register's lock) instead of racing it.
    gis::writeLayer((dir / "s6.gpkg").string(),
                    test::layerOf("sites", {rect(kX - 700, kY - 700, kX - 600, kY - 600)}, {"S6"}));
    std::atomic<bool> released{false};
    bool appendedAfterRelease = false;
    {
        auto held = std::make_unique<core::ApprovalRegister::Lock>(reg);
        std::thread approval([&] {
            const auto a = check({(dir / "b.toml").string(), (dir / "s6.gpkg").string(),
                                  "--approve", "--register", reg});
            appendedAfterRelease = a.code == 0 && released.load();
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        released = true;
        held.reset();
        approval.join();
    }
    CHECK(appendedAfterRelease);
    CHECK(gis::readLayer(reg, gis::ReadOptions::forTable("register")).features.size() == 3);
}

namespace {

// Two cities either side of the meridian, each with a quota of 15 亩 (10,000 m²) of land.
struct QuotaMap {
    fs::path dir;
    std::string plan, reg;
};

QuotaMap quotaMap(const std::string& name) {
    QuotaMap m{test::scratch(name), "", ""};
    gis::VectorLayer city = test::layerOf(
        "city",
        {rect(kX - 5000, kY - 5000, kX, kY + 5000), rect(kX, kY - 5000, kX + 5000, kY + 5000)},
        {"甲市", "乙市"});
    city.fields.push_back({"quota_mu", gis::FieldType::Real});
    city.features[0].values.emplace_back(15.0);
    city.features[1].values.emplace_back(15.0);
    gis::writeLayer((m.dir / "map.gpkg").string(), city);
    m.plan = (m.dir / "plan.toml").string();
    std::ofstream(m.plan) << R"(name = "批次"
crs = "EPSG:4549"
[[layers]]
id = "city"
title = "城市"
source = "map.gpkg"
table = "city"
role = "admin"
label = "id"
[[layers]]
id = "approved"
title = "已批项目"
source = "register.gpkg"
table = "register"
date_field = "approved"
[[rules]]
id = "land-quota"
title = "新增建设用地指标"
kind = "quota"
admin = "city"
quota_field = "quota_mu"
register = "approved"
)";
    // The plan before any approval: no register to read yet.
    std::ofstream(m.dir / "plan0.toml") << R"(name = "批次"
crs = "EPSG:4549"
[[layers]]
id = "city"
title = "城市"
source = "map.gpkg"
table = "city"
role = "admin"
label = "id"
)";
    m.reg = (m.dir / "register.gpkg").string();
    // A first approval creates the register the plan reads (far from the sites below).
    gis::writeLayer(
        (m.dir / "first.gpkg").string(),
        test::layerOf("sites", {rect(kX - 4000, kY - 4000, kX - 3990, kY - 3990)}, {"P0"}));
    return m;
}

int approve(const QuotaMap& m, const std::string& sites, std::vector<std::string> extra,
            std::string* err = nullptr, bool first = false) {
    const std::string plan = first ? (m.dir / "plan0.toml").string() : m.plan;
    std::vector<std::string> args = {"check", plan, sites, "--approve", "--register", m.reg};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = test::runCli(args);
    if (err) *err = r.err;
    return r.code;
}

}  // namespace

TEST_CASE("check --approve refuses a batch whose sites overlap or together exceed a quota",
          "[core][register][quota][cli]") {
    auto m = quotaMap("register-batch");
    // The register must exist for the plan to read it: P0 first, 100 m² in 甲市.
    REQUIRE(approve(m, (m.dir / "first.gpkg").string(), {"--approval-date", "2024-01-01"}, nullptr,
                    true) == 0);
    const std::string before = gis::sha256File(m.reg);
    const auto sites = [&](const std::string& file, std::vector<gis::Geometry> g,
                           std::vector<std::string> ids) {
        gis::writeLayer((m.dir / file).string(), test::layerOf("sites", std::move(g), ids));
        return (m.dir / file).string();
    };
    std::string err;

    // The same polygon twice in one file: each passes alone, one ground approved twice.
    const auto same = sites(
        "same.gpkg", {rect(kX - 900, kY, kX - 800, kY + 10), rect(kX - 900, kY, kX - 800, kY + 10)},
        {"A", "B"});
    CHECK(approve(m, same, {}, &err) == 2);
    CHECK_THAT(err, Catch::Contains("'A' and 'B'") && Catch::Contains("overlap"));
    CHECK(gis::sha256File(m.reg) == before);

    // S1 straddles the two cities (5,000 m² in each), S2 takes 6,000 m² in 乙市: alone each
    // fits its 10,000 m², together 乙市 gives 11,000 m². Nothing written, report included.
    const auto over = sites(
        "over.gpkg", {rect(kX - 50, kY, kX + 50, kY + 100), rect(kX + 100, kY, kX + 200, kY + 60)},
        {"S1", "S2"});
    const std::string report = (m.dir / "report.json").string();
    CHECK(approve(m, over, {"-o", report}, &err) == 2);
    CHECK_THAT(err, Catch::Contains("'S1', 'S2'") && Catch::Contains("乙市") &&
                        Catch::Contains("land-quota"));
    CHECK(gis::sha256File(m.reg) == before);
    CHECK_FALSE(fs::exists(report));
    // Each alone is approvable (checked, not approved: no register written).
    for (const auto& [file, g, id] :
         {std::tuple{"s1.gpkg", rect(kX - 50, kY, kX + 50, kY + 100), "S1"},
          std::tuple{"s2.gpkg", rect(kX + 100, kY, kX + 200, kY + 60), "S2"}}) {
        const auto r = test::runCli({"check", m.plan, sites(file, {g}, {id})});
        CHECK(r.code == 0);
    }
    // S1 with a site in 甲市 that leaves room there (5,000 + 4,000 m² of 9,900 left): approved.
    const auto fits = sites(
        "fits.gpkg", {rect(kX - 50, kY, kX + 50, kY + 100), rect(kX - 600, kY, kX - 200, kY + 10)},
        {"S1", "S3"});
    CHECK(approve(m, fits, {}, &err) == 0);
    INFO(err);
    CHECK(gis::readLayer(m.reg, gis::ReadOptions::forTable("register")).features.size() == 3);
}

TEST_CASE("check --approve checks against the plan in force on the approval day",
          "[core][register][versions][cli]") {
    auto m = quotaMap("register-day");
    const std::string first = (m.dir / "first.gpkg").string();
    std::string err;
    // --as-of alone would approve today against another day's plan: refused, nothing written.
    CHECK(approve(m, first, {"--as-of", "2022-06-01"}, &err, true) == 2);
    CHECK_THAT(err, Catch::Contains("--as-of 2022-06-01 is not the approval date"));
    // Two different days: refused.
    CHECK(approve(m, first, {"--as-of", "2022-06-01", "--approval-date", "2022-06-02"}, &err,
                  true) == 2);
    CHECK_FALSE(fs::exists(m.reg));
    // --approval-date alone checks as of that day; both the same day is fine.
    REQUIRE(approve(m, first, {"--approval-date", "2022-06-01"}, &err, true) == 0);
    const auto records = gis::readLayer(m.reg, gis::ReadOptions::forTable("register"));
    REQUIRE(records.features.size() == 1);
    CHECK(gis::toString(records.value(0, "approved")) == "2022-06-01");
    CHECK(gis::toString(records.value(0, "as_of")) == "2022-06-01");
    gis::writeLayer((m.dir / "second.gpkg").string(),
                    test::layerOf("sites", {rect(kX + 900, kY, kX + 910, kY + 10)}, {"P1"}));
    CHECK(approve(m, (m.dir / "second.gpkg").string(),
                  {"--as-of", "2023-01-01", "--approval-date", "2023-01-01"}, &err) == 0);
}

TEST_CASE("export and diff take a date_field layer as it stood on the day",
          "[core][register][versions][cli]") {
    auto m = quotaMap("register-export");
    REQUIRE(approve(m, (m.dir / "first.gpkg").string(), {"--approval-date", "2024-03-01"}, nullptr,
                    true) == 0);
    // export applies date_field as every command does: nothing before the approval.
    const auto count = [&](const std::string& day) {
        const std::string out = (m.dir / ("x-" + day + ".gpkg")).string();
        const auto r =
            test::runCli({"export", m.plan, "--layer", "approved", "--as-of", day, "-o", out});
        INFO(r.err);
        REQUIRE(r.code == 0);
        return gis::readLayer(out).features.size();
    };
    CHECK(count("2024-02-29") == 0);
    CHECK(count("2024-03-01") == 1);
    // diff of a date_field layer measures its dated records; a layer that is the same on every
    // day (no versions, no date_field) is refused instead of reporting "no change".
    auto r = test::runCli({"diff", m.plan, "--layer", "approved", "--from", "2024-01-01", "--to",
                           "2025-01-01", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("\"date_field\": \"approved\""));
    const auto at = r.out.find("\"gained_m2\": ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(r.out.substr(at + 13)) == Approx(100).epsilon(1e-6));  // P0, 10 m × 10 m
    r = test::runCli(
        {"diff", m.plan, "--layer", "city", "--from", "2022-01-01", "--to", "2025-01-01"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("layer 'city' has no versions"));
    CHECK(r.out.empty());
}
