#pragma once
// What a rule kind is: its name, its typed and validated parameters, how it makes the Rule
// that evaluates sites, and its part in `find` and the approvals register. Plain data; the
// RuleRegistry (rule_registry.hpp) owns the kinds, which are read-only once built.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/check/wording.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::core {

class Rule;

enum class ParamType { Number, Text, Layer, Field, Table };

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Number;
    bool required = false;
    std::optional<ParamValue> defaultValue;
    std::string help;
    /// Extra check of a present value; returns "" when fine, else what is wrong.
    std::function<std::string(const ParamValue&)> check;
};

/// What a rule of this kind (error severity) asks of free land, the land `find` lays plots on.
enum class FreeLandPart {
    None,     ///< nothing: the land is not the point (a site figure, a quota); the check applies it
    Inside,   ///< inside the layer (with `match`: its features of the project's value)
    Outside,  ///< off the layer
    Setback,  ///< at least `distance_m` from the layer
    Reach,    ///< at most `distance_m` from the layer; `find` relaxes it by going farther
};

/// How a rule of this kind ranks `find`'s candidates (any severity: a soft rule only scores).
enum class ScorePart {
    None,
    /// Its measures `distance_m` and `nearest` give the "station" term (nearness), when its
    /// layer is of points; the first such rule of the plan counts.
    Nearness,
    /// With `match`, its measure `inside_fraction` gives the "park" term; its layer's features
    /// of the project's value (its industry) are the parks plots may lie along.
    MatchedShare,
};

struct RuleKind {
    std::string name;
    Wording label;  ///< the kind in words (不得占用 / must not overlap), for reports
    std::string help;
    std::vector<ParamSpec> params;
    /// The only kind of geometry in the rule's `layer` that the rule can measure (an overlap
    /// with points is always 0 m²: such a rule could never fail). Empty = any.
    std::optional<gis::GeometryKind> layerGeometry;
    std::function<std::unique_ptr<Rule>(const RuleSpec&)> create;

    // Its part in `find` and the approvals register, so that neither asks for a kind by name.
    FreeLandPart freeLand = FreeLandPart::None;
    ScorePart score = ScorePart::None;
    /// The parameter naming the site field the rule reads ("" = none): `find` checks the rule
    /// only when the brief gives that field, and the viewer asks for it.
    std::string siteFieldParam;
    /// Its results measure what a site draws on a unit's quota (this_m2, remaining_m2 and their
    /// by-unit breakdowns): the register refuses a batch that together overdraws it.
    bool drawsOnQuota = false;
};

}  // namespace onemap::core
