// quota: per admin unit, the land approved projects and this site consume (farmland taken, or
// any land when no layer is named) must stay within the unit's quota in 亩, as moved between
// units by dated transfers (指标调剂).
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/phrases.hpp"
#include "onemap/core/rules/rule.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "rules/builtin_rules.hpp"
#include "rules/overlap.hpp"

namespace onemap::core {
namespace {

// The transfers table's fields: a record moves `mu` 亩 of quota from one unit to another.
constexpr const char* kFrom = "from";
constexpr const char* kTo = "to";
constexpr const char* kMu = "mu";

// One admin unit as this rule sees it on the plan's day.
struct UnitQuota {
    std::optional<double> quotaM2;  ///< NULL field: the unit states no quota
    double transferredM2 = 0;       ///< net quota moved in (negative: moved out)
    /// Land each approved project consumes in the unit (project id, m²), zero ones left out.
    std::vector<std::pair<std::string, double>> used;
};

class QuotaRule : public Rule {
  public:
    using Rule::Rule;

    void bind(const OneMap& map) const override {
        Rule::bind(map);
        const MapLayer& admin = *map.layer(spec().text("admin"));
        const std::string field = spec().text("quota_field");
        if (!admin.data().fieldIndex(field))
            fail("quota_field names field '" + field + "', which layer '" + admin.spec().id +
                 "' does not have");
        std::map<std::string, double> net;  // unit name → m² moved in
        if (const std::string id = spec().text("transfers"); !id.empty()) {
            const MapLayer& t = *map.layer(id);
            for (const char* f : {kFrom, kTo, kMu})
                if (!t.data().fieldIndex(f))
                    fail("transfers layer '" + id + "' has no field '" + f +
                         "' (each record: from, to, mu)");
            std::map<std::string, bool> names;
            for (std::size_t i = 0; i < admin.size(); ++i) names[unitName(admin, i)] = true;
            for (std::size_t i = 0; i < t.size(); ++i) {
                const auto who = [&] {
                    return "transfers layer '" + id + "' record " + t.featureId(i);
                };
                const auto mu = gis::toNumber(t.data().value(i, kMu));
                if (!mu || !std::isfinite(*mu) || *mu <= 0)
                    fail(who() + ": mu must be a positive number of 亩");
                const std::string from = gis::toString(t.data().value(i, kFrom));
                const std::string to = gis::toString(t.data().value(i, kTo));
                for (const auto& unit : {from, to})
                    if (!names.count(unit))
                        fail(who() + ": '" + unit + "' is not a unit of layer '" + admin.spec().id +
                             "'");
                if (from == to) fail(who() + ": moves quota from '" + from + "' to itself");
                net[from] -= *mu * gis::kSquareMetresPerMu;
                net[to] += *mu * gis::kSquareMetresPerMu;
            }
        }
        const std::lock_guard lock(mutex_);
        transferredM2_ = std::move(net);
        used_.clear();
    }

