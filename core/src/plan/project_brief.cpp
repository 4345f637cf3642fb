#include "onemap/core/plan/project_brief.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/text/text_encoding.hpp"
#include "plan/toml_reader.hpp"

namespace onemap::core {
namespace {

std::string areaRange() { return "the area must be from 1 m² to 10,000 km² (15,000,000 亩)"; }

// Every message is "file:line: brief: what", read as the plan is (plan/toml_reader.hpp).
class BriefReader {
  public:
    explicit BriefReader(std::string path) : toml_(std::move(path)) {}

    [[noreturn]] void fail(const toml::node* at, const std::string& msg) const {
        toml_.fail(at, 1, "brief: " + msg);
    }

    ProjectBrief read(const std::string& content) const {
        const toml::table root = toml_.parse(content);
        toml_.allowOnly(root,
                        {"name", "area_mu", "area_m2", "industry", "count", "cities", "max_aspect",
                         "min_width_m", "attributes", "weights", "station_full_m", "station_zero_m",
                         "any_park"},
                        "brief");
        ProjectBrief b;
        b.path = toml_.path();
        b.name = text(root, "name");
        b.industry = text(root, "industry");
        const auto mu = number(root, "area_mu");
        const auto m2 = number(root, "area_m2");
        if (mu && m2) fail(root.get("area_m2"), "give area_mu or area_m2, not both");
        if (!mu && !m2) fail(nullptr, "missing the area: area_mu = N or area_m2 = N");
        b.areaM2 = mu ? *mu * gis::kSquareMetresPerMu : *m2;
        if (b.areaM2 < kMinAreaM2 || b.areaM2 > kMaxAreaM2)
            fail(root.get(mu ? "area_mu" : "area_m2"), areaRange());
        if (const auto c = number(root, "count")) {
            if (*c < 1 || *c > 100 || std::floor(*c) != *c)
                fail(root.get("count"), "count must be a whole number from 1 to 100");
            b.count = static_cast<int>(*c);
        }
        if (const auto a = number(root, "max_aspect")) {
            if (*a < 1 || *a > kMaxAspectLimit)
                fail(root.get("max_aspect"), "max_aspect must be from 1 to 20");
            b.maxAspect = *a;
        }
        if (const auto w = number(root, "min_width_m")) {
            if (*w < 0 || *w > kMaxWidthM)
                fail(root.get("min_width_m"), "min_width_m must be from 0 to 10,000 m");
            b.minWidthM = *w;
        }
        for (const auto& [key, at] : {std::pair{"station_full_m", &b.stationFullM},
                                      std::pair{"station_zero_m", &b.stationZeroM}})
            if (const auto d = number(root, key)) {
                if (*d < 0 || *d > kMaxStationBandM)
                    fail(root.get(key), std::string(key) + " must be from 0 to 100,000 m");
                *at = *d;
            }
        if (b.stationZeroM > 0 && b.stationZeroM <= b.stationFullM)
            fail(root.get(root.get("station_zero_m") ? "station_zero_m" : "station_full_m"),
                 "station_zero_m must be beyond station_full_m (default 3,000 m)");
        if (const toml::node* n = root.get("any_park")) {
            if (!n->is_boolean()) fail(n, "any_park must be true or false");
            b.anyPark = *n->value<bool>();
        }
        if (const toml::node* n = root.get("cities")) {
            const auto* arr = n->as_array();
            if (!arr) fail(n, "cities must be a list of names, e.g. [\"苏州市\"]");
            for (const auto& c : *arr) {
                if (!c.is_string()) fail(&c, "cities must be a list of names");
                b.cities.push_back(std::string(*c.value<std::string>()));
            }
        }
        if (const toml::node* n = root.get("attributes")) {
            const auto* t = n->as_table();
            if (!t) fail(n, "[attributes] must be a table of site fields");
            for (const auto& [k, v] : *t) {
                if (k.str() == "id")
                    fail(&v, "attribute 'id' is the plot's own id: name it otherwise");
                if (v.is_string())
                    b.attributes[std::string(k.str())] = std::string(*v.value<std::string>());
                else if (v.is_integer())
                    b.attributes[std::string(k.str())] = *v.value<std::int64_t>();
                else if (v.is_floating_point() && std::isfinite(*v.value<double>()))
                    b.attributes[std::string(k.str())] = *v.value<double>();
                else
                    fail(&v, "attribute '" + std::string(k.str()) +
                                 "' must be a finite number or text");
            }
        }
        if (const toml::node* n = root.get("weights")) {
            const auto* t = n->as_table();
            if (!t) fail(n, "[weights] must be a table of term = weight");
            const auto& names = scoreTermNames();
            for (const auto& [k, v] : *t) {
                const std::string key(k.str());
                if (std::find(names.begin(), names.end(), key) == names.end())
                    fail(&v, "unknown weight '" + key +
                                 "' (terms: station, park, compactness, contiguity, "
                                 "single_unit, city)");
                const auto w = v.value<double>();
                if (!v.is_number() || !w || !std::isfinite(*w) || *w < 0 || *w > kMaxWeight)
                    fail(&v, "weight '" + key + "' must be a number from 0 to 1000");
                b.weights[key] = *w;
            }
        }
        return b;
    }

