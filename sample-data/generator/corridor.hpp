#pragma once
// What is known about the corridor, written down once: city seats (Natural Earth, public
// domain), industries of the demonstration parks, stations and approximate rail lines.
#include <string>
#include <vector>

#include "onemap/gis/geom/envelope.hpp"

namespace onemap::sample {

struct CitySpec {
    std::string name;      ///< as in cities.gpkg
    gis::Point seat;       ///< lon/lat
    double coreRadiusKm;   ///< development boundary size around the seat
    std::string industry;  ///< code of its demonstration parks
    std::string industryCn;
    std::vector<std::string> parkNames;
};

struct StationSpec {
    std::string name;
    gis::Point lonLat;
    std::string line;
    std::string city;
};

struct LineSpec {
    std::string name;
    std::vector<gis::Point> lonLat;  ///< through stations, with gentle bends
};

struct RedlineArea {
    std::string name;
    gis::Point lonLat;
    double radiusKm;
    std::string type;
};

const std::vector<CitySpec>& cities();
const std::vector<StationSpec>& stations();
const std::vector<LineSpec>& railLines();
const LineSpec& corridorAxis();
const std::vector<RedlineArea>& redlineAreas();

}  // namespace onemap::sample
