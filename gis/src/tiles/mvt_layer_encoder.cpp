// MvtLayerEncoder: the Layer message of MVT 2.1 on protozero. Features are written as they
// come; the keys and values tables, deduplicated, follow them.
#include "onemap/gis/tiles/mvt_layer_encoder.hpp"

#include <deque>
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

// A value of the tile's values table, as MVT types it: a view of the caller's value (a
// TileFieldRow's, kept by the caller until finish) or of a copy kept by the encoder.
struct ValueView {
    enum Kind : std::uint8_t { String, Sint, Double, Bool } kind = String;
    std::int64_t integer = 0;  // Sint, Bool
    double real = 0;
    std::string_view text;

    // Equal as the variants they stand for: 1, 1.0 and true apart; 0.0 == -0.0; NaN never.
    bool operator==(const ValueView& o) const {
        if (kind != o.kind) return false;
        switch (kind) {
            case String:
                return text == o.text;
            case Double:
                return real == o.real;
            default:
                return integer == o.integer;
        }
    }
    [[nodiscard]] std::size_t hash() const {
        std::size_t h = 0;
        switch (kind) {
            case String:
                h = std::hash<std::string_view>()(text);
                break;
            case Double:
                h = std::hash<double>()(real);
                break;  // 0.0 and -0.0 alike
            default:
                h = std::hash<std::int64_t>()(integer);
                break;
        }
        return h ^ (static_cast<std::size_t>(kind) * 0x9e3779b97f4a7c15ULL);
    }
};

ValueView viewOf(const TileValue& v) {
    ValueView out;
    if (const auto* s = std::get_if<std::string>(&v)) out.kind = ValueView::String, out.text = *s;
    if (const auto* i = std::get_if<std::int64_t>(&v)) out.kind = ValueView::Sint, out.integer = *i;
    if (const auto* d = std::get_if<double>(&v)) out.kind = ValueView::Double, out.real = *d;
    if (const auto* b = std::get_if<bool>(&v)) out.kind = ValueView::Bool, out.integer = *b;
    return out;
}

// A field's value (not NULL) as a tile value: integers sint64, reals double, text string.
ValueView viewOf(const Value& v) {
    ValueView out;
    if (const auto* i = std::get_if<std::int64_t>(&v)) out.kind = ValueView::Sint, out.integer = *i;
    if (const auto* d = std::get_if<double>(&v)) out.kind = ValueView::Double, out.real = *d;
    if (const auto* s = std::get_if<std::string>(&v)) out.kind = ValueView::String, out.text = *s;
    return out;
}

}  // namespace

struct MvtLayerEncoder::Impl {
    std::string name;
    detail::TileFrame frame;
    std::string features;  // the Layer's feature fields, written as they come
    protozero::pbf_writer featureWriter{features};
    std::size_t count = 0;
    std::unordered_map<std::string, std::uint32_t> keyIndex;
    std::vector<std::string> keys;
    // The values table, first seen first, deduplicated through an open-addressed table of
    // value indices + 1 (0: empty slot), a power of two long, at most half full.
    std::vector<ValueView> values;
    std::vector<std::size_t> valueHashes;
    std::vector<std::uint32_t> valueSlots = std::vector<std::uint32_t>(256, 0);
    std::deque<std::string> ownedText;  // copies of TileAttribute text the values table views
    // The key of each field of the TileFieldRows' fields (-1: not looked up yet).
    const std::vector<Field>* rowFields = nullptr;
    std::vector<std::int64_t> fieldKeys;
    std::vector<std::uint32_t> tags;
    std::vector<TileAttribute> scratch;  // the attributes addFeature asks for, reused
    detail::TileCommands commands;       // reused from feature to feature
    double tinyArea = 0;  // of tiny polygons since the last square drawn for them, units²

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
    std::uint32_t keyOfField(const std::vector<Field>& fields, std::size_t k) {
        if (rowFields != &fields) rowFields = &fields, fieldKeys.assign(fields.size(), -1);
        if (fieldKeys[k] < 0) fieldKeys[k] = keyOf(fields[k].name);
        return static_cast<std::uint32_t>(fieldKeys[k]);
    }
    void growValueSlots() {
        std::vector<std::uint32_t> slots(valueSlots.size() * 2, 0);
        const std::size_t mask = slots.size() - 1;
        for (std::size_t v = 0; v < values.size(); ++v) {
            std::size_t at = valueHashes[v] & mask;
            while (slots[at] != 0) at = (at + 1) & mask;
            slots[at] = static_cast<std::uint32_t>(v + 1);
        }
        valueSlots.swap(slots);
    }
    // The value's index in the table, added if new (`own`: its text is copied first).
    std::uint32_t valueOf(const ValueView& v, bool own) {
        const std::size_t h = v.hash(), mask = valueSlots.size() - 1;
        std::size_t at = h & mask;
        for (; valueSlots[at] != 0; at = (at + 1) & mask)
            if (valueHashes[valueSlots[at] - 1] == h && values[valueSlots[at] - 1] == v)
                return valueSlots[at] - 1;
        const auto index = static_cast<std::uint32_t>(values.size());
        values.push_back(v);
        if (own && v.kind == ValueView::String) values.back().text = ownedText.emplace_back(v.text);
        valueHashes.push_back(h);
        valueSlots[at] = index + 1;
        if (values.size() * 2 > valueSlots.size()) growValueSlots();
        return index;
    }

