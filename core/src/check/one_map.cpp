#include "onemap/core/check/one_map.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <optional>

#include "cache/audit_hash.hpp"
#include "cache/layer_cache.hpp"
#include "onemap/core/check/layer_source.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs_diagnosis.hpp"
#include "onemap/gis/geom/convex_partition.hpp"
#include "onemap/gis/layer/source_files.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {
namespace fs = std::filesystem;

namespace {
// Pieces of at most this many vertices: small enough that an intersection or distance
// against a big red-line polygon or a 300 km rail line costs about as much as a parcel.
constexpr std::size_t kMaxPieceVertices = 256;
}  // namespace

MapLayer::MapLayer(LayerSpec spec, gis::VectorLayer data)
    : spec_(std::move(spec)), data_(std::move(data)) {
    const std::size_t n = data_.features.size();
    std::vector<gis::Envelope> boxes(n);
    std::vector<std::vector<gis::Geometry>> split(n);
    std::atomic<bool> someLong{false};  // a feature long enough that a piece may be indexed
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
            const gis::Geometry& g = data_.features[i].geometry;
            boxes[i] = g.envelope();
            const std::size_t vertices = g.numVertices();
            if (vertices >= gis::FacetIndex::kWorthFrom) someLong.store(true);
            if (vertices > kMaxPieceVertices) split[i] = g.subdivide(kMaxPieceVertices);
        }
    });
    std::vector<gis::Envelope> pieceBoxes;
    pieceBoxes.reserve(n);
    pieces_.reserve(n);
    pieceFeature_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        extent_.expand(boxes[i]);
        if (split[i].empty()) {
            if (data_.features[i].geometry.isEmpty()) continue;
            pieces_.push_back(data_.features[i].geometry);
            pieceBoxes.push_back(boxes[i]);
            pieceFeature_.push_back(i);
            continue;
        }
        for (auto& p : split[i]) {
            pieceBoxes.push_back(p.envelope());
            pieces_.push_back(std::move(p));
            pieceFeature_.push_back(i);
        }
    }
    if (data_.fullExtent) extent_ = *data_.fullExtent;
    index_ = gis::SpatialIndex(boxes);
    // Parcels are rarely split: then the pieces are the features, and one index serves both
    // (building an R-tree over a million boxes is a sort of a million boxes).
    piecesAreFeatures_ =
        pieces_.size() == n &&
        std::all_of(split.begin(), split.end(), [](const auto& p) { return p.empty(); });
    if (!piecesAreFeatures_) pieceIndex_ = gis::SpatialIndex(pieceBoxes);
    overlapState_ = std::make_unique<std::atomic<std::uint8_t>[]>(pieces_.size());
    if (someLong.load()) {
        facets_ = std::make_unique<std::atomic<const gis::FacetIndex*>[]>(pieces_.size());
        for (std::size_t j = 0; j < pieces_.size(); ++j) facets_[j].store(nullptr);
    }
}

MapLayer::~MapLayer() {
    if (facets_)
        for (std::size_t j = 0; j < pieces_.size(); ++j) delete facets_[j].load();
}

const gis::FacetIndex* MapLayer::pieceFacets(std::size_t j) const {
    if (!facets_) return nullptr;
    std::atomic<const gis::FacetIndex*>& slot = facets_[j];
    if (const gis::FacetIndex* built = slot.load(std::memory_order_acquire)) return built;
    if (!gis::FacetIndex::worthIt(pieces_[j])) return nullptr;
    // Two threads may build the same index at once; the first to publish wins, the other's
    // copy is dropped. Either way every caller sees one index, complete before it is seen.
    auto mine = std::make_unique<gis::FacetIndex>(pieces_[j]);
    const gis::FacetIndex* expected = nullptr;
    if (slot.compare_exchange_strong(expected, mine.get(), std::memory_order_acq_rel))
        return mine.release();
    return expected;
}

