#include "onemap/core/find/site_finder.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "find/candidate_scorer.hpp"
#include "find/plot_placer.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::core {
namespace {

// The value the layer's match field holds for the project's industry: as given, or — when no
// feature holds it there — the match value of the features naming it in another field
// (集成电路 → ic).
std::string layerValueFor(const MapLayer& layer, const std::string& field,
                          const std::string& given) {
    const auto f = layer.data().fieldIndex(field);
    if (!f || given.empty()) return given;
    std::set<std::string> translated;
    for (const auto& feature : layer.data().features) {
        if (gis::toString(feature.values[*f]) == given) return given;
        for (const auto& v : feature.values)
            if (std::holds_alternative<std::string>(v) && std::get<std::string>(v) == given)
                translated.insert(gis::toString(feature.values[*f]));
    }
    return translated.size() == 1 ? *translated.begin() : given;
}

struct Pick {
    Placement placement;
    double prelim = 0;
    std::string group;  ///< admin feature and park at its centre
};

class Search {
  public:
    Search(std::shared_ptr<const OneMap> map, const ProjectBrief& brief)
        : map_(std::move(map)), plan_(map_->plan()), brief_(brief) {}

    FindResult run(Feedback* feedback) {
        brief_.validate(brief_.path.empty() ? "find" : brief_.path);
        FindResult out;
        out.planName = plan_.name;
        out.lang = plan_.language;
        out.planPath = plan_.path;
        out.crs = plan_.crsText;
        if (plan_.hasVersions()) {  // the day and the versions, as every output names them
            out.asOf = plan_.asOf;
            for (const auto& l : plan_.layers)
                if (l.inForce) out.versions.push_back({l.id, l.inForce->from, l.inForce->doc});
            out.notes.insert(out.notes.end(), plan_.notes.begin(), plan_.notes.end());
        }
        out.brief = brief_;
        chooseRules(out);
        out.siteFields = siteFields_;
        out.freeLand = computeFreeLand(*map_, query_, feedback);
        for (const auto& n : out.freeLand.notes) out.notes.push_back(n);
        PlotRequest request;
        request.areaM2 = brief_.areaM2;
        request.maxAspect = brief_.maxAspect;
        request.minWidthM = brief_.minWidthM;
        request.edges = parkEdges();
        const auto plots = placePlots(out.freeLand.geometry, plan_.crs, request);
        out.plotsTried = plots.size();
        const auto picked = select(plots, static_cast<std::size_t>(brief_.count) * 2 + 2);
        std::size_t failed = 0;
        std::set<std::string> failedRules;
        if (!picked.empty()) {
            const Report report = check(picked);
            for (std::size_t i = 0; i < report.sites.size(); ++i) {
                const SiteReport& s = report.sites[i];
                if (s.verdict() == Verdict::Fail || s.verdict() == Verdict::Unchecked) {
                    ++failed;
                    for (const auto& r : s.rules)
                        if (r.verdict() == Verdict::Fail) failedRules.insert(r.ruleId);
                    continue;
                }
                if (out.candidates.size() < static_cast<std::size_t>(brief_.count))
                    out.candidates.push_back(scorer().score(s));
            }
        }
        CandidateScorer::rank(out.candidates);
        out.binding = binding(out, picked.size(), failed, failedRules);
        if (out.candidates.empty() && failed == 0) out.relaxation = relaxation(out, feedback);
        if (failed > 0 && out.binding.empty())
            out.notes.push_back(failedText(failed, failedRules) + "; others took their place");
        return out;
    }