    [[nodiscard]] RuleResult evaluate(const SiteContext& ctx) const override {
        RuleResult r = result();
        const MapLayer& admin = *ctx.map.layer(spec().text("admin"));
        const std::string layerId = spec().text("layer");
        const MapLayer* land = layerId.empty() ? nullptr : ctx.map.layer(layerId);

        // The units the site lies in, and what it consumes in each.
        struct Share {
            std::size_t unit;
            double thisM2;
        };
        std::vector<Share> shares;
        // The site's overlap with the units, by the shared overlap path: units are big
        // polygons, so their indexed pieces (and moments, where units do not overlap) spare
        // an overlay of the site with a whole city boundary. Units come ascending.
        const Overlap inUnits = computeOverlap(ctx, admin);
        for (const std::size_t unit : inUnits.features) {
            const auto ofUnit = [unit](const OverlapPart& p) { return p.feature == unit; };
            const double m2 = areaOfParts(ctx, inUnits, ofUnit);
            if (m2 < kNoiseFloorM2) continue;
            if (!land) {
                shares.push_back({unit, m2});
                continue;
            }
            // What the site takes of the land layer inside the unit needs that part's shape.
            const gis::Geometry inUnit =
                inUnits.fromMoments
                    ? ctx.site.geometry.intersection(admin.geometry(unit)).polygonalPart()
                    : partsUnion(inUnits, ofUnit);
            shares.push_back({unit, consumed(inUnit, land, ctx.measure)});
        }
        if (shares.empty()) {
            r.passed = false;
            r.summary = fill(phrase::quotaNoUnit, {Wording::same(admin.spec().id)});
            r.measures = {Measure::text("unit", phrase::mUnit, "")};
            return r;
        }

        // Each unit the site lies in; the one that decides is, among those where the site
        // consumes land, the one left with least (else the first).
        struct Outcome {
            std::string unit;
            UnitQuota quota;
            double usedM2 = 0;
            double thisM2 = 0;
            double remainingM2 = 0;
            [[nodiscard]] bool consumes() const { return thisM2 >= kNoiseFloorM2; }
        };
        std::vector<Outcome> outcomes;
        std::vector<std::string> counted;
        for (const auto& s : shares) {
            Outcome o{unitName(admin, s.unit), unitQuota(ctx, admin, s.unit, land), 0, s.thisM2, 0};
            for (const auto& [project, m2] : o.quota.used)
                if (project != ctx.site.id) {  // a re-check of an approved project: not twice
                    o.usedM2 += m2;
                    counted.push_back(project);
                }
            o.remainingM2 =
                o.quota.quotaM2.value_or(0) + o.quota.transferredM2 - o.usedM2 - o.thisM2;
            outcomes.push_back(std::move(o));
        }
        const auto decides = [](const Outcome& a, const Outcome& b) {
            if (a.consumes() != b.consumes()) return a.consumes();
            return a.consumes() && a.remainingM2 < b.remainingM2;
        };
        const Outcome& o = *std::min_element(outcomes.begin(), outcomes.end(), decides);
        r.passed = std::none_of(outcomes.begin(), outcomes.end(), [](const Outcome& x) {
            return x.consumes() && (!x.quota.quotaM2 || x.remainingM2 < -kNoiseFloorM2);
        });
        r.measures = {
            Measure::text("unit", phrase::mUnit, o.unit),
            o.quota.quotaM2 ? Measure::area("quota_m2", phrase::mQuota, *o.quota.quotaM2, true)
                            : Measure::plain("quota_m2", phrase::mQuota, gis::Value{}),
            Measure::area("transferred_m2", phrase::mTransferred, o.quota.transferredM2, true),
            Measure::area("used_m2", phrase::mUsed, o.usedM2, true),
            Measure::area("this_m2", phrase::mThisSite, o.thisM2, true),
            Measure::area("remaining_m2", phrase::mRemaining, o.remainingM2, true)};
        if (outcomes.size() > 1) {
            std::vector<std::pair<std::string, double>> byUnit, thisByUnit;
            for (const auto& x : outcomes) {
                byUnit.emplace_back(x.unit, x.remainingM2);
                thisByUnit.emplace_back(x.unit, x.thisM2);
            }
            r.measures.push_back(
                Measure::byClass("remaining_by_m2", phrase::mRemainingByUnit, byUnit));
            // What the site draws in each unit: an approval adds a batch's draws up per unit.
            r.measures.push_back(Measure::byClass("this_by_m2", phrase::mThisByUnit, thisByUnit));
        }
        std::sort(counted.begin(), counted.end());
        counted.erase(std::unique(counted.begin(), counted.end()), counted.end());
        r.measures.push_back(Measure::list("features", phrase::mApprovedProjects, counted));
        r.features = std::move(counted);
        r.summary = o.consumes() ? summary(o.unit, o.quota, o.usedM2, o.thisM2, o.remainingM2)
                    : land       ? fill(phrase::quotaNoLandOfLayer, {Wording::same(layerId)})
                                 : phrase::quotaNoLand;
        return r;
    }

  private:
    static std::string unitName(const MapLayer& admin, std::size_t i) {
        std::string name = admin.label(i);
        return name.empty() ? admin.featureId(i) : name;
    }

    static gis::Geometry partsUnion(const Overlap& overlap,
                                    const std::function<bool(const OverlapPart&)>& pick) {
        std::vector<gis::Geometry> picked;
        for (const auto& p : overlap.parts)
            if (pick(p)) picked.push_back(p.geometry);
        return picked.size() == 1 ? picked.front() : gis::Geometry::unionOf(picked);
    }

