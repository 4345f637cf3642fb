#include "onemap/core/check/report.hpp"

#include <algorithm>

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/phrases.hpp"
#include "onemap/gis/crs/area_units.hpp"

namespace onemap::core {

const char* toString(Verdict v) {
    switch (v) {
        case Verdict::Pass:
            return "pass";
        case Verdict::Warn:
            return "warn";
        case Verdict::Unchecked:
            return "unchecked";
        default:
            return "fail";
    }
}

Verdict SiteReport::verdict() const {
    if (!error.empty()) return Verdict::Unchecked;
    Verdict worst = Verdict::Pass;
    for (const auto& r : rules)
        if (r.checked()) worst = std::max(worst, r.verdict());
    return worst;
}

bool SiteReport::partial() const {
    if (!error.empty()) return false;
    return rulesLeftOut || std::any_of(rules.begin(), rules.end(),
                                       [](const RuleResult& r) { return !r.checked(); });
}

std::size_t Report::count(Verdict v) const {
    std::size_t n = 0;
    for (const auto& s : sites) n += s.verdict() == v ? 1 : 0;
    return n;
}

std::size_t Report::countWhole(Verdict v) const {
    std::size_t n = 0;
    for (const auto& s : sites) n += s.verdict() == v && !s.partial() ? 1 : 0;
    return n;
}

std::size_t Report::countPartial() const {
    std::size_t n = 0;
    for (const auto& s : sites) {
        const Verdict v = s.verdict();
        n += (v == Verdict::Pass || v == Verdict::Warn) && s.partial() ? 1 : 0;
    }
    return n;
}

Wording Measure::display() const {
    switch (unit) {
        case Unit::SquareMetres:
            return number() ? areaWording(*number()) : Wording::same("—");
        case Unit::Metres:
            return Wording::same(number() ? formatNumber(*number(), 1) + " m" : "—");
        case Unit::Fraction:
            return Wording::same(number() ? formatNumber(*number() * 100, 1) + "%" : "—");
        case Unit::List: {
            Wording out;
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i == 5)
                    return out + fill(phrase::moreItems,
                                      {Wording::same(std::to_string(items.size() - 5))});
                if (i) out += phrase::listSeparator;
                out += items[i];
            }
            return out;
        }
        case Unit::Breakdown: {
            Wording out;
            for (const auto& [cls, m2] : breakdown) {
                if (!out.empty()) out += phrase::listSeparator;
                out += cls + " " + formatNumber(gis::toMu(m2), 2) + " 亩";
            }
            return out;
        }
        default:
            return Wording::same(gis::isNull(value) ? "NULL" : gis::toString(value));
    }
}

Measure Measure::area(std::string name, Wording label, double m2, bool alsoMuHa) {
    Measure m{std::move(name), std::move(label), Unit::SquareMetres, m2, {}, {}, alsoMuHa};
    return m;
}

Measure Measure::metres(std::string name, Wording label, std::optional<double> metres) {
    return {std::move(name),
            std::move(label),
            Unit::Metres,
            metres ? gis::Value{*metres} : gis::Value{},
            {},
            {},
            false};
}

Measure Measure::fraction(std::string name, Wording label, double f) {
    return {std::move(name), std::move(label), Unit::Fraction, f, {}, {}, false};
}

Measure Measure::plain(std::string name, Wording label, gis::Value v) {
    return {std::move(name), std::move(label), Unit::Value, std::move(v), {}, {}, false};
}

Measure Measure::text(std::string name, Wording label, std::string s) {
    return {std::move(name), std::move(label), Unit::Text, std::move(s), {}, {}, false};
}

Measure Measure::list(std::string name, Wording label, std::vector<std::string> ids) {
    return {std::move(name), std::move(label), Unit::List, {}, std::move(ids), {}, false};
}

Measure Measure::byClass(std::string name, Wording label,
                         std::vector<std::pair<std::string, double>> m2) {
    return {std::move(name), std::move(label), Unit::Breakdown, {}, {}, std::move(m2), false};
}

const Measure* RuleResult::measure(std::string_view name) const {
    for (const auto& m : measures)
        if (m.name == name) return &m;
    return nullptr;
}

std::optional<double> RuleResult::number(std::string_view name) const {
    const Measure* m = measure(name);
    return m ? m->number() : std::nullopt;
}

}  // namespace onemap::core