  private:
    void chooseRules(FindResult& out) {
        query_.cities = brief_.cities;
        // Numbers are carried as reals (the field type the layer declares for them).
        std::map<std::string, gis::Value> fields;
        for (const auto& [name, v] : brief_.attributes) {
            const auto n = gis::toNumber(v);
            fields[name] = std::holds_alternative<std::string>(v) || !n ? v : gis::Value{*n};
        }
        for (const auto& m : matchRules(plan_)) {
            std::string value;
            if (const auto it = brief_.attributes.find(m.siteField); it != brief_.attributes.end())
                value = gis::toString(it->second);
            else if (!brief_.industry.empty())
                value = layerValueFor(*map_->layer(m.rule->text("layer")), m.layerField,
                                      brief_.industry);
            if (value.empty()) continue;
            noteUnmatched(m, value, out);
            query_.matchValues[m.rule->id] = value;
            fields[m.siteField] = value;
        }
        for (const auto& r : plan_.rules) {
            bool checked = true;
            if (const auto field = siteField(r); field && !fields.count(*field)) {
                checked = false;
                out.notes.push_back("rule '" + r.id + "' (" + r.title +
                                    ") not checked: the brief "
                                    "gives no '" +
                                    *field + "' in [attributes]");
            }
            if (r.has("match") && !query_.matchValues.count(r.id)) {
                checked = false;  // an error rule makes free land throw: the value is needed
                out.notes.push_back("rule '" + r.id + "' (" + r.title +
                                    ") not checked: no industry given");
            }
            if (checked) out.rulesChecked.push_back(r.id);
        }
        siteFields_ = fields;
    }

    // Says so when no feature of the match layer holds the project's value (a typo, or an
    // industry the plan has no park for), naming the values it has.
    void noteUnmatched(const MatchRule& m, const std::string& value, FindResult& out) const {
        const MapLayer& layer = *map_->layer(m.rule->text("layer"));
        const auto field = layer.data().fieldIndex(m.layerField);
        if (!field) return;
        std::set<std::string> have;
        for (const auto& f : layer.data().features) have.insert(gis::toString(f.values[*field]));
        if (have.count(value)) return;
        std::string list;
        for (const auto& h : have) list += (list.empty() ? "" : ", ") + h;
        out.notes.push_back("rule '" + m.rule->id + "': no feature of layer '" + layer.spec().id +
                            "' has " + m.layerField + " '" + value + "' (they have: " + list + ")");
    }

    [[nodiscard]] std::vector<Pick> select(const std::vector<Placement>& plots,
                                           std::size_t want) const {
        const MapLayer* admin = map_->adminLayer();
        const MapLayer* park = nullptr;
        std::function<bool(std::size_t)> acceptPark;
        for (const auto& m : matchRules(plan_)) {
            const auto it = query_.matchValues.find(m.rule->id);
            if (it == query_.matchValues.end()) continue;
            park = map_->layer(m.rule->text("layer"));
            const auto f = *park->data().fieldIndex(m.layerField);
            acceptPark = [park, f, want = it->second](std::size_t i) {
                return gis::toString(park->data().features[i].values[f]) == want;
            };
            break;
        }
        const RuleSpec* reach = scorer().stationRule();
        std::vector<Pick> all;
        for (const auto& p : plots) {
            Pick pick{p,
                      weight("compactness") * 4 * p.aspect / ((1 + p.aspect) * (1 + p.aspect)) +
                          (p.alongEdge ? weight("contiguity") / 4 : 0),
                      ""};
            const gis::Geometry centre = gis::Geometry::point(p.center.x, p.center.y);
            const auto featureAt = [&](const MapLayer& layer,
                                       const std::function<bool(std::size_t)>& accept) {
                for (const auto j : layer.pieceIndex().query(centre.envelope()))
                    if ((!accept || accept(layer.pieceFeature(j))) && layer.piece(j).covers(centre))
                        return layer.featureId(layer.pieceFeature(j));
                return std::string();
            };
            if (admin) pick.group = featureAt(*admin, {});
            if (park) {
                pick.group += "|" + featureAt(*park, acceptPark);
                // The share of its centre and corners inside a park of the industry.
                auto points = p.geometry.polygons().at(0).at(0);
                points.back() = p.center;
                double inside = 0;
                for (const auto& q : points) {
                    const gis::Geometry at = gis::Geometry::point(q.x, q.y);
                    for (const auto j : park->pieceIndex().query(at.envelope()))
                        if (acceptPark(park->pieceFeature(j)) && park->piece(j).covers(at)) {
                            inside += 1.0 / static_cast<double>(points.size());
                            break;
                        }
                }
                pick.prelim += weight("park") * inside;
            }
            if (reach) {
                const MapLayer& layer = *map_->layer(reach->text("layer"));
                std::size_t j = 0;
                double d = 0;
                if (layer.pieceIndex().nearest(
                        centre.envelope(),
                        [&](std::size_t k) { return centre.distance(layer.piece(k)); }, j, d))
                    pick.prelim += weight("station") * nearness(d, reach->number("distance_m"));
            }
            all.push_back(std::move(pick));
        }
        std::stable_sort(all.begin(), all.end(),
                         [](const Pick& a, const Pick& b) { return a.prelim > b.prelim; });
        // Spread: first one plot per place (city and park), far apart; then far apart; then
        // any that overlaps none already taken.
        const double apart = 3 * std::sqrt(brief_.areaM2);
        std::vector<Pick> out;
        std::set<std::string> groups;
        std::vector<bool> taken(all.size(), false);
        for (int pass = 0; pass < 3 && out.size() < want; ++pass) {
            for (std::size_t i = 0; i < all.size() && out.size() < want; ++i) {
                if (taken[i] || (pass == 0 && groups.count(all[i].group))) continue;
                const Placement& p = all[i].placement;
                bool ok = true;
                for (const auto& q : out) {
                    const double dx = p.center.x - q.placement.center.x;
                    const double dy = p.center.y - q.placement.center.y;
                    if ((pass < 2 && std::hypot(dx, dy) < apart) ||
                        (p.geometry.envelope().intersects(q.placement.geometry.envelope()) &&
                         p.geometry.intersects(q.placement.geometry))) {
                        ok = false;
                        break;
                    }
                }
                if (!ok) continue;
                taken[i] = true;
                groups.insert(all[i].group);
                out.push_back(all[i]);
            }
        }
        return out;
    }

