#pragma once
// A plan with its layers loaded: every feature in the plan CRS, repaired where invalid,
// spatially indexed. Loaded once by one thread, then shared (shared_ptr<const OneMap>):
// checks and renders read it from any thread without touching files.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "onemap/core/check/feedback.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/geom/facet_index.hpp"
#include "onemap/gis/index/spatial_index.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

/// Which features to load. By default every feature of every layer: what rendering, the
/// viewer and reports need. A check of a few sites needs far less: for the layers in
/// `nearLayers`, only the features whose boxes meet one of `near` (plan CRS) are read,
/// through the source's spatial index (ComplianceEngine::scopeFor says which).
struct LoadScope {
    std::vector<gis::Envelope> near;
    std::vector<std::string> nearLayers;  ///< layer ids
    /// Take big file layers from the prepared-layer cache when it holds them fresh, and keep
    /// those read whole there ($XDG_CACHE_HOME/onemap; core/src/layer_cache.hpp says when an
    /// entry is trusted). false: always the sources, nothing written (--no-cache).
    bool cache = true;
};

class MapLayer {
  public:
    MapLayer(LayerSpec spec, gis::VectorLayer data);
    ~MapLayer();
    MapLayer(const MapLayer&) = delete;
    MapLayer& operator=(const MapLayer&) = delete;

    [[nodiscard]] const LayerSpec& spec() const { return spec_; }
    [[nodiscard]] const gis::VectorLayer& data() const { return data_; }
    [[nodiscard]] const gis::SpatialIndex& index() const { return index_; }
    /// Features split into pieces of few vertices (big polygons, long lines), indexed on
    /// their own: what checks query, so a site touches only the vertices near it.
    [[nodiscard]] const gis::SpatialIndex& pieceIndex() const {
        return piecesAreFeatures_ ? index_ : pieceIndex_;
    }
    [[nodiscard]] const gis::Geometry& piece(std::size_t j) const { return pieces_[j]; }
    [[nodiscard]] std::size_t pieceFeature(std::size_t j) const { return pieceFeature_[j]; }
    /// Whether piece j's interior overlaps another feature's: worked out on first use
    /// (thread-safe), then kept. Pieces that overlap none can be measured one by one and
    /// summed; the others need a union so that shared ground is not counted twice.
    [[nodiscard]] bool pieceOverlapsOthers(std::size_t j) const;
    /// Piece j's segments indexed for distances (gis::FacetIndex), built on first use by
    /// whichever thread asks first (thread-safe), then kept unchanged; nullptr for a piece of
    /// few vertices, where visiting every segment is as fast.
    [[nodiscard]] const gis::FacetIndex* pieceFacets(std::size_t j) const;
    [[nodiscard]] std::size_t size() const { return data_.features.size(); }
    [[nodiscard]] const gis::Geometry& geometry(std::size_t i) const {
        return data_.features[i].geometry;
    }
    /// The id shown in reports: the id_field's value, else the fid.
    [[nodiscard]] std::string featureId(std::size_t i) const;
    /// The label field's value ("" without a label field).
    [[nodiscard]] std::string label(std::size_t i) const;
    /// Of the whole layer, also when only features near some sites were read.
    [[nodiscard]] gis::Envelope extent() const { return extent_; }
    /// True when only the features near the checked sites were read (LoadScope).
    [[nodiscard]] bool readNearSitesOnly() const { return data_.fullExtent.has_value(); }
    /// How many features the source held, and how many were repaired on load.
    [[nodiscard]] std::size_t repairedCount() const { return repaired_; }
    /// True when the layer came from the prepared-layer cache, not its source (LoadScope).
    [[nodiscard]] bool fromCache() const { return fromCache_; }
    /// The CRS the source declared (features are held in the plan CRS).
    [[nodiscard]] const std::string& sourceCrs() const { return sourceCrs_; }

  private:
    friend class OneMap;
    LayerSpec spec_;
    gis::VectorLayer data_;
    gis::SpatialIndex index_;
    std::vector<gis::Geometry> pieces_;
    std::vector<std::size_t> pieceFeature_;
    gis::SpatialIndex pieceIndex_;  ///< unused when piecesAreFeatures_
    bool piecesAreFeatures_ = false;
    std::unique_ptr<std::atomic<std::uint8_t>[]> overlapState_;  ///< 0 unknown, 1 no, 2 yes
    /// Per piece, its facet index once built (owned; published once, never replaced); only
    /// when some piece is big enough to have one.
    std::unique_ptr<std::atomic<const gis::FacetIndex*>[]> facets_;
    gis::Envelope extent_;
    std::size_t repaired_ = 0;
    bool fromCache_ = false;
    std::string sourceCrs_;
};

class OneMap {
  public:
    /// Opens every layer of the plan. Throws InputError naming the plan line and layer.
    static std::shared_ptr<const OneMap> load(const Plan& plan, Feedback* feedback = nullptr,
                                              const LoadScope& scope = {});

    [[nodiscard]] const Plan& plan() const { return plan_; }
    [[nodiscard]] const std::vector<std::unique_ptr<MapLayer>>& layers() const { return layers_; }
    [[nodiscard]] const MapLayer* layer(const std::string& id) const;
    [[nodiscard]] const MapLayer* adminLayer() const;
    [[nodiscard]] gis::Envelope extent() const;
    /// Load-time warnings: repaired geometries, encoding guesses, reprojections.
    [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }
    /// Every input file (plan and layer files) with its SHA-256, for the audit trail.
    [[nodiscard]] const std::map<std::string, std::string>& inputs() const { return inputs_; }

  private:
    Plan plan_;
    std::vector<std::unique_ptr<MapLayer>> layers_;
    std::vector<std::string> warnings_;
    std::map<std::string, std::string> inputs_;
};

}  // namespace onemap::core
