#pragma once
// What is known about the corridor, written down once: city seats (Natural Earth, public
// domain), industries of the demonstration parks and the towns they lie in, stations,
// approximate rail lines, and the names of the water bodies of source/water.gpkg.
#include <string>
#include <vector>

#include "onemap/gis/geom/envelope.hpp"

namespace onemap::sample {

struct ParkSpec {
    std::string name;
    gis::Point town;  ///< lon/lat of the town the park lies in (approximate)
};

struct CitySpec {
    std::string name;      ///< as in cities.gpkg
    gis::Point seat;       ///< lon/lat
    double coreRadiusKm;   ///< development boundary size around the seat
    std::string industry;  ///< code of its demonstration parks
    std::string industryCn;
    std::vector<ParkSpec> parks;
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

struct WaterName {
    std::string name;
    gis::Point lonLat;  ///< a point inside the water body
    std::string kind;   ///< 湖泊, 河流, 河口海湾
};

const std::vector<CitySpec>& cities();
const std::vector<StationSpec>& stations();
const std::vector<LineSpec>& railLines();
const LineSpec& corridorAxis();
const std::vector<RedlineArea>& redlineAreas();
const std::vector<WaterName>& waterNames();

}  // namespace onemap::sample