    [[nodiscard]] Report check(const std::vector<Pick>& picks) const {
        gis::VectorLayer layer;
        layer.name = "find candidates";
        layer.crs = plan_.crs;
        layer.geometryType = "Polygon";
        layer.fields.push_back({"id", gis::FieldType::String});
        for (const auto& [name, v] : siteFields_)
            layer.fields.push_back({name, std::holds_alternative<std::string>(v)
                                              ? gis::FieldType::String
                                              : gis::FieldType::Real});
        for (std::size_t i = 0; i < picks.size(); ++i) {
            gis::Feature f;
            f.fid = static_cast<std::int64_t>(i + 1);
            f.values.resize(layer.fields.size());
            f.values[0] = "P-" + std::to_string(i + 1);
            std::size_t k = 1;
            for (const auto& field : siteFields_) f.values[k++] = field.second;
            f.geometry = picks[i].placement.geometry;
            layer.features.push_back(std::move(f));
        }
        const SiteSet sites = SiteSet::fromGeometries(std::move(layer), plan_.crs, {});
        ComplianceEngine engine(map_, rulesToCheck());
        engine.setConflictGeometries(false);
        return engine.run(sites);
    }

    [[nodiscard]] std::vector<std::string> rulesToCheck() const {
        std::vector<std::string> ids;
        for (const auto& r : plan_.rules)
            if (const auto field = siteField(r);
                !(field && !siteFields_.count(*field)) &&
                !(r.has("match") && !query_.matchValues.count(r.id)))
                ids.push_back(r.id);
        return ids;
    }

    // The site field a rule reads (an attribute rule's), if its kind reads one.
    [[nodiscard]] static std::optional<std::string> siteField(const RuleSpec& r) {
        const std::string& param = RuleRegistry::instance().kind(r.kind).siteFieldParam;
        if (param.empty()) return std::nullopt;
        return r.text(param);
    }

    [[nodiscard]] CandidateScorer scorer() const {
        return CandidateScorer(*map_, brief_, query_.matchValues);
    }

    [[nodiscard]] double weight(const std::string& term) const {
        const auto it = brief_.weights.find(term);
        return it == brief_.weights.end() ? 1.0 : it->second;
    }

    // The outer rings of the parks of the project's industry: plots may lie along them.
    [[nodiscard]] std::vector<std::vector<gis::Point>> parkEdges() const {
        std::vector<std::vector<gis::Point>> rings;
        for (const auto& m : matchRules(plan_)) {
            const auto value = query_.matchValues.find(m.rule->id);
            if (value == query_.matchValues.end()) continue;
            const MapLayer& layer = *map_->layer(m.rule->text("layer"));
            const auto field = layer.data().fieldIndex(m.layerField);
            for (std::size_t i = 0; field && i < layer.size(); ++i)
                if (gis::toString(layer.data().features[i].values[*field]) == value->second)
                    for (const auto& polygon : layer.geometry(i).polygons())
                        if (!polygon.empty()) rings.push_back(polygon[0]);
        }
        return rings;
    }

