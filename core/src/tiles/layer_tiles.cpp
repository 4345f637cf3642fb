// LayerTiles: one plan layer in EPSG:3857, indexed, encoded tile by tile.
#include "onemap/core/tiles/layer_tiles.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>

#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/layer/source_files.hpp"

namespace onemap::core {
namespace {

// Bumped whenever the encoder draws the same data differently: old ETags must not match.
constexpr const char* kTileFormat = "onemap-mvt 1";

bool finite(const gis::Envelope& e) {
    return std::isfinite(e.minx) && std::isfinite(e.miny) && std::isfinite(e.maxx) &&
           std::isfinite(e.maxy);
}

}  // namespace

std::string layerVersion(const Plan& plan, const LayerSpec& spec) {
    std::string v = spec.inForce ? spec.inForce->from : std::string();
    if (!spec.dateField.empty()) v += "@" + plan.asOf;
    return v;
}

LayerTiles::LayerTiles(std::shared_ptr<const OneMap> map, const std::string& layerId,
                       gis::TileEncoding encoding)
    : map_(std::move(map)), layerId_(layerId), encoding_(encoding) {
    layer_ = map_->layer(layerId);
    if (!layer_) throw InputError("no layer '" + layerId + "' in the plan");
    const Plan& plan = map_->plan();
    version_ = layerVersion(plan, layer_->spec());

    std::string basis = std::string(kTileFormat) + "\n" + std::to_string(encoding.extent) + " " +
                        std::to_string(encoding.buffer) + " " +
                        std::to_string(encoding.simplifyTolerance) + " " +
                        std::to_string(encoding.minRingArea) + "\nlayer " + layerId + "\nversion " +
                        version_ + "\nplan " + gis::sha256(plan.text) + "\n";
    for (const auto& file : gis::contentFilesOf(layer_->spec().source)) {
        const auto it = map_->inputs().find(file);
        // Not a file (PostGIS): nothing to hash, so every build has an ETag of its own (a
        // client never keeps a tile of a table that may have changed since).
        static std::atomic<std::uint64_t> unhashedBuilds{0};
        basis +=
            file + " " +
            (it != map_->inputs().end() ? it->second
                                        : "unhashed build " + std::to_string(++unhashedBuilds)) +
            "\n";
    }
    etag_ = "\"" + gis::sha256(basis).substr(0, 32) + "\"";

    const gis::Crs web = gis::Crs::fromEpsg(3857);
    const gis::Crs& from = plan.crs;
    mercator_.resize(layer_->size());
    polygonal_.assign(layer_->size(), 0);
    rings_.resize(layer_->size());
    area_.assign(layer_->size(), 0);
    boxes_.resize(layer_->size());
    tbb::parallel_for(std::size_t{0}, layer_->size(), [&](std::size_t i) {
        const gis::Geometry& source = layer_->geometry(i);
        if (source.isEmpty()) return;
        try {
            // A feature the map holds as WKB not yet read (the layer cache) is read into a copy
            // used here only (what building it would read): building it would keep a GEOS
            // geometry in the map for every feature, as much again as the map.
            const gis::Geometry::WkbRef* wkb = source.deferredWkb();
            const gis::Geometry g = wkb ? gis::Geometry::fromWkb(wkb->data, wkb->size) : source;
            gis::Geometry m = gis::CoordinateTransform::forThisThread(from, web).apply(g);
            if (!finite(m.envelope())) return;
            boxes_[i] = m.envelope();
            if (m.kind() == gis::GeometryKind::Polygon) {
                polygonal_[i] = 1;
                area_[i] = m.area();
                rings_[i] = m.polygons();
            } else {
                mercator_[i] = std::move(m);
            }
        } catch (const Error&) {
            // Beyond Web Mercator (a pole): not drawable in any tile.
        }
    });
    index_ = gis::SpatialIndex(boxes_);
}

std::string LayerTiles::tile(const gis::TileAddress& address) const {
    gis::TileEncoding encoding = encoding_;
    // A draw over the limit is dropped for a coarser one: it is given up as soon as its
    // features alone pass the limit (the tile would be bigger still), except the last.
    std::optional<std::string> bytes = encode(address, encoding, kMaxTileBytes);
    for (int coarser = 0; coarser < 3 && (!bytes || bytes->size() > kMaxTileBytes); ++coarser) {
        encoding.minRingArea *= 4;
        bytes = encode(address, encoding, coarser < 2 ? kMaxTileBytes : SIZE_MAX);
    }
    return std::move(*bytes);
}

std::optional<std::string> LayerTiles::encode(const gis::TileAddress& address,
                                              const gis::TileEncoding& encoding,
                                              std::size_t giveUpBeyond) const {
    gis::MvtLayerEncoder encoder(layerId_, address, encoding);
    const gis::Envelope bounds = address.bounds();
    const double margin = bounds.width() * encoding.buffer / encoding.extent;
    const gis::Envelope clip{bounds.minx - margin, bounds.miny - margin, bounds.maxx + margin,
                             bounds.maxy + margin};
    std::vector<std::size_t> hits;
    index_.forEachMeeting(clip,
                          [&hits](std::size_t i, const gis::Envelope&) { hits.push_back(i); });
    std::sort(hits.begin(), hits.end());  // the same tile, byte for byte, whatever the tree

    const gis::VectorLayer& data = layer_->data();
    for (const std::size_t i : hits) {
        const gis::Feature& f = data.features[i];
        const auto id =
            static_cast<std::uint64_t>(f.fid >= 0 ? f.fid : static_cast<std::int64_t>(i));
        // The feature's fields as they are (NULLs left out): nothing copied per tile.
        const gis::TileFieldRow row{&data.fields, &f.values};
        if (polygonal_[i])
            encoder.addPolygons(id, rings_[i], boxes_[i], area_[i], row);
        else
            encoder.addFeature(id, mercator_[i], row);
        if (encoder.featureBytes() > giveUpBeyond) return std::nullopt;
    }
    return encoder.finish();
}

}  // namespace onemap::core
