#pragma once
// What a check produces: verdicts with measures and conflict geometries — results,
// not exceptions. Plain values owned by whoever holds them; writers (core/report/) turn a
// Report into text, JSON, CSV or conflict layers. No state: any thread.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onemap/core/check/wording.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/geom/geometry.hpp"
#include "onemap/gis/layer/feature.hpp"

namespace onemap::core {

/// Unchecked: the site could not be checked (its geometry made GEOS fail); the reason is in
/// SiteReport::error. It ranks above Fail: nothing is known of that site.
enum class Verdict { Pass, Warn, Fail, Unchecked };
[[nodiscard]] const char* toString(Verdict v);

/// Overlap below this is numerical noise (sites touching layers along shared edges).
constexpr double kNoiseFloorM2 = 0.01;

/// How a measure is shown and rounded. Writers switch on this, never on a rule's kind.
enum class Unit {
    SquareMetres,  ///< "1,234.50 m² (1.85 亩, 0.1235 ha)"; JSON 0.01 m²
    Metres,        ///< "4,263.8 m"; JSON 0.01 m
    Fraction,      ///< "100.0%"; JSON 1e-6
    Value,         ///< a number or text as it is (indicator values, limits); JSON unrounded
    Text,          ///< a word or an id
    List,          ///< ids; JSON array, CSV joined with ';'
    Breakdown,     ///< m² per class, largest first; JSON object
};

/// One named figure of a rule result. Rules declare them; every writer (text, JSON, CSV,
/// HTML/PDF, viewer) renders them without knowing the rule's kind.
struct Measure {
    std::string name;  ///< stable JSON key, e.g. "overlap_m2" (docs/check-json.md)
    Wording label;     ///< caption for tables, e.g. 占用面积 / Overlap
    Unit unit = Unit::Value;
    gis::Value value;                                       ///< NULL = not measured
    std::vector<std::string> items;                         ///< Unit::List
    std::vector<std::pair<std::string, double>> breakdown;  ///< Unit::Breakdown
    bool alsoMuHa = false;  ///< SquareMetres named "<x>_m2": JSON/CSV also carry <x>_mu, <x>_ha

    [[nodiscard]] std::optional<double> number() const { return gis::toNumber(value); }
    /// In words a planner reads: "1,234.50 m² (1.85 亩, 0.1235 ha)", "4,263.8 m", "100.0%".
    [[nodiscard]] Wording display() const;

    static Measure area(std::string name, Wording label, double m2, bool alsoMuHa = false);
    static Measure metres(std::string name, Wording label, std::optional<double> m);
    static Measure fraction(std::string name, Wording label, double f);
    static Measure plain(std::string name, Wording label, gis::Value v);
    static Measure text(std::string name, Wording label, std::string s);
    static Measure list(std::string name, Wording label, std::vector<std::string> ids);
    static Measure byClass(std::string name, Wording label,
                           std::vector<std::pair<std::string, double>> m2);
};

struct RuleResult {
    std::string ruleId;
    std::string title;
    std::string kind;
    Wording kindLabel;  ///< the kind in words (不得占用), set by the rule
    std::string layer;  ///< layer the rule reads ("" for attribute rules)
    Severity severity = Severity::Error;
    bool passed = true;
    std::vector<Measure> measures;  ///< in the order the JSON contract lists them
    Wording summary;  ///< one line built by the rule from its measures (check/phrases.hpp)
    std::vector<std::string> features;  ///< ids of the features involved
    gis::Geometry conflict;             ///< overlap (or the part outside) in the plan CRS
    /// Why the rule was not checked for this site ("" = it was): the site file has no such
    /// field, the site has no value, the rule's layer has no version in force on the plan's
    /// date (coverage_words.hpp). A rule not checked says nothing of the site: its verdict is
    /// Unchecked, and it makes the site's verdict partial, never pass or fail.
    Wording notChecked;

    [[nodiscard]] bool checked() const { return notChecked.empty(); }
    [[nodiscard]] Verdict verdict() const {
        if (!checked()) return Verdict::Unchecked;
        if (passed) return Verdict::Pass;
        return severity == Severity::Error ? Verdict::Fail : Verdict::Warn;
    }
    /// The measure named `name`, or null.
    [[nodiscard]] const Measure* measure(std::string_view name) const;
    /// The number of measure `name`; nullopt when absent or NULL.
    [[nodiscard]] std::optional<double> number(std::string_view name) const;
};

struct AdminShare {
    std::string name;
    double areaM2 = 0;
    double fraction = 0;
};

struct SiteReport {
    std::string id;
    std::string name;
    double areaM2 = 0;
    std::vector<AdminShare> admin;  ///< largest share first
    std::vector<std::string> warnings;
    std::vector<RuleResult> rules;
    gis::Geometry geometry;     ///< in the plan CRS
    std::string error;          ///< why the site could not be checked ("" when it was)
    bool rulesLeftOut = false;  ///< the check ran on some of the plan's rules only (--rules)

    /// The worst verdict of the rules checked (a rule not checked does not count), Unchecked
    /// when the site itself could not be checked.
    [[nodiscard]] Verdict verdict() const;
    /// Whether some of the plan's rules were not checked for this site (a rule not checked,
    /// or rules left out of the run): its pass or warn is then "pass (partial)" (部分审查).
    [[nodiscard]] bool partial() const;
    [[nodiscard]] bool crossBoundary() const { return admin.size() > 1; }
};

/// The version of a layer a report used (plans with versions only).
struct VersionUsed {
    std::string layer;
    std::string from;  ///< YYYY-MM-DD
    std::string doc;   ///< the approving document, "" if none
};

/// A layer with no version in force on the plan's date: its rules are not checked.
struct LayerNotInForce {
    std::string layer;
    std::string title;
    std::string firstFrom;  ///< the date of its first version
};

/// A rule of the plan the run did not apply (--rules left it out).
struct RuleNotApplied {
    std::string id;
    std::string title;
};

struct Report {
    std::string planName;
    std::string planPath;
    std::string crs;
    std::string sitesPath;
    std::map<std::string, std::string> inputs;  ///< path → sha256
    Lang lang = Lang::Zh;                       ///< the language words are written in
    std::string asOf;                           ///< the plan's date; "" when it has no versions
    std::vector<VersionUsed> versions;          ///< versioned layers in force on asOf
    std::vector<std::string> absent;  ///< layers not in force on asOf and their rules, in words
    std::vector<LayerNotInForce> notInForce;  ///< layers with no version on asOf
    std::vector<RuleNotApplied> notApplied;   ///< rules --rules left out
    std::vector<std::string> warnings;        ///< plan-level (layer repairs, ...)
    std::vector<SiteReport> sites;

    /// Sites of verdict `v`, partial or not.
    [[nodiscard]] std::size_t count(Verdict v) const;
    /// Sites of verdict `v` checked in full (Pass, Warn: not partial).
    [[nodiscard]] std::size_t countWhole(Verdict v) const;
    /// Sites whose pass or warn is partial (部分审查).
    [[nodiscard]] std::size_t countPartial() const;
    /// 2 when a site could not be checked, else 1 when any site fails an error-severity rule,
    /// else 0: a partial pass is 0 (the summary counts it; docs/check-json.md).
    [[nodiscard]] int exitCode() const {
        if (count(Verdict::Unchecked) > 0) return 2;
        return count(Verdict::Fail) > 0 ? 1 : 0;
    }
};

}  // namespace onemap::core
