#include "onemap/core/find/site_finder.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "find/candidate_scorer.hpp"
#include "find/park_cover.hpp"
#include "find/plot_placer.hpp"
#include "find/setback_floor.hpp"
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
        : map_(std::move(map)), plan_(map_->plan()), brief_(brief), floor_(*map_) {}

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
        parks_ = parkCover();
        out.freeLand = computeFreeLand(*map_, query_, feedback);
        freeLand_ = &out.freeLand.geometry;
        for (const auto& n : out.freeLand.notes) out.notes.push_back(n);
        if (!floor_.describe().empty())
            out.notes.push_back("plots are kept at least " + floor_.describe());
        if (parks_.layer())
            out.notes.push_back("plots lie wholly inside one park or wholly outside every park (" +
                                parks_.layer()->spec().id + ")");
        PlotRequest request;
        request.areaM2 = brief_.areaM2;
        request.maxAspect = brief_.maxAspect;
        request.minWidthM = brief_.minWidthM;
        request.roomM = kNeighbourhoodM;
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
            if (brief_.anyPark) {  // industry matching ignored: the rule is not checked
                if (m.rule->severity == Severity::Error)
                    throw InputError("--any-park: rule '" + m.rule->id + "' (" + m.rule->title +
                                     ") is an error rule: the plan requires the industry's "
                                     "parks; give --industry");
                continue;
            }
            std::string value;
            if (const auto it = brief_.attributes.find(m.siteField); it != brief_.attributes.end())
                value = gis::toString(it->second);
            else if (!brief_.industry.empty())
                value = layerValueFor(*map_->layer(m.rule->text("layer")), m.layerField,
                                      brief_.industry);
            if (value.empty()) continue;
            requireMatched(m, value);
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
                out.notes.push_back(
                    "rule '" + r.id + "' (" + r.title + ") not checked: " +
                    (brief_.anyPark ? "any_park (--any-park): industry matching ignored, any park "
                                      "counts for the park term"
                                    : "no industry given"));
            }
            if (checked) out.rulesChecked.push_back(r.id);
        }
        siteFields_ = fields;
    }

    // An industry no park has is an input problem (a typo, or a park the plan lacks): one
    // line naming the industries the plan knows, codes with their names.
    void requireMatched(const MatchRule& m, const std::string& value) const {
        const MapLayer& layer = *map_->layer(m.rule->text("layer"));
        const auto field = layer.data().fieldIndex(m.layerField);
        if (!field) return;
        std::map<std::string, std::string> known;  // code → name
        const auto names = nameField(layer, *field);
        for (const auto& f : layer.data().features) {
            const std::string code = gis::toString(f.values[*field]);
            if (code == value) return;
            known[code] = names ? gis::toString(f.values[*names]) : "";
        }
        std::string list;
        for (const auto& [code, name] : known)
            list += (list.empty() ? "" : ", ") + code + (name.empty() ? "" : " " + name);
        throw InputError((brief_.path.empty() ? std::string("find") : brief_.path) + ": no park (" +
                         layer.spec().id + "." + m.layerField + ") has industry '" + value +
                         "'; the plan knows: " + list + "; or use --any-park");
    }

    // The field naming each industry: text that is the same on every park of a code and
    // differs between codes; a field named after the match field first (industry_cn).
    static std::optional<std::size_t> nameField(const MapLayer& layer, std::size_t code) {
        const auto& data = layer.data();
        std::optional<std::size_t> best;
        for (std::size_t k = 0; k < data.fields.size(); ++k) {
            if (k == code || data.fields[k].type != gis::FieldType::String) continue;
            std::map<std::string, std::string> byCode;
            std::set<std::string> names;
            bool ok = true;
            for (const auto& f : data.features) {
                const std::string c = gis::toString(f.values[code]), n = gis::toString(f.values[k]);
                const auto [it, fresh] = byCode.emplace(c, n);
                ok = ok && !n.empty() && (fresh ? names.insert(n).second : it->second == n);
            }
            if (!ok) continue;
            if (data.fields[k].name.rfind(data.fields[code].name, 0) == 0) return k;
            if (!best) best = k;
        }
        return best;
    }

    // The parks a plot must lie wholly in or wholly out of: the first match rule's layer.
    [[nodiscard]] ParkCover parkCover() const {
        for (const auto& m : matchRules(plan_)) {
            const MapLayer* layer = map_->layer(m.rule->text("layer"));
            if (!layer) continue;
            const auto value = query_.matchValues.find(m.rule->id);
            return ParkCover(layer, layer->data().fieldIndex(m.layerField),
                             value == query_.matchValues.end()
                                 ? std::nullopt
                                 : std::optional<std::string>(value->second));
        }
        return {};
    }

    [[nodiscard]] std::vector<Pick> select(const std::vector<Placement>& plots,
                                           std::size_t want) const {
        const MapLayer* admin = map_->adminLayer();
        const CandidateScorer score = scorer();
        const RuleSpec* reach = score.stationRule();
        const auto [full, zero] = score.stationBand();
        const bool parkTerm = score.scoresPark();
        std::vector<Pick> all;
        for (const auto& p : plots) {
            // Hard: off the rail and stations by the setback; in one park or out of all.
            if (!floor_.clear(p.geometry)) continue;
            const ParkCover::Result in = parks_.of(p.geometry);
            if (in.fit == ParkCover::Fit::Across) continue;
            Pick pick{p,
                      weight("compactness") * 4 * p.aspect / ((1 + p.aspect) * (1 + p.aspect)) +
                          weight("contiguity") * (p.roomy ? 1 : 0.5) +
                          (parkTerm && in.matches ? weight("park") : 0),
                      ""};
            const gis::Geometry centre = gis::Geometry::point(p.center.x, p.center.y);
            if (admin)
                for (const auto j : admin->pieceIndex().query(centre.envelope()))
                    if (admin->piece(j).covers(centre)) {
                        pick.group = admin->featureId(admin->pieceFeature(j));
                        break;
                    }
            pick.group += "|" + in.park;
            if (reach) {
                const MapLayer& layer = *map_->layer(reach->text("layer"));
                std::size_t j = 0;
                double d = 0;
                if (layer.pieceIndex().nearest(
                        centre.envelope(),
                        [&](std::size_t k) { return p.geometry.distance(layer.piece(k)); }, j, d))
                    pick.prelim += weight("station") * stationAccess(d, full, zero);
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
        return CandidateScorer(*map_, brief_, query_.matchValues, parks_,
                               freeLand_ ? *freeLand_ : noLand_);
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
    SetbackFloor floor_;
    ParkCover parks_;
    const gis::Geometry* freeLand_ = nullptr;
    gis::Geometry noLand_;
};

}  // namespace

SiteFinder::SiteFinder(std::shared_ptr<const OneMap> map, ProjectBrief brief)
    : map_(std::move(map)), brief_(std::move(brief)) {}

FindResult SiteFinder::find(Feedback* feedback) const { return Search(map_, brief_).run(feedback); }

}  // namespace onemap::core
