#include "find/candidate_scorer.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "find/plot_placer.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/crs/geodesic.hpp"

namespace onemap::core {
namespace {

constexpr double kEdgeBandM = 5;  // a plot's side this close to an edge runs along it

bool isPointLayer(const MapLayer& layer) {
    return layer.size() > 0 && layer.geometry(0).kind() == gis::GeometryKind::Point;
}

const RuleKind& kindOf(const RuleSpec& r) { return RuleRegistry::instance().kind(r.kind); }

// 1 for a square, 8/9 for 2:1: the isoperimetric quotient against a square's.
double compactness(const gis::Geometry& g) {
    const double p = g.length();
    return p > 0 ? std::min(1.0, 16 * g.area() / (p * p)) : 0;
}

}  // namespace

std::vector<MatchRule> matchRules(const Plan& plan) {
    std::vector<MatchRule> out;
    for (const auto& r : plan.rules) {
        const auto it = r.params.find("match");
        if (kindOf(r).score != ScorePart::MatchedShare || it == r.params.end()) continue;
        const auto& m = std::get<std::map<std::string, std::string>>(it->second);
        out.push_back({&r, m.at("site"), m.at("layer")});
    }
    return out;
}

double nearness(double d, double limit) { return limit > 0 ? limit / (limit + d) : d > 0 ? 0 : 1; }

const RuleSpec* CandidateScorer::stationRule() const {
    for (const auto& r : map_.plan().rules)
        if (kindOf(r).score == ScorePart::Nearness && isPointLayer(*map_.layer(r.text("layer"))))
            return &r;
    return nullptr;
}

Candidate CandidateScorer::score(const SiteReport& s) const {
    Candidate c;
    c.check = s;
    c.areaM2 = s.areaM2;
    const gis::Envelope box = s.geometry.envelope();
    c.lonLat = gis::EllipsoidalMeasure::forThisThread(map_.plan().crs).toLonLat(box.center());
    // Named after the unit holding most of it; a plot across a boundary scores less below.
    const auto largest =
        std::max_element(s.admin.begin(), s.admin.end(),
                         [](const auto& a, const auto& b) { return a.fraction < b.fraction; });
    if (largest != s.admin.end()) c.admin = largest->name;
    for (const auto& r : s.rules)
        if (r.severity == Severity::Warning && !r.passed) c.warningsMissed.push_back(r.ruleId);
    const auto result = [&s](const std::string& id) -> const RuleResult* {
        for (const auto& r : s.rules)
            if (r.ruleId == id) return &r;
        return nullptr;
    };
    if (const RuleSpec* st = stationRule()) {
        if (const RuleResult* r = result(st->id)) {
            c.nearestM = r->number("distance_m");
            if (const Measure* m = r->measure("nearest")) c.nearest = gis::toString(m->value);
            const double limit = st->number("distance_m");
            const double v = c.nearestM ? nearness(*c.nearestM, limit) : 0;
            c.terms.push_back({"station", v, 1,
                               c.nearestM ? c.nearest + " " + formatNumber(*c.nearestM, 0) +
                                                " m (limit " + formatNumber(limit, 0) + " m)"
                                          : "none"});
        }
    }
    for (const auto& m : matchRules(map_.plan())) {
        const RuleResult* r = result(m.rule->id);
        if (!r) continue;
        for (const auto& f : r->features) c.park += (c.park.empty() ? "" : ", ") + f;
        const double inside = r->number("inside_fraction").value_or(0);
        c.terms.push_back(
            {"park", inside, 1,
             formatNumber(inside * 100, 1) + "% in " + matchValues_.at(m.rule->id) + " parks"});
        break;
    }
    const double compact = compactness(s.geometry);
    c.terms.push_back({"compactness", compact, 1, "square = 1"});
    if (const auto share = contiguity(s.geometry))
        c.terms.push_back({"contiguity", *share, 1,
                           formatNumber(*share * 100, 1) + "% of its sides along an edge"});
    if (largest != s.admin.end()) {
        // Not cross-boundary: one unit approves it, one unit's quota pays for it.
        std::string units;
        for (const auto& a : s.admin)
            units += (units.empty() ? "" : ", ") + a.name + " " +
                     formatNumber(a.fraction * 100, 1) + "%";
        c.terms.push_back(
            {"single_unit", std::min(1.0, largest->fraction), 1,
             s.admin.size() == 1 ? "in " + largest->name + " only" : "crosses " + units});
    }
    if (!brief_.cities.empty()) {
        const std::set<std::string> wanted = requestedCityNames();
        double in = 0;
        for (const auto& a : s.admin)
            if (wanted.count(a.name)) in += a.fraction;
        c.terms.push_back({"city", std::min(1.0, in), 1, "share in the requested cities"});
    }
    for (auto& t : c.terms)
        if (const auto w = brief_.weights.find(t.name); w != brief_.weights.end())
            t.weight = w->second;
    double sum = 0, weights = 0;
    for (const auto& t : c.terms) {
        sum += t.weight * t.value;
        weights += t.weight;
    }
    c.score = weights > 0 ? sum / weights : 0;
    return c;
}

// The brief's cities as the check names admin features (label, else id): a city may be given
// by label or by id, as the free-land city filter takes it ("330100" → "杭州市").
std::set<std::string> CandidateScorer::requestedCityNames() const {
    std::set<std::string> names(brief_.cities.begin(), brief_.cities.end());
    if (const MapLayer* admin = map_.adminLayer())
        for (std::size_t i = 0; i < admin->size(); ++i) {
            const std::string label = admin->label(i), id = admin->featureId(i);
            if (names.count(label) || names.count(id)) names.insert(label.empty() ? id : label);
        }
    return names;
}

// The share of the plot's sides within kEdgeBandM of an edge of the development boundary
// (error must_be_within layers) or of a park of the project's industry.
std::optional<double> CandidateScorer::contiguity(const gis::Geometry& plot) const {
    std::vector<gis::Geometry> bands;
    gis::Envelope box = plot.envelope();
    box = {box.minx - 30, box.miny - 30, box.maxx + 30, box.maxy + 30};
    const gis::Geometry clip = orientedRectangle(box.center(), box.width(), box.height(), 0);
    bool any = false;
    for (const auto& r : map_.plan().rules) {
        if (kindOf(r).freeLand != FreeLandPart::Inside) continue;
        const bool match = r.has("match");
        if (match ? !matchValues_.count(r.id) : r.severity != Severity::Error) continue;
        any = true;
        const MapLayer& layer = *map_.layer(r.text("layer"));
        std::optional<std::size_t> f;
        if (match)
            f = layer.data().fieldIndex(
                std::get<std::map<std::string, std::string>>(r.params.at("match")).at("layer"));
        std::vector<gis::Geometry> parts;
        for (const auto j : layer.pieceIndex().query(box)) {
            const std::size_t feature = layer.pieceFeature(j);
            if (f &&
                gis::toString(layer.data().features[feature].values[*f]) != matchValues_.at(r.id))
                continue;
            gis::Geometry g = layer.piece(j).intersection(clip).polygonalPart();
            if (!g.isEmpty()) parts.push_back(std::move(g));
        }
        if (parts.empty()) continue;
        const gis::Geometry u = gis::Geometry::unionOf(parts);
        bands.push_back(u.buffer(kEdgeBandM).difference(u.buffer(-kEdgeBandM)));
    }
    if (!any) return std::nullopt;
    const auto polygons = plot.polygons();
    if (polygons.empty() || bands.empty()) return 0.0;
    const gis::Geometry ring = gis::Geometry::lineString(polygons[0][0]);
    const double along = ring.intersection(gis::Geometry::unionOf(bands)).length();
    return std::clamp(along / ring.length(), 0.0, 1.0);
}

void CandidateScorer::rank(std::vector<Candidate>& cs) {
    for (auto& a : cs) {
        a.pareto = true;
        for (const auto& b : cs) {
            if (&a == &b || a.terms.size() != b.terms.size()) continue;
            bool allAtLeast = true, oneBetter = false;
            for (std::size_t t = 0; t < a.terms.size(); ++t) {
                constexpr double kSame = 1e-9;  // equal terms, up to rounding
                allAtLeast = allAtLeast && b.terms[t].value >= a.terms[t].value - kSame;
                oneBetter = oneBetter || b.terms[t].value > a.terms[t].value + kSame;
            }
            if (allAtLeast && oneBetter) a.pareto = false;
        }
    }
    std::stable_sort(cs.begin(), cs.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    for (std::size_t i = 0; i < cs.size(); ++i) {
        cs[i].rank = static_cast<int>(i + 1);
        const std::string n = std::to_string(i + 1);
        cs[i].id = "C-" + std::string(3 - std::min<std::size_t>(3, n.size()), '0') + n;
        cs[i].check.id = cs[i].id;
    }
}

}  // namespace onemap::core
