#include "onemap/core/find/free_land.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <set>

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/geodesic.hpp"

namespace onemap::core {
namespace {

// Buffers are polygons inscribed in the true circle (32 segments a quadrant): a setback
// drawn that way falls short of its distance by up to 1 − cos(π/128), so it is drawn longer.
constexpr int kQuadrantSegments = 32;
const double kChordFactor = 1.0 / std::cos(std::numbers::pi / (4 * kQuadrantSegments));
// The projection's scale changes by ~6e-6 per km over a tile: a little more, and 5 cm, keep
// the free land on the safe side of every distance the check then measures on the ellipsoid.
constexpr double kScaleMargin = 1e-4;
constexpr double kMarginM = 0.05;

using Accept = std::function<bool(std::size_t)>;

struct Constraint {
    FreeLandPart kind;  ///< never None
    const MapLayer* layer;
    Accept accept;
    double distanceM = 0;
    bool planar = false;
};

gis::Geometry rectangle(const gis::Envelope& e) {
    return gis::Geometry::polygon({{{e.minx, e.miny},
                                    {e.maxx, e.miny},
                                    {e.maxx, e.maxy},
                                    {e.minx, e.maxy},
                                    {e.minx, e.miny}}});
}

gis::Envelope grown(gis::Envelope e, double by) {
    e.minx -= by;
    e.miny -= by;
    e.maxx += by;
    e.maxy += by;
    return e;
}

std::vector<std::size_t> piecesMeeting(const MapLayer& layer, const gis::Envelope& box,
                                       const Accept& accept) {
    std::vector<std::size_t> out;
    for (const std::size_t j : layer.pieceIndex().query(box))
        if (!accept || accept(layer.pieceFeature(j))) out.push_back(j);
    std::sort(out.begin(), out.end());  // the same union whatever the tree's order
    return out;
}

// The layer's (accepted) polygons inside `box`, as one geometry.
gis::Geometry polygonsIn(const MapLayer& layer, const gis::Envelope& box, const Accept& accept) {
    std::vector<gis::Geometry> parts;
    for (const std::size_t j : piecesMeeting(layer, box, accept)) {
        gis::Geometry g = layer.piece(j).clipToRect(box).polygonalPart();
        if (!g.isEmpty()) parts.push_back(std::move(g));
    }
    return parts.empty() ? gis::Geometry() : gis::Geometry::unionOf(parts);
}

// Everything within `d` (plan units) of the layer's features, inside `box`.
gis::Geometry zoneIn(const MapLayer& layer, const gis::Envelope& box, double d,
                     const Accept& accept) {
    std::vector<gis::Geometry> parts;
    for (const std::size_t j : piecesMeeting(layer, grown(box, d), accept)) {
        gis::Geometry g = layer.piece(j).clipToRect(grown(box, d + 1));
        g = g.buffer(d, kQuadrantSegments).clipToRect(box).polygonalPart();
        if (!g.isEmpty()) parts.push_back(std::move(g));
    }
    return parts.empty() ? gis::Geometry() : gis::Geometry::unionOf(parts);
}

struct TileResult {
    gis::Geometry region;
    std::vector<double> stepArea;
    std::vector<std::pair<std::size_t, double>> adminArea;  ///< admin feature → m²
};

class FreeLandWork {
  public:
    FreeLandWork(const OneMap& map, const FreeLandQuery& query) : map_(map), query_(query) {
        admin_ = map.adminLayer();
        if (admin_) selectCities();
        for (const auto& rule : map.plan().rules) addRule(rule);
    }

    FreeLand run(Feedback* feedback) {
        const auto tiles = tilesToDo();
        std::vector<TileResult> results(tiles.size());
        std::atomic<std::size_t> done{0};
        tbb::parallel_for(std::size_t{0}, tiles.size(), [&](std::size_t i) {
            if (feedback && feedback->isCancelled()) return;
            results[i] = workTile(tiles[i]);
            const std::size_t n = ++done;
            if (feedback && n % 64 == 0)
                feedback->progress(static_cast<double>(n) / static_cast<double>(tiles.size()),
                                   "free land");
        });
        if (feedback && feedback->isCancelled()) throw Cancelled{};
        return combine(results);
    }

