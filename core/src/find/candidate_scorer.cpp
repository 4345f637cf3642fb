#include "find/candidate_scorer.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "find/setback_floor.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/crs/geodesic.hpp"

namespace onemap::core {
namespace {

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

double stationAccess(double d, double fullM, double zeroM) {
    if (d <= fullM) return 1;
    if (d >= zeroM) return 0;
    return (zeroM - d) / (zeroM - fullM);
}

const RuleSpec* CandidateScorer::stationRule() const { return stationRuleOf(map_); }

std::pair<double, double> CandidateScorer::stationBand() const {
    const RuleSpec* st = stationRule();
    const double zero = brief_.stationZeroM > 0 ? brief_.stationZeroM
                        : st                    ? st->number("distance_m")
                                                : 0;
    return {std::min(brief_.stationFullM, zero), zero};
}

bool CandidateScorer::scoresPark() const {
    if (!parks_.layer()) return false;
    if (brief_.anyPark) return true;
    for (const auto& m : matchRules(map_.plan()))
        if (matchValues_.count(m.rule->id)) return true;
    return false;
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
            const auto [full, zero] = stationBand();
            const double v = c.nearestM ? stationAccess(*c.nearestM, full, zero) : 0;
            c.terms.push_back({"station", v, 1,
                               (c.nearestM ? c.nearest + " " + formatNumber(*c.nearestM, 0) + " m"
                                           : std::string("none")) +
                                   " (1 within " + formatNumber(full, 0) + " m, 0 from " +
                                   formatNumber(zero, 0) + " m)"});
        }
    }
    if (scoresPark()) {
        const ParkCover::Result in = parks_.of(s.geometry);
        std::string industry = "any park";
        for (const auto& m : matchRules(map_.plan()))
            if (const auto v = matchValues_.find(m.rule->id);
                v != matchValues_.end() && !brief_.anyPark) {
                industry = "a park of " + v->second;
                break;
            }
        if (in.matches) c.park = in.park;
        c.terms.push_back(
            {"park", in.matches ? 1.0 : 0.0, 1,
             in.matches ? "wholly in " + in.park
                        : "not in " + industry +
                              (in.fit == ParkCover::Fit::Inside ? " (in " + in.park + ")" : "")});
    }
    const double compact = compactness(s.geometry);
    c.terms.push_back({"compactness", compact, 1, "square = 1"});
    const double share = contiguity(s.geometry);
    c.terms.push_back({"contiguity", share, 1,
                       formatNumber(share * 100, 1) + "% of the " +
                           formatNumber(kNeighbourhoodM, 0) +
                           " m around it is buildable (free land or approved projects)"});
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

// 集中连片: the share of a ring kNeighbourhoodM wide around the plot that is buildable — free
// land, or land already given to projects (the register of a quota rule). 1 for a plot among
// buildable land, wherever in it; a plot against farmland, red line, rail or the development
// boundary scores less: an edge is never a gain.
double CandidateScorer::contiguity(const gis::Geometry& plot) const {
    const gis::Geometry grown = plot.buffer(kNeighbourhoodM, 8);
    const gis::Geometry ring = grown.difference(plot);
    const double ringArea = ring.area();
    if (ringArea <= 0) return 0;
    const gis::Envelope box = grown.envelope();
    std::vector<gis::Geometry> parts;
    if (!freeLand_.isEmpty()) {
        gis::Geometry free = freeLand_.clipToRect(box).intersection(ring).polygonalPart();
        if (!free.isEmpty()) parts.push_back(std::move(free));
    }
    for (const auto& r : map_.plan().rules) {
        const std::string registerId = r.text("register");
        const MapLayer* layer = registerId.empty() ? nullptr : map_.layer(registerId);
        if (!layer) continue;
        for (const auto j : layer->pieceIndex().query(box)) {
            gis::Geometry g = layer->piece(j).intersection(ring).polygonalPart();
            if (!g.isEmpty()) parts.push_back(std::move(g));
        }
    }
    if (parts.empty()) return 0;
    return std::clamp(gis::Geometry::unionOf(parts).area() / ringArea, 0.0, 1.0);
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
