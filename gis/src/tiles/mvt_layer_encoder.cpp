// MvtLayerEncoder: the Layer message of MVT 2.1 on protozero. Features are written as they
// come; the keys and values tables, deduplicated, follow them.
#include "onemap/gis/tiles/mvt_layer_encoder.hpp"

#include <map>
#include <protozero/pbf_writer.hpp>
#include <unordered_map>

#include "tiles/tile_geometry.hpp"

namespace onemap::gis {
namespace {

// Field numbers of vector_tile.proto (spec 2.1).
enum : protozero::pbf_tag_type {
    kTileLayers = 3,
    kLayerName = 1,
    kLayerFeatures = 2,
    kLayerKeys = 3,
    kLayerValues = 4,
    kLayerExtent = 5,
    kLayerVersion = 15,
    kFeatureId = 1,
    kFeatureTags = 2,
    kFeatureType = 3,
    kFeatureGeometry = 4,
    kValueString = 1,
    kValueDouble = 3,
    kValueSint = 6,
    kValueBool = 7,
};

// Values hashed as they are: the variant's index keeps 1, 1.0 and true apart.
struct TileValueHash {
    std::size_t operator()(const TileValue& v) const {
        return std::visit([](const auto& x) { return std::hash<std::decay_t<decltype(x)>>()(x); },
                          v) ^
               (v.index() * 0x9e3779b97f4a7c15ULL);
    }
};

}  // namespace

struct MvtLayerEncoder::Impl {
    std::string name;
    detail::TileFrame frame;
    std::string features;  // the Layer's feature fields, written as they come
    protozero::pbf_writer featureWriter{features};
    std::size_t count = 0;
    std::unordered_map<std::string, std::uint32_t> keyIndex;
    std::vector<std::string> keys;
    std::unordered_map<TileValue, std::uint32_t, TileValueHash> valueIndex;
    std::vector<TileValue> values;
    std::vector<std::uint32_t> tags;
    std::vector<TileAttribute> scratch;
    double tinyArea = 0;  // of tiny polygons since the last square drawn for them, units²  // the
                          // attributes addFeature asks for, reused

    Impl(std::string n, const TileAddress& t, const TileEncoding& e)
        : name(std::move(n)), frame(t, e) {}

    std::uint32_t keyOf(std::string_view k) {
        // A layer has few fields: a look along them beats hashing a copy of the name.
        if (keys.size() <= 16)
            for (std::size_t i = 0; i < keys.size(); ++i)
                if (keys[i] == k) return static_cast<std::uint32_t>(i);
        auto [it, fresh] =
            keyIndex.try_emplace(std::string(k), static_cast<std::uint32_t>(keys.size()));
        if (fresh) keys.emplace_back(k);
        return it->second;
    }
    std::uint32_t valueOf(const TileValue& v) {
        if (const auto it = valueIndex.find(v); it != valueIndex.end()) return it->second;
        const auto index = static_cast<std::uint32_t>(values.size());
        valueIndex.emplace(v, index);
        values.push_back(v);
        return index;
    }

    bool write(std::uint64_t id, const detail::TileCommands& g,
               const std::vector<TileAttribute>& attributes) {
        if (g.commands.empty()) return false;
        tags.clear();
        for (const auto& a : attributes) {
            tags.push_back(keyOf(a.key));
            tags.push_back(valueOf(a.value));
        }
        protozero::pbf_writer f(featureWriter, kLayerFeatures);
        f.add_uint64(kFeatureId, id);
        if (!tags.empty()) f.add_packed_uint32(kFeatureTags, tags.begin(), tags.end());
        f.add_enum(kFeatureType, static_cast<std::int32_t>(g.type));
        f.add_packed_uint32(kFeatureGeometry, g.commands.begin(), g.commands.end());
        ++count;
        return true;
    }
    bool writeWith(std::uint64_t id, const detail::TileCommands& g,
                   const std::function<void(std::vector<TileAttribute>&)>& fill) {
        if (g.commands.empty()) return false;
        scratch.clear();
        fill(scratch);
        return write(id, g, scratch);
    }
};

MvtLayerEncoder::MvtLayerEncoder(std::string name, TileAddress tile, TileEncoding encoding)
    : impl_(std::make_unique<Impl>(std::move(name), tile, encoding)) {}
MvtLayerEncoder::~MvtLayerEncoder() = default;

bool MvtLayerEncoder::add(std::uint64_t id, const Geometry& geometry,
                          const std::vector<TileAttribute>& attributes) {
    if (geometry.kind() == GeometryKind::Polygon)
        return addPolygons(id, geometry.polygons(), geometry.envelope(), geometry.area(),
                           [&attributes](std::vector<TileAttribute>& out) { out = attributes; });
    return impl_->write(id, detail::tileCommands(geometry, impl_->frame), attributes);
}

bool MvtLayerEncoder::addPolygons(
    std::uint64_t id, const std::vector<std::vector<std::vector<Point>>>& polygons,
    const Envelope& box, double area,
    const std::function<void(std::vector<TileAttribute>&)>& attributes) {
    const detail::TileFrame& frame = impl_->frame;
    const TileEncoding& enc = frame.encoding();
    if (!frame.clipBox().intersects(box)) return false;
    const double units = frame.units(1.0);
    // Tiny: well below the minimum even if the grid grew it by half a unit all round.
    const double grown = area * units * units + frame.units(box.width() + box.height()) + 1;
    if (grown < enc.minRingArea) {
        if (!enc.tinyPolygonsAsSquares) return false;
        impl_->tinyArea += area * units * units;
        if (impl_->tinyArea < enc.minRingArea) return false;
        impl_->tinyArea -= enc.minRingArea;
        return impl_->writeWith(id, detail::squareCommands(box.center(), frame), attributes);
    }
    return impl_->writeWith(id, detail::polygonCommands(polygons, frame), attributes);
}

bool MvtLayerEncoder::addFeature(
    std::uint64_t id, const Geometry& geometry,
    const std::function<void(std::vector<TileAttribute>&)>& attributes) {
    return impl_->writeWith(id, detail::tileCommands(geometry, impl_->frame), attributes);
}

bool MvtLayerEncoder::polygonTooSmall(const Envelope& box) const {
    return impl_->frame.polygonTooSmall(box);
}

std::size_t MvtLayerEncoder::featureCount() const { return impl_->count; }

std::string MvtLayerEncoder::finish() {
    if (impl_->count == 0) return {};
    std::string layer;
    {
        protozero::pbf_writer w(layer);
        w.add_uint32(kLayerVersion, 2);
        w.add_string(kLayerName, impl_->name);
        w.add_uint32(kLayerExtent, impl_->frame.encoding().extent);
    }
    layer += impl_->features;
    {
        protozero::pbf_writer w(layer);
        for (const auto& k : impl_->keys) w.add_string(kLayerKeys, k);
        for (const auto& v : impl_->values) {
            protozero::pbf_writer value(w, kLayerValues);
            if (const auto* s = std::get_if<std::string>(&v)) value.add_string(kValueString, *s);
            if (const auto* i = std::get_if<std::int64_t>(&v)) value.add_sint64(kValueSint, *i);
            if (const auto* d = std::get_if<double>(&v)) value.add_double(kValueDouble, *d);
            if (const auto* b = std::get_if<bool>(&v)) value.add_bool(kValueBool, *b);
        }
    }
    std::string tile;
    protozero::pbf_writer t(tile);
    t.add_message(kTileLayers, layer);
    return tile;
}

}  // namespace onemap::gis