  private:
    void selectCities() {
        if (query_.cities.empty()) return;
        std::set<std::string> wanted(query_.cities.begin(), query_.cities.end());
        std::set<std::string> known;
        for (std::size_t i = 0; i < admin_->size(); ++i) {
            const std::string name = adminName(i);
            known.insert(name);
            if (wanted.count(name) || wanted.count(admin_->featureId(i))) {
                cities_.insert(i);
                found_.insert(wanted.count(name) ? name : admin_->featureId(i));
            }
        }
        for (const auto& c : query_.cities) {
            if (found_.count(c)) continue;
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            throw InputError("city '" + c + "': layer '" + admin_->spec().id +
                             "' has no such feature (it has: " + list + ")");
        }
    }

    [[nodiscard]] std::string adminName(std::size_t i) const {
        const std::string label = admin_->label(i);
        return label.empty() ? admin_->featureId(i) : label;
    }

    void addRule(const RuleSpec& rule) {
        if (rule.severity != Severity::Error || query_.withoutRules.count(rule.id)) return;
        // A kind with no part in free land (a site figure, a quota): the check still applies it.
        const FreeLandPart part = RuleRegistry::instance().kind(rule.kind).freeLand;
        const MapLayer* layer = map_.layer(rule.text("layer"));
        if (part == FreeLandPart::None || !layer) return;
        Constraint c{part, layer, {}, 0, rule.text("distance") == "planar"};
        if (part == FreeLandPart::Inside) {
            if (rule.has("min_fraction") && rule.number("min_fraction") < 1)
                free_.notes.push_back("rule '" + rule.id + "': plots are kept wholly inside (" +
                                      "the plan asks " +
                                      formatNumber(rule.number("min_fraction") * 100, 0) + "%)");
            if (const auto it = rule.params.find("match"); it != rule.params.end()) {
                const auto& m = std::get<std::map<std::string, std::string>>(it->second);
                const auto value = query_.matchValues.find(rule.id);
                if (value == query_.matchValues.end())
                    throw InputError("rule '" + rule.id +
                                     "' keeps a site inside the features of '" + layer->spec().id +
                                     "' whose " + m.at("layer") + " matches the project's " +
                                     m.at("site") + ": say the project's (e.g. --industry)");
                const auto field = layer->data().fieldIndex(m.at("layer"));
                if (!field)
                    throw InputError("rule '" + rule.id + "': layer '" + layer->spec().id +
                                     "' has no field '" + m.at("layer") + "'");
                c.accept = [layer, f = *field, want = value->second](std::size_t i) {
                    return gis::toString(layer->data().features[i].values[f]) == want;
                };
            }
        } else if (part == FreeLandPart::Outside) {
            if (rule.number("tolerance_m2") > 0)
                free_.notes.push_back("rule '" + rule.id + "': its tolerance of " +
                                      formatNumber(rule.number("tolerance_m2"), 2) +
                                      " m² is not spent; plots take none of layer '" +
                                      layer->spec().id + "'");
        } else {  // Setback, Reach
            const auto relaxed = query_.distanceM.find(rule.id);
            c.distanceM =
                relaxed != query_.distanceM.end() ? relaxed->second : rule.number("distance_m");
        }
        constraints_.push_back(std::move(c));
        free_.steps.push_back({rule.id, rule.title, rule.kind, 0});
    }

    [[nodiscard]] Accept acceptCity() const {
        if (cities_.empty()) return {};
        return [this](std::size_t i) { return cities_.count(i) > 0; };
    }

    [[nodiscard]] std::vector<gis::Envelope> tilesToDo() const {
        gis::Envelope all;
        if (admin_) {
            for (std::size_t i = 0; i < admin_->size(); ++i)
                if (cities_.empty() || cities_.count(i)) all.expand(admin_->geometry(i).envelope());
        } else {
            all = map_.extent();
        }
        std::vector<gis::Envelope> out;
        if (all.isEmpty()) return out;
        const double t = query_.tileM;
        const auto first = [t](double v) { return std::floor(v / t) * t; };
        for (double y = first(all.miny); y < all.maxy; y += t)
            for (double x = first(all.minx); x < all.maxx; x += t) {
                const gis::Envelope tile{x, y, x + t, y + t};
                if (!admin_ || !piecesMeeting(*admin_, tile, acceptCity()).empty())
                    out.push_back(tile);
            }
        return out;
    }

