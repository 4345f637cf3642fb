#include "publicity_api.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "onemap/core/check/site_set.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/web/http_error.hpp"
#include "upload_dir.hpp"

namespace onemap::web {
namespace {

using Json = nlohmann::json;
namespace bureau = core::bureau;
using Ring = std::vector<gis::Point>;

constexpr long long kDay = 86400;
constexpr std::size_t kKeptSites = 1000;  // submissions whose sites are kept read

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

double rounded(double v) { return std::round(v * 1e9) / 1e9; }

Json ringJson(const Ring& ring) {
    Json out = Json::array();
    for (const auto& p : ring) out.push_back({rounded(p.x), rounded(p.y)});
    return out;
}

Json geometryJson(const gis::Geometry& lonLat) {
    Json polygons = Json::array();
    for (const auto& rings : lonLat.polygons()) {
        Json polygon = Json::array();
        for (const auto& ring : rings) polygon.push_back(ringJson(ring));
        polygons.push_back(std::move(polygon));
    }
    if (polygons.size() == 1) return {{"type", "Polygon"}, {"coordinates", polygons[0]}};
    return {{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}};
}

std::string utcDate(long long seconds) {
    const std::time_t t = seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

/// The sites' verdicts of a check's JSON: id, name, verdict, nothing else.
Json verdictsOf(const std::string& checkJson) {
    Json out = Json::array();
    const Json check = Json::parse(checkJson, nullptr, false);
    if (!check.is_object() || !check.contains("sites") || !check.at("sites").is_array()) return out;
    for (const auto& s : check.at("sites"))
        out.push_back({{"id", s.value("id", "")},
                       {"name", s.value("name", "")},
                       {"verdict", s.value("verdict", "")}});
    return out;
}

}  // namespace

std::optional<long long> PublicityApi::endsAt(const std::string& decidedUtc) const {
    std::tm tm{};
    int ms = 0;
    if (std::sscanf(decidedUtc.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<long long>(timegm(&tm)) + days_ * kDay;
}

bool PublicityApi::isUnder(const bureau::Submission& s) const {
    if (days_ <= 0 || s.state != bureau::SubmissionState::Approved) return false;
    const auto end = endsAt(s.decided);
    return end && static_cast<long long>(std::time(nullptr)) < *end;
}

bureau::Submission PublicityApi::underPublicity(std::int64_t id) const {
    auto s = store_->submission(id);
    if (!s) throw HttpError(404, "no such project: " + std::to_string(id));
    if (!isUnder(*s))
        throw HttpError(409, "project " + std::to_string(id) +
                                 " is not under publicity (公示): comments are taken only "
                                 "while it is");
    return *s;
}

Json PublicityApi::sitesGeoJson(const bureau::Submission& s) const {
    {
        std::lock_guard lock(mutex_);
        if (auto kept = sites_.find(s.id); kept != sites_.end()) return kept->second;
    }
    const auto full = store_->submission(s.id);
    Json features = Json::array();
    if (full) {
        // Read as `check` read it at submission: the plan's CRS, the file under its own name.
        const gis::Crs& crs = maps_.declared().crs;
        const UploadDir dir;
        try {
            const auto sites = core::SiteSet::load(dir.write(full->fileName, full->siteBytes), crs);
            const gis::CoordinateTransform toLonLat(crs, gis::Crs::fromEpsg(4326));
            for (const auto& site : sites.sites)
                features.push_back({{"type", "Feature"},
                                    {"properties", {{"id", site.id}, {"name", site.name}}},
                                    {"geometry", geometryJson(toLonLat.apply(site.geometry))}});
        } catch (const Error&) {
            // A file the check read once and does not now (the plan's CRS changed): no shapes.
        }
    }
    Json out{{"type", "FeatureCollection"}, {"features", std::move(features)}};
    std::lock_guard lock(mutex_);
    if (sites_.size() >= kKeptSites) sites_.clear();
    sites_[s.id] = out;
    return out;
}

ApiResponse PublicityApi::list(const ApiRequest& request) const {
    request.allowOnly({});
    Json projects = Json::array();
    if (days_ > 0) {
        bureau::SubmissionFilter f;
        f.state = bureau::SubmissionState::Approved;
        f.limit = 1000;
        for (const auto& s : store_->submissions(f)) {
            if (!isUnder(s)) continue;
            projects.push_back(
                {{"id", s.id},
                 {"file_name", s.fileName},
                 {"cities", s.cities},
                 {"decided", s.decided.substr(0, 10)},
                 {"publicity_ends", utcDate(*endsAt(s.decided))},
                 {"summary", s.summary},
                 {"sites", verdictsOf(s.decisionJson.empty() ? s.checkJson : s.decisionJson)},
                 {"geometry", sitesGeoJson(s)}});
        }
    }
    ApiResponse r;
    r.body = dump({{"days", days_}, {"projects", projects}});
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace onemap::web