    // When free land holds no plot: the constraint that cut most, relaxed (a distance rule
    // half as far again, any other left out), and what free land that would give.
    [[nodiscard]] std::string relaxation(const FindResult& out, Feedback* feedback) const {
        const auto& steps = out.freeLand.steps;
        const FreeLandStep* cut = nullptr;
        double least = 1;
        for (std::size_t i = 1; i < steps.size(); ++i) {
            const double before = steps[i - 1].areaM2;
            const double kept = before > 0 ? steps[i].areaM2 / before : 1;
            if (kept < least) {
                least = kept;
                cut = &steps[i];
            }
        }
        const RuleSpec* rule = cut ? plan_.rule(cut->constraint) : nullptr;
        if (!rule) return "";
        FreeLandQuery relaxed = query_;
        std::string what;
        if (RuleRegistry::instance().kind(rule->kind).freeLand == FreeLandPart::Reach) {
            const double d = rule->number("distance_m") * 1.5;
            relaxed.distanceM[rule->id] = d;
            what = "within " + formatNumber(d, 0) + " m instead of " +
                   formatNumber(rule->number("distance_m"), 0) + " m (rule '" + rule->id + "')";
        } else {
            relaxed.withoutRules.insert(rule->id);
            what = "without rule '" + rule->id + "' (" + rule->title + ")";
        }
        const FreeLand land = computeFreeLand(*map_, relaxed, feedback);
        std::size_t pieces = 0;  // pieces big enough to hold the plot, by their planar area
        for (std::size_t i = 0; i < land.geometry.numParts(); ++i)
            pieces += land.geometry.part(i).area() >= brief_.areaM2 ? 1 : 0;
        return what + ": free land " + describeArea(land.areaM2) + ", largest piece " +
               describeArea(land.largestPieceM2) + ", " + std::to_string(pieces) +
               " piece(s) of at least " + describeArea(brief_.areaM2);
    }

    static std::string failedText(std::size_t failed, const std::set<std::string>& rules) {
        std::string ids;
        for (const auto& r : rules) ids += (ids.empty() ? "" : ", ") + r;
        return std::to_string(failed) + " plot(s) laid on free land failed the check (" + ids + ")";
    }

    [[nodiscard]] std::string binding(const FindResult& out, std::size_t picked, std::size_t failed,
                                      const std::set<std::string>& failedRules) const {
        const auto want = static_cast<std::size_t>(brief_.count);
        if (out.candidates.size() >= want) return "";
        const std::string area = describeArea(brief_.areaM2);
        std::string why;
        if (const FreeLandStep* e = out.freeLand.emptiedBy()) {
            why = "no free land: nothing is left after " +
                  (e->kind == "admin" || e->kind == "extent"
                       ? std::string("the admin layer") + (brief_.cities.empty() ? "" : " (cities)")
                       : "rule '" + e->constraint + "' (" + e->title + ", " + e->kind + ")");
        } else if (out.plotsTried == 0) {
            why = "no plot of " + area + " fits: the largest free piece is " +
                  describeArea(out.freeLand.largestPieceM2);
            if (out.freeLand.largestPieceM2 >= brief_.areaM2)
                why +=
                    ", but no compact plot (aspect ≤ " + formatNumber(brief_.maxAspect, 1) +
                    (brief_.minWidthM > 0 ? ", width ≥ " + formatNumber(brief_.minWidthM, 0) + " m"
                                          : std::string()) +
                    ") fits in it";
        } else if (picked < want) {
            why = "only " + std::to_string(picked) + " separate plot(s) of " + area +
                  " fit on the free land";
        }
        if (failed > 0)
            why += std::string(why.empty() ? "" : "; ") + failedText(failed, failedRules);
        return why;
    }

    std::shared_ptr<const OneMap> map_;
    const Plan& plan_;
    ProjectBrief brief_;
    FreeLandQuery query_;
    std::map<std::string, gis::Value> siteFields_;
};

}  // namespace

SiteFinder::SiteFinder(std::shared_ptr<const OneMap> map, ProjectBrief brief)
    : map_(std::move(map)), brief_(std::move(brief)) {}

FindResult SiteFinder::find(Feedback* feedback) const { return Search(map_, brief_).run(feedback); }

}  // namespace onemap::core
