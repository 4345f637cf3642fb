#pragma once
// The prepared-layer cache: a plan layer as loaded (in the plan CRS, repaired, with what the
// load said) kept as a snapshot under $XDG_CACHE_HOME/onemap (else ~/.cache/onemap), never
// beside the data, so the next run skips OGR, reprojection and validity checks.
//
// Trust: an entry is found by a key naming everything the load depends on — this program
// (its identity), the GDAL/GEOS/PROJ versions, the source file's identity (device, inode,
// size, mtime, ctime; shapefile sidecars and GeoPackage -wal too), table, filter, encoding,
// crs and the plan CRS. It records the SHA-256 of the source it was made from (of each of
// its files, gis::contentFilesOf: a shapefile's .dbf is as much the source as its .shp);
// OneMap::load compares that with the source's audit hashes (audit_hash.hpp: computed, or
// kept from a run before for the same device, inode, size, mtime and ctime) and reads the
// source again on any difference. A damaged entry (checksum) is ignored. Writes are atomic (temp
// file + rename), so concurrent runs are safe. Only regular files with at least
// kMinFeatures features are cached; PostGIS and folder sources, dated layers (their content
// depends on the day) and tables are always read from the source.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/check/feedback.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/geom/envelope.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

/// One layer as OneMap::load made it, and what the load said about it.
struct LoadedLayer {
    gis::VectorLayer data;
    std::vector<std::string> warnings;
    std::size_t repaired = 0;
    std::string sourceCrs;
    std::string sourceSha256;  ///< from a cache entry: the source it was made from
    bool fromCache = false;
};

class LayerCache {
  public:
    static constexpr std::size_t kMinFeatures = 1000;
    /// Near reads of fewer boxes than this from a GeoPackage go to its R-tree, not the cache.
    static constexpr std::size_t kFewBoxes = 256;

    /// The entry for this layer of this plan; unusable when `enabled` is false, when no cache
    /// folder can be found, or when the layer is not cacheable (see above).
    LayerCache(const Plan& plan, const LayerSpec& spec, bool enabled);

    /// $XDG_CACHE_HOME/onemap, else ~/.cache/onemap; empty when neither is an absolute path.
    [[nodiscard]] static std::filesystem::path folder();

    [[nodiscard]] bool usable() const { return !path_.empty(); }
    /// The cached layer (with `near`, only the features whose boxes meet one), or nullopt when
    /// there is none or it is damaged or made from another key.
    [[nodiscard]] std::optional<LoadedLayer> read(const std::vector<gis::Envelope>& near) const;
    /// Stores a layer read whole from its source whose SHA-256 is `sourceSha256`, saying so
    /// on `feedback` (a million parcels take a second). Errors (full disk, read-only cache
    /// folder) are swallowed: the cache is never needed.
    void write(const gis::VectorLayer& data, const std::vector<std::string>& warnings,
               std::size_t repaired, const std::string& sourceCrs, const std::string& sourceSha256,
               Feedback* feedback) const;
    /// Where the entry lives ("" when unusable).
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    std::string key_;
    std::string path_;
    bool geoPackage_ = false;
};

}  // namespace onemap::core
