#pragma once
// What a project needs (项目需求): its area, industry and preferences, read from a small TOML
// file or built from `onemap find` options. Errors name file:line, as plan errors do. A plain
// value owned by the caller; any thread.
#include <map>
#include <string>
#include <vector>

#include "onemap/gis/layer/feature.hpp"

namespace onemap::core {

// The ranges a brief's numbers must lie in: beyond them the plot placer would build shapes
// GEOS refuses (an aspect of 1e308 gives a zero-width rectangle) or search for ever.
constexpr double kMinAreaM2 = 1;             ///< a plot of at least 1 m²
constexpr double kMaxAreaM2 = 1e10;          ///< and at most 10,000 km² (15,000,000 亩)
constexpr double kMaxAspectLimit = 20;       ///< max_aspect from 1 to 20
constexpr double kMaxWidthM = 10000;         ///< min_width_m from 0 to 10 km
constexpr double kMaxWeight = 1000;          ///< [weights] from 0 to 1000
constexpr double kMaxStationBandM = 100000;  ///< station_full_m / station_zero_m up to 100 km

struct ProjectBrief {
    std::string name;                 ///< the project's name ("" = unnamed)
    double areaM2 = 0;                ///< the plot area wanted (ellipsoidal m²), > 0
    std::string industry;             ///< matched against parks (must_be_within `match`)
    int count = 5;                    ///< how many candidate plots to propose
    std::vector<std::string> cities;  ///< only these admin features ("" = all)
    double maxAspect = 2.0;           ///< longer side / shorter side, ≥ 1
    double minWidthM = 0;             ///< the shorter side at least this (m)
    /// The project's own figures (plot_ratio, investment_intensity, ...): the site fields
    /// the plan's attribute rules read.
    std::map<std::string, gis::Value> attributes;
    /// Weights of the ranking terms by name (station, park, compactness, contiguity,
    /// single_unit, city); a term not named weighs 1.
    std::map<std::string, double> weights;
    /// The station term: full marks within this distance of a station (m); planners stop
    /// caring about the last kilometres once a station is a short drive away.
    double stationFullM = 3000;
    /// ... falling linearly to 0 at this distance (m); 0 = the plan's station rule limit.
    double stationZeroM = 0;
    /// Ignore industry matching: any park counts for the park term, `match` rules unchecked.
    bool anyPark = false;
    std::string path;  ///< the brief file ("" when built from options)

    /// Reads a brief; InputError "file:line: message" for any fault.
    static ProjectBrief load(const std::string& path);
    /// Parses brief text; `path` names it in messages.
    static ProjectBrief parse(const std::string& text, const std::string& path);
    /// InputError naming `where` when a value is out of range (area, count, aspect, width) or
    /// a text is not UTF-8.
    void validate(const std::string& where) const;
};

/// The ranking terms a brief may weigh, in the order reports show them.
[[nodiscard]] const std::vector<std::string>& scoreTermNames();

}  // namespace onemap::core
