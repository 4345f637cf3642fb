#pragma once
// Checking a survey file (TXT, DXF, KML, point table, shapefile) against the bundled plan's
// spatial rules through the CLI, as the survey-format tests do: drawings and tables carry no
// plot ratio or investment, so only no-farmland, no-redline and in-devbound are asked for.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../test_support.hpp"

namespace onemap::test {

inline const std::string kSurveyPlan = std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml";

struct SurveyCheck {
    int code = 0;
    std::string err;
    nlohmann::json j;
    std::map<std::string, double> areas;  // site id → m²
    std::map<std::string, std::string> names;
    [[nodiscard]] bool warns(const std::string& what) const {
        for (const auto& w : j["warnings"])
            if (w.get<std::string>().find(what) != std::string::npos) return true;
        return false;
    }
};

inline SurveyCheck checkSurvey(const std::filesystem::path& sites,
                               const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"check",
                                  kSurveyPlan,
                                  sites.string(),
                                  "--format",
                                  "json",
                                  "--rules",
                                  "no-farmland,no-redline,in-devbound"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = runCli(args);
    SurveyCheck c;
    c.code = r.code;
    c.err = r.err;
    if (r.code != 2) {
        c.j = nlohmann::json::parse(r.out);
        for (const auto& s : c.j["sites"]) {
            c.areas[s["id"].get<std::string>()] = s["area_m2"].get<double>();
            c.names[s["id"].get<std::string>()] = s["name"].get<std::string>();
        }
    }
    return c;
}

}  // namespace onemap::test
