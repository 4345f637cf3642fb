#pragma once
// What `onemap find` prints and writes: a table for a terminal, the JSON (docs/find.md) and
// the candidate plots as a layer. Functions of the FindResult (owned by the caller): any thread.
#include <string>

#include "onemap/core/find/site_finder.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

namespace onemap::core {

[[nodiscard]] std::string findText(const FindResult& result);
[[nodiscard]] std::string findJson(const FindResult& result, const std::string& version);
/// The candidates as polygons (id, rank, score, area_m2, area_mu, then the site fields the
/// check read: the industry and the brief's attributes), so that `onemap check` can read them
/// back. Written atomically (GeoPackage or Shapefile by extension). A shapefile shortens names
/// over 10 bytes (investment_intensity): the result says which, and check cannot read those.
/// A .txt is a 国土 TXT, which cannot hold zero parcels: with no candidate nothing is written
/// (the caller says so); a .gpkg or .shp gets an empty layer.
gis::WriteResult writeCandidates(const FindResult& result, const gis::Crs& crs,
                                 const std::string& path);

}  // namespace onemap::core