    // The land `g` (already inside one unit) consumes: its overlap with the layer, shared
    // ground counted once, or all of it without a layer. Ellipsoidal m².
    static double consumed(const gis::Geometry& g, const MapLayer* land,
                           const gis::EllipsoidalMeasure& measure) {
        if (g.isEmpty()) return 0;
        if (!land) return measure.area(g);
        std::vector<gis::Geometry> parts;
        land->index().query(g.envelope(), [&](std::size_t i) {
            if (!g.intersects(land->geometry(i))) return;
            gis::Geometry p = g.intersection(land->geometry(i)).polygonalPart();
            if (!p.isEmpty()) parts.push_back(std::move(p));
        });
        if (parts.empty()) return 0;
        const double m2 = measure.area(gis::Geometry::unionOf(parts));
        return m2 < kNoiseFloorM2 ? 0 : m2;
    }

    // A unit's quota, transfers and approved use: the same for every site, computed once.
    UnitQuota unitQuota(const SiteContext& ctx, const MapLayer& admin, std::size_t unit,
                        const MapLayer* land) const {
        {
            const std::lock_guard lock(mutex_);
            if (const auto it = used_.find(unit); it != used_.end()) return it->second;
        }
        UnitQuota q;
        if (const auto mu = gis::toNumber(admin.data().value(unit, spec().text("quota_field"))))
            q.quotaM2 = *mu * gis::kSquareMetresPerMu;
        {
            const std::lock_guard lock(mutex_);
            if (const auto it = transferredM2_.find(unitName(admin, unit));
                it != transferredM2_.end())
                q.transferredM2 = it->second;
        }
        if (const std::string id = spec().text("register"); !id.empty()) {
            const MapLayer& reg = *ctx.map.layer(id);
            const gis::Geometry& area = admin.geometry(unit);
            reg.index().query(area.envelope(), [&](std::size_t i) {
                if (!area.intersects(reg.geometry(i))) return;
                const gis::Geometry inUnit = reg.geometry(i).intersection(area).polygonalPart();
                if (const double m2 = consumed(inUnit, land, ctx.measure); m2 > 0)
                    q.used.emplace_back(reg.featureId(i), m2);
            });
        }
        const std::lock_guard lock(mutex_);
        used_.emplace(unit, q);
        return q;
    }

    static Wording summary(const std::string& unit, const UnitQuota& q, double usedM2,
                           double thisM2, double remaining) {
        const auto mu = [](double m2) {
            return Wording::same(formatNumber(gis::toMu(m2), 2) + " 亩");
        };
        if (!q.quotaM2) return fill(phrase::quotaNotStated, {Wording::same(unit), mu(thisM2)});
        Wording s = fill(phrase::quotaHead, {Wording::same(unit), mu(*q.quotaM2)});
        if (q.transferredM2 != 0)
            s +=
                fill(q.transferredM2 > 0 ? phrase::quotaTransferredIn : phrase::quotaTransferredOut,
                     {mu(std::abs(q.transferredM2))});
        s += fill(phrase::quotaTail, {mu(usedM2), Wording::same(std::to_string(q.used.size())),
                                      mu(thisM2), mu(remaining)});
        return s;
    }

    mutable std::mutex mutex_;
    mutable std::map<std::string, double> transferredM2_;
    mutable std::map<std::size_t, UnitQuota> used_;
};

}  // namespace

RuleKind quotaKind() {
    RuleKind k;
    k.name = "quota";
    k.label = phrase::kindQuota;
    k.help = "per admin unit, land used by approved projects plus the site stays within quota";
    k.layerGeometry = gis::GeometryKind::Polygon;
    k.params = {
        {"layer",
         ParamType::Layer,
         false,
         std::nullopt,
         "the land consumed (e.g. farmland); absent: the site's whole area",
         {}},
        {"admin", ParamType::Layer, true, std::nullopt, "the layer of units holding quotas", {}},
        {"quota_field",
         ParamType::Field,
         true,
         std::nullopt,
         "field of the admin layer: the unit's quota in 亩",
         {}},
        {"register",
         ParamType::Layer,
         false,
         std::nullopt,
         "layer of approved projects (with date_field, as of the plan's day)",
         {}},
        {"transfers",
         ParamType::Layer,
         false,
         std::nullopt,
         "table of quota moved between units: from, to, mu (with date_field)",
         {}}};
    k.create = [](const RuleSpec& s) { return std::make_unique<QuotaRule>(s); };
    k.drawsOnQuota = true;
    return k;
}

}  // namespace onemap::core