bool MapLayer::pieceOverlapsOthers(std::size_t j) const {
    std::atomic<std::uint8_t>& state = overlapState_[j];
    if (const auto known = state.load(std::memory_order_relaxed)) return known == 2;
    const gis::Geometry& piece = pieces_[j];
    const gis::Envelope box = piece.envelope();
    // Shared interior is measured by clipping the other piece against this one's convex
    // pieces, to 1e-10 of the smaller; GEOS overlay when no partition can be made.
    std::optional<std::optional<gis::ConvexPartition>> partition;  // made on first need
    bool overlaps = false;
    pieceIndex().forEachMeeting(box, [&](std::size_t k, const gis::Envelope& other) {
        if (overlaps || pieceFeature_[k] == pieceFeature_[j]) return;
        // Boxes meeting along a line only: the pieces cannot share interior.
        if (std::min(box.maxx, other.maxx) <= std::max(box.minx, other.minx) ||
            std::min(box.maxy, other.maxy) <= std::max(box.miny, other.miny))
            return;
        if (!partition) partition = gis::ConvexPartition::of(piece);
        // Parcels of one layer mostly only touch: a separating edge proves it without
        // clipping (most of this test's time at M, where a site meets most parcels).
        if (*partition && (*partition)->provablyApart(pieces_[k])) return;
        const double tolerance = 1e-10 * std::min(gis::ConvexPartition::ringArea(piece),
                                                  gis::ConvexPartition::ringArea(pieces_[k]));
        const double shared = *partition ? (*partition)->momentsInside(pieces_[k]).area
                                         : piece.intersection(pieces_[k]).polygonalPart().area();
        overlaps = shared > tolerance;
    });
    state.store(overlaps ? 2 : 1, std::memory_order_relaxed);
    return overlaps;
}

std::string MapLayer::featureId(std::size_t i) const {
    if (!spec_.idField.empty()) {
        const std::string id = gis::toString(data_.value(i, spec_.idField));
        if (!id.empty()) return id;
    }
    return std::to_string(data_.features[i].fid);
}

std::string MapLayer::label(std::size_t i) const {
    return spec_.label.empty() ? std::string() : gis::toString(data_.value(i, spec_.label));
}

namespace {

// One layer from its source: read (near the sites, or whole), put in the plan CRS, invalid
// geometries repaired in parallel and each one said, in feature order.
LoadedLayer loadFromSource(const Plan& plan, const LayerSpec& spec,
                           const std::vector<gis::Envelope>& near,
                           const std::string& keepProofsIn) {
    LoadedLayer out;
    out.data = readInPlanCrs(plan, spec, near, keepProofsIn, out.warnings, out.sourceCrs);
    auto& data = out.data;
    std::vector<std::string> reasons(data.features.size());
    std::vector<std::string> beyondRepair(data.features.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, data.features.size(), 1024),
                      [&](const auto& r) {
                          for (std::size_t i = r.begin(); i != r.end(); ++i) {
                              auto& g = data.features[i].geometry;
                              if (g.isEmpty() || g.isValid()) continue;
                              reasons[i] = g.invalidReason();
                              try {
                                  g = g.makeValid();
                              } catch (const InputError& e) {
                                  beyondRepair[i] = e.what();
                              }
                          }
                      });
    // A geometry GEOS cannot repair is reported, never dropped or measured as it is.
    for (std::size_t i = 0; i < data.features.size(); ++i)
        if (!beyondRepair[i].empty())
            throw InputError(plan.path + ":" + std::to_string(spec.line) + ": layer '" + spec.id +
                             "' feature fid " + std::to_string(data.features[i].fid) + ": " +
                             reasons[i] + "; " + beyondRepair[i]);
    const bool table = data.geometryType == "None";
    for (std::size_t i = 0; i < data.features.size(); ++i) {
        const auto& f = data.features[i];
        std::string warning;
        if (f.geometry.isEmpty() && reasons[i].empty()) {
            if (table) continue;  // a table (quota transfers): no geometry by design
            warning = "no geometry; kept, but it takes part in no check";
        } else if (!reasons[i].empty()) {
            ++out.repaired;
            warning = "invalid (" + reasons[i] + "); repaired with make-valid";
        } else {
            continue;
        }
        out.warnings.push_back("layer '" + spec.id + "' feature fid " + std::to_string(f.fid) +
                               ": " + warning);
    }
    if (!data.encoding.empty() && data.encoding != "UTF-8")
        out.warnings.push_back("layer '" + spec.id + "': text read as " + data.encoding);
    return out;
}

}  // namespace