    // The feature with the tags gathered in `tags`.
    bool writeTagged(std::uint64_t id, const detail::TileCommands& g) {
        protozero::pbf_writer f(featureWriter, kLayerFeatures);
        f.add_uint64(kFeatureId, id);
        if (!tags.empty()) f.add_packed_uint32(kFeatureTags, tags.begin(), tags.end());
        f.add_enum(kFeatureType, static_cast<std::int32_t>(g.type));
        f.add_packed_uint32(kFeatureGeometry, g.commands.begin(), g.commands.end());
        ++count;
        return true;
    }
    bool write(std::uint64_t id, const detail::TileCommands& g,
               const std::vector<TileAttribute>& attributes) {
        if (g.commands.empty()) return false;
        tags.clear();
        for (const auto& a : attributes) {
            tags.push_back(keyOf(a.key));
            tags.push_back(valueOf(viewOf(a.value), true));
        }
        return writeTagged(id, g);
    }
    bool write(std::uint64_t id, const detail::TileCommands& g, const TileFieldRow& row) {
        if (g.commands.empty()) return false;
        tags.clear();
        const std::size_t n = std::min(row.fields->size(), row.values->size());
        for (std::size_t k = 0; k < n; ++k) {
            const Value& v = (*row.values)[k];
            if (isNull(v)) continue;
            tags.push_back(keyOfField(*row.fields, k));
            tags.push_back(valueOf(viewOf(v), false));
        }
        return writeTagged(id, g);
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

// The commands of a polygon given as rings (see addPolygons), into the encoder's buffer; false
// when nothing of it is drawn.
bool MvtLayerEncoder::polygonCommands(const std::vector<std::vector<std::vector<Point>>>& polygons,
                                      const Envelope& box, double area) {
    const detail::TileFrame& frame = impl_->frame;
    const TileEncoding& enc = frame.encoding();
    detail::TileCommands& out = impl_->commands;
    out.commands.clear();
    if (!frame.clipBox().intersects(box)) return false;
    const double units = frame.units(1.0);
    // Tiny: well below the minimum even if the grid grew it by half a unit all round.
    const double grown = area * units * units + frame.units(box.width() + box.height()) + 1;
    if (grown < enc.minRingArea) {
        if (!enc.tinyPolygonsAsSquares) return false;
        impl_->tinyArea += area * units * units;
        if (impl_->tinyArea < enc.minRingArea) return false;
        impl_->tinyArea -= enc.minRingArea;
        out = detail::squareCommands(box.center(), frame);
        return !out.commands.empty();
    }
    detail::polygonCommands(polygons, frame, out);
    return !out.commands.empty();
}

bool MvtLayerEncoder::addPolygons(
    std::uint64_t id, const std::vector<std::vector<std::vector<Point>>>& polygons,
    const Envelope& box, double area,
    const std::function<void(std::vector<TileAttribute>&)>& attributes) {
    if (!polygonCommands(polygons, box, area)) return false;
    return impl_->writeWith(id, impl_->commands, attributes);
}

bool MvtLayerEncoder::addPolygons(std::uint64_t id,
                                  const std::vector<std::vector<std::vector<Point>>>& polygons,
                                  const Envelope& box, double area, const TileFieldRow& row) {
    if (!polygonCommands(polygons, box, area)) return false;
    return impl_->write(id, impl_->commands, row);
}

bool MvtLayerEncoder::addFeature(
    std::uint64_t id, const Geometry& geometry,
    const std::function<void(std::vector<TileAttribute>&)>& attributes) {
    return impl_->writeWith(id, detail::tileCommands(geometry, impl_->frame), attributes);
}

bool MvtLayerEncoder::addFeature(std::uint64_t id, const Geometry& geometry,
                                 const TileFieldRow& row) {
    return impl_->write(id, detail::tileCommands(geometry, impl_->frame), row);
}

bool MvtLayerEncoder::polygonTooSmall(const Envelope& box) const {
    return impl_->frame.polygonTooSmall(box);
}

std::size_t MvtLayerEncoder::featureCount() const { return impl_->count; }

std::size_t MvtLayerEncoder::featureBytes() const { return impl_->features.size(); }

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
            switch (v.kind) {
                case ValueView::String:
                    value.add_string(kValueString, v.text.data(), v.text.size());
                    break;
                case ValueView::Sint:
                    value.add_sint64(kValueSint, v.integer);
                    break;
                case ValueView::Double:
                    value.add_double(kValueDouble, v.real);
                    break;
                case ValueView::Bool:
                    value.add_bool(kValueBool, v.integer != 0);
                    break;
            }
        }
    }
    std::string tile;
    protozero::pbf_writer t(tile);
    t.add_message(kTileLayers, layer);
    return tile;
}

}  // namespace onemap::gis
