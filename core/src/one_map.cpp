#include "onemap/core/one_map.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <optional>

#include "onemap/core/layer_validation.hpp"
#include "onemap/gis/atomic_file.hpp"
#include "onemap/gis/convex_partition.hpp"
#include "onemap/gis/crs_diagnosis.hpp"
#include "onemap/gis/error.hpp"
#include "onemap/gis/vector_io.hpp"

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
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
            const gis::Geometry& g = data_.features[i].geometry;
            boxes[i] = g.envelope();
            if (g.numVertices() > kMaxPieceVertices) split[i] = g.subdivide(kMaxPieceVertices);
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
    pieceIndex_ = gis::SpatialIndex(pieceBoxes);
    overlapState_ = std::make_unique<std::atomic<std::uint8_t>[]>(pieces_.size());
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
    pieceIndex_.queryBoxes(box, [&](std::size_t k, const gis::Envelope& other) {
        if (overlaps || pieceFeature_[k] == pieceFeature_[j]) return;
        // Boxes meeting along a line only: the pieces cannot share interior.
        if (std::min(box.maxx, other.maxx) <= std::max(box.minx, other.minx) ||
            std::min(box.maxy, other.maxy) <= std::max(box.miny, other.miny))
            return;
        if (!partition) partition = gis::ConvexPartition::of(piece);
        const double tolerance = 1e-10 * std::min(piece.area(), pieces_[k].area());
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

std::string where(const Plan& plan, const LayerSpec& spec) {
    return plan.path + ":" + std::to_string(spec.line) + ": layer '" + spec.id + "'";
}

// A layer with a date field (the register's "approved") holds, on the plan's day, the records
// dated then or before. Every record must carry a real date: a record that cannot be dated
// would silently vanish from, or stay in, every check.
void keepInForce(const Plan& plan, const LayerSpec& spec, gis::VectorLayer& data,
                 std::vector<std::string>& warnings) {
    const auto field = data.fieldIndex(spec.dateField);
    if (!field)
        throw InputError(where(plan, spec) + ": date_field '" + spec.dateField + "' is not in " +
                         spec.source);
    std::vector<gis::Feature> inForce;
    for (auto& f : data.features) {
        std::string day = gis::toString(f.values[*field]);
        // A Date-typed field reads as GDAL writes it, "2023/01/01" (DateTime adds the time).
        if (day.size() >= 10 && day[4] == '/' && day[7] == '/' &&
            (day.size() == 10 || day[10] == ' ')) {
            day = day.substr(0, 10);
            day[4] = day[7] = '-';
        }
        if (!isIsoDate(day))
            throw InputError(where(plan, spec) + " feature fid " + std::to_string(f.fid) + ": " +
                             spec.dateField + " = '" + day + "' is not a date (YYYY-MM-DD)");
        if (day <= plan.asOf) inForce.push_back(std::move(f));
    }
    if (inForce.size() < data.features.size())
        warnings.push_back("layer '" + spec.id +
                           "': " + std::to_string(data.features.size() - inForce.size()) + " of " +
                           std::to_string(data.features.size()) + " records dated after " +
                           plan.asOf + ", not yet in force");
    data.features = std::move(inForce);
}

gis::VectorLayer readInPlanCrs(const Plan& plan, const LayerSpec& spec,
                               const std::vector<gis::Envelope>& near,
                               std::vector<std::string>& warnings, std::string& sourceCrs) {
    gis::VectorLayer data = readRaw(plan, spec, near);
    for (const auto& field : {spec.idField, spec.label}) {
        if (!field.empty() && !data.fieldIndex(field))
            throw InputError(where(plan, spec) + ": field '" + field + "' is not in " +
                             spec.source);
    }
    if (!spec.dateField.empty()) keepInForce(plan, spec, data, warnings);
    if (data.geometryType == "None") data.crs = plan.crs;  // a table has no coordinates
    if (!data.crs.isKnown())
        throw InputError(where(plan, spec) + ": " + spec.source +
                         " has no CRS; add crs = \"EPSG:...\" to the layer");
    sourceCrs = data.crs.label();
    for (const auto& note : data.notes) warnings.push_back("layer '" + spec.id + "': " + note);
    // Coordinates that do not fit the CRS would be measured and overlaid wrongly everywhere.
    const auto doubt =
        gis::assessCoordinates(data.fullExtent ? *data.fullExtent : data.extent(), data.crs);
    if (doubt.certain)
        throw InputError(where(plan, spec) + ": " + spec.source + ": " + doubt.message +
                         "; set crs = \"EPSG:...\" on the layer or fix the data");
    if (!doubt.message.empty()) warnings.push_back("layer '" + spec.id + "': " + doubt.message);
    if (data.features.empty() && !data.fullExtent)  // near sites only: empty there, not whole
        warnings.push_back("layer '" + spec.id + "': " +
                           (spec.filter.empty()
                                ? std::string("holds no feature")
                                : "filter '" + spec.filter + "' selects no feature") +
                           "; rules on this layer find nothing");
    if (!data.crs.isEquivalentTo(plan.crs)) {
        const gis::CoordinateTransform toPlan(data.crs, plan.crs);
        try {
            for (auto& f : data.features) f.geometry = toPlan.apply(f.geometry);
        } catch (const InputError& e) {
            throw InputError(where(plan, spec) + ": cannot reproject from " + data.crs.label() +
                             ": " + e.what());
        }
        warnings.push_back("layer '" + spec.id + "': reprojected from " + data.crs.label() +
                           " to " + plan.crs.label());
        data.crs = plan.crs;
    }
    return data;
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
    map->warnings_ = plan.notes;  // layers not in force on the plan's date, rules left out
    // Hashing inputs for the audit trail reads every byte: do it beside the loading.
    std::map<std::string, std::future<std::string>> hashes;
    // Only regular files: a FIFO would never finish, and a future left running on an error
    // path would block this function's return in its destructor.
    auto hash = [&hashes](const std::string& path) {
        std::error_code ec;
        if (!hashes.count(path) && fs::is_regular_file(path, ec))
            hashes[path] = std::async(std::launch::async, [path] { return gis::sha256File(path); });
    };
    if (!plan.path.empty()) hash(plan.path);
    for (const auto& spec : plan.layers) hash(spec.source);
    const double n = static_cast<double>(plan.layers.size());
    const std::vector<gis::Envelope> noBoxes;
    for (std::size_t li = 0; li < plan.layers.size(); ++li) {
        const LayerSpec& spec = plan.layers[li];
        if (feedback) {
            if (feedback->isCancelled()) throw Cancelled{};
            feedback->progress(static_cast<double>(li) / n,
                               "loading " + spec.id + " (" + spec.title + ")");
        }
        std::string sourceCrs;
        const bool near = std::find(scope.nearLayers.begin(), scope.nearLayers.end(), spec.id) !=
                          scope.nearLayers.end();
        gis::VectorLayer data =
            readInPlanCrs(plan, spec, near ? scope.near : noBoxes, map->warnings_, sourceCrs);
        // Validity checks are the costly part of loading big layers: run them in parallel,
        // then report in feature order so warnings are deterministic.
        std::vector<std::string> reasons(data.features.size());
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, data.features.size(), 1024),
                          [&](const auto& r) {
                              for (std::size_t i = r.begin(); i != r.end(); ++i) {
                                  auto& g = data.features[i].geometry;
                                  if (g.isEmpty() || g.isValid()) continue;
                                  reasons[i] = g.invalidReason();
                                  g = g.makeValid();
                              }
                          });
        std::size_t repaired = 0;
        const bool table = data.geometryType == "None";
        for (std::size_t i = 0; i < data.features.size(); ++i) {
            const auto& f = data.features[i];
            std::string warning;
            if (f.geometry.isEmpty() && reasons[i].empty()) {
                if (table) continue;  // a table (quota transfers): no geometry by design
                warning = "no geometry; kept, but it takes part in no check";
            } else if (!reasons[i].empty()) {
                ++repaired;
                warning = "invalid (" + reasons[i] + "); repaired with make-valid";
            } else {
                continue;
            }
            map->warnings_.push_back("layer '" + spec.id + "' feature fid " +
                                     std::to_string(f.fid) + ": " + warning);
            if (feedback) feedback->warning(map->warnings_.back());
        }
        if (!data.encoding.empty() && data.encoding != "UTF-8")
            map->warnings_.push_back("layer '" + spec.id + "': text read as " + data.encoding);
        auto layer = std::make_unique<MapLayer>(spec, std::move(data));
        layer->repaired_ = repaired;
        layer->sourceCrs_ = sourceCrs;
        map->layers_.push_back(std::move(layer));
    }
    for (auto& [path, h] : hashes) map->inputs_[path] = h.get();
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