std::shared_ptr<const OneMap> OneMap::load(const Plan& plan, Feedback* feedback,
                                           const LoadScope& scope) {
    if (plan.layers.empty())  // every layer versioned, none in force yet on that day
        throw InputError((plan.path.empty() ? std::string("plan") : plan.path) +
                         ": no layer is in force on " + plan.asOf + " (" +
                         (plan.notes.empty() ? std::string("no layers") : plan.notes.front()) +
                         ")");
    auto map = std::make_shared<OneMap>();
    map->plan_ = plan;
    // Hashing inputs for the audit trail reads every byte: do it beside the loading.
    std::map<std::string, std::future<std::string>> hashes;
    // Only regular files: a FIFO would never finish, and a future left running on an error
    // path would block this function's return in its destructor.
    auto hash = [&hashes, remember = scope.cache](const std::string& path) {
        std::error_code ec;
        if (!hashes.count(path) && fs::is_regular_file(path, ec))
            hashes[path] = std::async(std::launch::async,
                                      [path, remember] { return auditHash(path, remember); });
    };
    if (!plan.path.empty()) hash(plan.path);
    for (const auto& spec : plan.layers)
        for (const auto& file : gis::contentFilesOf(spec.source)) hash(file);
    const double n = static_cast<double>(plan.layers.size());
    const std::vector<gis::Envelope> noBoxes;
    const std::string proofs = scope.cache ? LayerCache::folder().string() : std::string();
    std::vector<LoadedLayer> loaded;
    std::vector<LayerCache> caches;
    for (std::size_t li = 0; li < plan.layers.size(); ++li) {
        const LayerSpec& spec = plan.layers[li];
        if (feedback) {
            if (feedback->isCancelled()) throw Cancelled{};
            feedback->progress(static_cast<double>(li) / n,
                               "loading " + spec.id + " (" + spec.title + ")");
        }
        const bool near = std::find(scope.nearLayers.begin(), scope.nearLayers.end(), spec.id) !=
                          scope.nearLayers.end();
        const auto& boxes = near ? scope.near : noBoxes;
        caches.emplace_back(plan, spec, scope.cache);
        auto cached = caches.back().read(boxes);
        if (cached) requireFields(plan, spec, cached->data);
        loaded.push_back(cached ? std::move(*cached) : loadFromSource(plan, spec, boxes, proofs));
    }
    for (auto& [path, h] : hashes) map->inputs_[path] = h.get();
    // The audit hash of a source ("" for PostGIS and folders: never inserted as an input):
    // of its one file, or of the hashes of all its files (a shapefile's .dbf edited in place
    // is another source).
    const auto hashOf = [&map](const std::string& source) {
        const auto files = gis::contentFilesOf(source);
        std::string digest;
        for (const auto& file : files) {
            const auto it = map->inputs_.find(file);
            if (it == map->inputs_.end()) return std::string();
            if (files.size() == 1) return it->second;
            digest += fs::path(file).filename().string() + " " + it->second + "\n";
        }
        return gis::sha256(digest);
    };
    // A cache entry made from other bytes than the source holds now (edited in place, its
    // time kept) is not used: that layer is read again.
    for (std::size_t li = 0; li < loaded.size(); ++li) {
        const LayerSpec& spec = plan.layers[li];
        if (loaded[li].fromCache && loaded[li].sourceSha256 != hashOf(spec.source)) {
            const bool near = std::find(scope.nearLayers.begin(), scope.nearLayers.end(),
                                        spec.id) != scope.nearLayers.end();
            loaded[li] = loadFromSource(plan, spec, near ? scope.near : noBoxes, proofs);
        }
    }
    map->warnings_ = plan.notes;  // layers not in force on the plan's date, rules left out
    for (std::size_t li = 0; li < loaded.size(); ++li) {
        LoadedLayer& l = loaded[li];
        const LayerSpec& spec = plan.layers[li];
        for (const auto& w : l.warnings) {
            map->warnings_.push_back(w);
            if (feedback && w.rfind("layer '" + spec.id + "' feature", 0) == 0)
                feedback->warning(w);
        }
        if (feedback && !l.data.readWholeBecause.empty())
            feedback->detail("layer '" + spec.id + "' read whole: " + l.data.readWholeBecause);
        // Only a whole read is worth keeping: a near read holds some of the layer.
        if (!l.fromCache && !l.data.fullExtent)
            caches[li].write(l.data, l.warnings, l.repaired, l.sourceCrs, hashOf(spec.source),
                             feedback);
        auto layer = std::make_unique<MapLayer>(spec, std::move(l.data));
        layer->repaired_ = l.repaired;
        layer->fromCache_ = l.fromCache;
        layer->sourceCrs_ = l.sourceCrs;
        map->layers_.push_back(std::move(layer));
    }
    if (feedback) feedback->progress(1.0, "loaded");
    return map;
}

const MapLayer* OneMap::layer(const std::string& id) const {
    for (const auto& l : layers_)
        if (l->spec().id == id) return l.get();
    return nullptr;
}

const MapLayer* OneMap::adminLayer() const {
    for (const auto& l : layers_)
        if (l->spec().role == "admin") return l.get();
    return nullptr;
}

gis::Envelope OneMap::extent() const {
    gis::Envelope e;
    for (const auto& l : layers_) e.expand(l->extent());
    return e;
}

}  // namespace onemap::core