    [[nodiscard]] TileResult workTile(const gis::Envelope& tile) const {
        const auto& measure = gis::EllipsoidalMeasure::forThisThread(map_.plan().crs);
        TileResult r;
        gis::Geometry region = rectangle(tile);
        // Linear scale of the plane here: a geodesic distance D is D / k in the plane.
        const double k = std::sqrt(measure.area(region) / region.area());
        if (admin_) {
            region = polygonsIn(*admin_, tile, acceptCity());
        } else {  // the part of the tile inside the map's extent
            const gis::Envelope e = map_.extent();
            region = rectangle({std::max(tile.minx, e.minx), std::max(tile.miny, e.miny),
                                std::min(tile.maxx, e.maxx), std::min(tile.maxy, e.maxy)});
        }
        r.stepArea.push_back(region.isEmpty() ? 0 : measure.area(region));
        for (const auto& c : constraints_) {
            if (!region.isEmpty()) {
                const gis::Envelope near = region.envelope();
                const double scale = c.planar ? 1.0 : 1.0 / k;
                if (c.kind == FreeLandPart::Inside) {
                    const gis::Geometry inside = polygonsIn(*c.layer, near, c.accept);
                    region = inside.isEmpty() ? inside : region.intersection(inside);
                } else if (c.kind == FreeLandPart::Outside) {
                    const gis::Geometry taken = polygonsIn(*c.layer, near, c.accept);
                    if (!taken.isEmpty()) region = region.difference(taken);
                } else if (c.kind == FreeLandPart::Setback) {
                    const double d =
                        c.distanceM * scale * kChordFactor * (1 + kScaleMargin) + kMarginM;
                    const gis::Geometry zone = zoneIn(*c.layer, near, d, c.accept);
                    if (!zone.isEmpty()) region = region.difference(zone);
                } else {
                    const double d =
                        std::max(0.0, c.distanceM * scale * (1 - kScaleMargin) - kMarginM);
                    region = region.intersection(zoneIn(*c.layer, near, d, c.accept));
                }
                region = region.polygonalPart();
            }
            r.stepArea.push_back(region.isEmpty() ? 0 : measure.area(region));
        }
        if (!admin_ || region.isEmpty()) {
            r.region = region;
            return r;
        }
        const auto pieces = piecesMeeting(*admin_, tile, acceptCity());
        std::set<std::size_t> features;
        for (const auto j : pieces) features.insert(admin_->pieceFeature(j));
        if (features.size() == 1) {
            r.adminArea.emplace_back(*features.begin(), r.stepArea.back());
        } else {
            for (const auto f : features) {
                const gis::Geometry part = region.intersection(
                    polygonsIn(*admin_, tile, [f](std::size_t i) { return i == f; }));
                const double a = part.isEmpty() ? 0 : measure.area(part.polygonalPart());
                if (a > 0) r.adminArea.emplace_back(f, a);
            }
        }
        r.region = region;
        return r;
    }

    FreeLand combine(const std::vector<TileResult>& results) {
        FreeLand out = std::move(free_);
        out.steps.insert(out.steps.begin(),
                         admin_ ? FreeLandStep{"admin", admin_->spec().title, "admin", 0}
                                : FreeLandStep{"extent", "the map's extent", "extent", 0});
        std::vector<gis::Geometry> regions;
        std::map<std::string, double> perCity;
        for (const auto& r : results) {
            for (std::size_t s = 0; s < r.stepArea.size(); ++s)
                out.steps[s].areaM2 += r.stepArea[s];
            for (const auto& [f, a] : r.adminArea) perCity[adminName(f)] += a;
            if (!r.region.isEmpty()) regions.push_back(r.region);
        }
        out.areaM2 = out.steps.back().areaM2;
        if (!regions.empty()) out.geometry = gis::Geometry::unionOf(regions).polygonalPart();
        for (const auto& [name, a] : perCity) out.perCity.push_back({name, a});
        std::stable_sort(out.perCity.begin(), out.perCity.end(),
                         [](const auto& a, const auto& b) { return a.areaM2 > b.areaM2; });
        const auto& measure = gis::EllipsoidalMeasure::forThisThread(map_.plan().crs);
        for (std::size_t i = 0; i < out.geometry.numParts(); ++i)
            out.largestPieceM2 = std::max(out.largestPieceM2, measure.area(out.geometry.part(i)));
        return out;
    }

    const OneMap& map_;
    const FreeLandQuery& query_;
    const MapLayer* admin_ = nullptr;
    std::set<std::size_t> cities_;
    std::set<std::string> found_;
    std::vector<Constraint> constraints_;
    FreeLand free_;
};

}  // namespace

const FreeLandStep* FreeLand::emptiedBy() const {
    for (const auto& s : steps)
        if (s.areaM2 <= 0) return &s;
    return nullptr;
}

FreeLand computeFreeLand(const OneMap& map, const FreeLandQuery& query, Feedback* feedback) {
    if (!(query.tileM > 0)) throw Error("free land: the tile size must be > 0");
    return FreeLandWork(map, query).run(feedback);
}

}  // namespace onemap::core