  private:
    std::string text(const toml::table& t, const std::string& key) const {
        return toml_.text(t, key, false, "brief");
    }

    std::optional<double> number(const toml::table& t, const std::string& key) const {
        return toml_.number(t, key, "brief");
    }

    TomlReader toml_;
};

}  // namespace

const std::vector<std::string>& scoreTermNames() {
    static const std::vector<std::string> names{"station",    "park",        "compactness",
                                                "contiguity", "single_unit", "city"};
    return names;
}

ProjectBrief ProjectBrief::parse(const std::string& text, const std::string& path) {
    return BriefReader(path).read(text);
}

ProjectBrief ProjectBrief::load(const std::string& path) {
    return parse(gis::readRegularFile(path, "brief file"), path);
}

void ProjectBrief::validate(const std::string& where) const {
    if (!(areaM2 >= kMinAreaM2 && areaM2 <= kMaxAreaM2))
        throw InputError(where + ": " + areaRange());
    if (count < 1 || count > 100) throw InputError(where + ": count must be from 1 to 100");
    if (!(maxAspect >= 1 && maxAspect <= kMaxAspectLimit))
        throw InputError(where + ": max aspect must be from 1 to 20");
    if (!(minWidthM >= 0 && minWidthM <= kMaxWidthM))
        throw InputError(where + ": min width must be from 0 to 10,000 m");
    if (!(stationFullM >= 0 && stationFullM <= kMaxStationBandM) ||
        !(stationZeroM >= 0 && stationZeroM <= kMaxStationBandM))
        throw InputError(where + ": station distances must be from 0 to 100,000 m");
    if (stationZeroM > 0 && stationZeroM <= stationFullM)
        throw InputError(where + ": station_zero_m must be beyond station_full_m");
    // Text reaches JSON and reports, which hold UTF-8 only.
    const auto utf8 = [&](const std::string& what, const std::string& text) {
        if (!gis::isValidUtf8(text)) throw InputError(where + ": " + what + " is not UTF-8 text");
    };
    utf8("the name", name);
    utf8("the industry", industry);
    for (const auto& c : cities) utf8("a city", c);
    for (const auto& [k, v] : attributes) {
        utf8("an attribute name", k);
        if (const auto* text = std::get_if<std::string>(&v)) utf8("attribute '" + k + "'", *text);
    }
    if (minWidthM * minWidthM > areaM2)
        throw InputError(where + ": a plot of " + std::to_string(areaM2) + " m² cannot be " +
                         std::to_string(minWidthM) + " m wide both ways");
}

}  // namespace onemap::core
