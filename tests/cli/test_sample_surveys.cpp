// The survey files shipped in sample-data/surveys (docs/planners-day.md) are the sample's own
// sites in the forms a planner receives them: each checks, rule by boundary rule, as the same
// site in sites.gpkg does — the same area (a round trip through the format) and verdicts.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../test_support.hpp"

using Json = nlohmann::json;

namespace {

const std::string kSample = ONEMAP_SAMPLE_DIR;
const std::string kDay = "2026-12-07";  // every layer of the sample in force

Json checkJson(std::vector<std::string> args) {
    args.insert(args.begin(), "check");
    for (const char* a : {"--as-of", "2026-12-07", "--format", "json"}) args.push_back(a);
    const auto r = onemap::test::runCli(args);
    INFO(r.err);
    REQUIRE(r.code != 2);
    return Json::parse(r.out);
}

const Json& rule(const Json& site, const std::string& id) {
    for (const auto& r : site["rules"])
        if (r["id"] == id) return r;
    FAIL("no rule " << id);
    static const Json none;
    return none;
}

}  // namespace

TEST_CASE("Sample survey files check as the sites they were cut from", "[cli][sample][doc]") {
    const Json all = checkJson({kSample + "/sites.gpkg"});
    std::map<std::string, Json> byId;
    for (const auto& s : all["sites"]) byId[s["id"].get<std::string>()] = s;

    struct Survey {
        std::string file, site;
        std::vector<std::string> extra;
        double areaTolerance;  // m²: KML goes through WGS84 degrees
    };
    const std::vector<Survey> surveys{{"P-012.txt", "P-012", {}, 0.01},
                                      {"P-017.kml", "P-017", {}, 0.05},
                                      {"P-003.dxf", "P-003", {"--sites-crs", "EPSG:4549"}, 0.01},
                                      {"P-024.csv", "P-024", {"--sites-crs", "EPSG:4549"}, 0.01}};
    for (const auto& s : surveys) {
        INFO(s.file);
        std::vector<std::string> args{kSample + "/surveys/" + s.file};
        args.insert(args.end(), s.extra.begin(), s.extra.end());
        const Json doc = checkJson(args);
        REQUIRE(doc["sites"].size() == 1);
        const Json& got = doc["sites"][0];
        const Json& want = byId.at(s.site);
        CHECK(got["area_m2"].get<double>() ==
              Approx(want["area_m2"].get<double>()).margin(s.areaTolerance));
        for (const char* id : {"no-farmland", "no-redline", "in-devbound", "near-station",
                               "rail-setback", "no-approved"}) {
            INFO(id);
            CHECK(rule(got, id)["verdict"] == rule(want, id)["verdict"]);
        }
        CHECK(rule(got, "no-farmland")["overlap_m2"].get<double>() ==
              Approx(rule(want, "no-farmland")["overlap_m2"].get<double>()).margin(0.05));
        CHECK(rule(got, "near-station")["distance_m"].get<double>() ==
              Approx(rule(want, "near-station")["distance_m"].get<double>()).margin(0.01));
    }
}
