// The MVT encoder against an independent reader (GDAL's MVT driver): hand-made geometries come
// back where they were, clipped as worked out by hand, valid, with their ids and attributes.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "../mvt_decode.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/tiles/mvt_layer_encoder.hpp"
#include "onemap/gis/tiles/tile_address.hpp"

using namespace onemap::gis;
using onemap::test::decodeTile;

namespace {

// Tile 12/3400/1660 (around the G60 corridor); u(...) turns tile units into map metres.
const TileAddress kTile = TileAddress::checked(12, 3400, 1660);
const Envelope kBounds = kTile.bounds();
const double kUnit = kBounds.width() / 4096;  // metres per tile unit
Point at(double ux, double uy) { return {kBounds.minx + ux * kUnit, kBounds.maxy - uy * kUnit}; }
Geometry box(double x0, double y0, double x1, double y1) {
    const Point a = at(x0, y0), b = at(x1, y1);
    return Geometry::polygon({{{a.x, a.y}, {b.x, a.y}, {b.x, b.y}, {a.x, b.y}, {a.x, a.y}}});
}
onemap::test::DecodedLayer decoded(MvtLayerEncoder& enc) {
    const auto layers =
        decodeTile(enc.finish(), kTile.z, static_cast<int>(kTile.x), static_cast<int>(kTile.y));
    REQUIRE(layers.size() == 1);
    return layers[0];
}

}  // namespace

TEST_CASE("Tile addresses are checked and cover the Web Mercator square", "[gis][tiles]") {
    const Envelope world = TileAddress::checked(0, 0, 0).bounds();
    CHECK(world.minx == Approx(-kWebMercatorHalfSide));
    CHECK(world.maxy == Approx(kWebMercatorHalfSide));
    const Envelope nw = TileAddress::checked(1, 0, 0).bounds();
    CHECK(nw.maxx == Approx(0).margin(1e-6));
    CHECK(nw.miny == Approx(0).margin(1e-6));
    CHECK(TileAddress::checked(24, (1 << 24) - 1, 0).text() == "24/16777215/0");
    CHECK_THROWS_AS(TileAddress::checked(25, 0, 0), onemap::InputError);
    CHECK_THROWS_AS(TileAddress::checked(-1, 0, 0), onemap::InputError);
    CHECK_THROWS_AS(TileAddress::checked(3, 8, 0), onemap::InputError);
    CHECK_THROWS_AS(TileAddress::checked(3, 0, -1), onemap::InputError);
    CHECK_THROWS_AS(TileAddress::checked(40, 0, 0), onemap::InputError);
}

TEST_CASE("Polygons come back clipped to the tile and its buffer, valid", "[gis][tiles]") {
    MvtLayerEncoder enc("farmland", kTile);
    // Crosses the west edge: 2048 units each side of it, 64 of them kept (the buffer).
    CHECK(enc.add(1, box(-2048, 1024, 2048, 3072)));
    // A hole: 2000² - 1000² units².
    const Point o0 = at(2500, 500), o1 = at(3900, 1900), h0 = at(2900, 900), h1 = at(3500, 1500);
    CHECK(
        enc.add(2, Geometry::polygon(
                       {{{o0.x, o0.y}, {o1.x, o0.y}, {o1.x, o1.y}, {o0.x, o1.y}, {o0.x, o0.y}},
                        {{h0.x, h0.y}, {h0.x, h1.y}, {h1.x, h1.y}, {h1.x, h0.y}, {h0.x, h0.y}}})));
    // Below a pixel (and the first such: no square for it yet): left out.
    CHECK_FALSE(enc.add(3, box(100, 100, 102, 102)));
    // Wholly outside the buffer: left out.
    CHECK_FALSE(enc.add(4, box(4200, 100, 4400, 300)));
    // Two squares 0.2 units apart: the grid makes them touch along an edge; what comes back
    // must still be valid (GEOS snap-rounds them into one polygon).
    const Geometry twins =
        Geometry::collect({box(1000.3, 3500, 1200.4, 3700), box(1200.6, 3500, 1400, 3700)});
    CHECK(enc.add(5, twins));
    CHECK(enc.featureCount() == 3);
    const auto layer = decoded(enc);
    CHECK(layer.name == "farmland");
    REQUIRE(layer.features.size() == 3);
    const double u2 = kUnit * kUnit;
    const auto* west = layer.find(1);
    REQUIRE(west);
    CHECK(west->valid);
    CHECK(west->area / u2 == Approx((2048.0 + 64) * 2048).epsilon(1e-6));
    const auto* holed = layer.find(2);
    REQUIRE(holed);
    CHECK(holed->valid);
    CHECK(holed->area / u2 == Approx(1400.0 * 1400 - 600 * 600).epsilon(1e-6));
    INFO(holed->wkt);
    const OGRPolygon* ring = holed->type == "POLYGON"
                                 ? holed->geometry->toPolygon()
                                 : holed->geometry->toMultiPolygon()->getGeometryRef(0);
    if (holed->type == "MULTIPOLYGON")
        CHECK(holed->geometry->toMultiPolygon()->getNumGeometries() == 1);
    CHECK(ring->getNumInteriorRings() == 1);
    const auto* joined = layer.find(5);
    REQUIRE(joined);
    CHECK(joined->valid);
    CHECK(joined->area / u2 == Approx(400.0 * 200).margin(200 * 2));
}

TEST_CASE("Lines and points are clipped and placed on the grid", "[gis][tiles]") {
    MvtLayerEncoder enc("roads", kTile);
    const Point a = at(1000, 2000), b = at(6000, 2000);
    CHECK(enc.add(10, Geometry::lineString({a, b})));  // leaves through the east edge
    const Point p = at(1234, 567), q = at(-40, 20), r = at(-100, 20);
    CHECK(enc.add(11, Geometry::point(p.x, p.y)));
    CHECK(enc.add(12, Geometry::point(q.x, q.y)));        // in the buffer
    CHECK_FALSE(enc.add(13, Geometry::point(r.x, r.y)));  // beyond it
    const auto layer = decoded(enc);
    REQUIRE(layer.features.size() == 3);
    const auto* line = layer.find(10);
    REQUIRE(line);
    CHECK(line->length / kUnit == Approx(4096 + 64 - 1000).margin(1));
    const auto* point = layer.find(11);
    REQUIRE(point);
    const OGRPoint* op = point->geometry->toPoint();
    CHECK(std::abs(op->getX() - p.x) <= kUnit);
    CHECK(std::abs(op->getY() - p.y) <= kUnit);
    CHECK(layer.find(12));
    CHECK_FALSE(layer.find(13));
}

TEST_CASE("Attributes keep their types, the keys and values tables are shared", "[gis][tiles]") {
    MvtLayerEncoder enc("parcels", kTile);
    const std::vector<TileAttribute> a{{"name", std::string("基本农田")},
                                       {"count", std::int64_t{-7}},
                                       {"share", 0.25},
                                       {"kept", true}};
    const std::vector<TileAttribute> b{{"name", std::string("基本农田")},
                                       {"count", std::int64_t{8}}};
    CHECK(enc.add(7, box(10, 10, 500, 500), a));
    CHECK(enc.add(8, box(600, 600, 900, 900), b));
    const std::string bytes = enc.finish();
    // "基本农田" once in the values table, "name" once in the keys.
    CHECK(bytes.find("基本农田") == bytes.rfind("基本农田"));
    const auto layers =
        decodeTile(bytes, kTile.z, static_cast<int>(kTile.x), static_cast<int>(kTile.y));
    REQUIRE(layers.size() == 1);
    const auto* f7 = layers[0].find(7);
    REQUIRE(f7);
    CHECK(f7->attributes.at("name") == "基本农田");
    CHECK(f7->attributes.at("count") == "-7");
    CHECK(std::stod(f7->attributes.at("share")) == 0.25);
    CHECK((f7->fieldTypes.at("count") == OFTInteger || f7->fieldTypes.at("count") == OFTInteger64));
    const auto* f8 = layers[0].find(8);
    REQUIRE(f8);
    CHECK(f8->attributes.at("count") == "8");
    CHECK(f8->attributes.count("share") == 0);
}

TEST_CASE("A feature's fields given as they are make the tile attribute lists make",
          "[gis][tiles]") {
    // Values drawn from small pools (so most repeat), NULLs among them, 1 and 1.0 and 0.0 and
    // -0.0 and NaN: the uncopied path (TileFieldRow) and the attribute lists must give the same
    // bytes, and GDAL must read every feature's values back.
    const std::vector<Field> fields{{"name", FieldType::String},
                                    {"count", FieldType::Integer},
                                    {"share", FieldType::Real},
                                    {"note", FieldType::String}};
    const std::vector<Value> names{Value{}, std::string("基本农田"), std::string("a"),
                                   std::string("")};
    const std::vector<Value> counts{Value{}, std::int64_t{1}, std::int64_t{0}, std::int64_t{-7}};
    const std::vector<Value> shares{Value{}, 1.0, 0.0, -0.0, 0.25, std::nan("")};
    std::mt19937 rng(11);
    const auto pick = [&rng](const std::vector<Value>& pool) {
        return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
    };
    std::vector<std::vector<Value>> rows;
    for (int i = 0; i < 300; ++i)
        rows.push_back({pick(names), pick(counts), pick(shares), std::string(i % 7 ? "x" : "y")});
    MvtLayerEncoder byRow("parcels", kTile), byList("parcels", kTile);
    for (int i = 0; i < 300; ++i) {
        const double x = 20 + 13 * (i % 25), y = 20 + 13 * (i / 25);
        const Geometry g = box(x, y, x + 10, y + 10);
        CHECK(byRow.addPolygons(static_cast<std::uint64_t>(i), g.polygons(), g.envelope(), g.area(),
                                TileFieldRow{&fields, &rows[static_cast<std::size_t>(i)]}));
        std::vector<TileAttribute> list;
        for (std::size_t k = 0; k < fields.size(); ++k) {
            const Value& v = rows[static_cast<std::size_t>(i)][k];
            if (const auto* s = std::get_if<std::string>(&v)) list.push_back({fields[k].name, *s});
            if (const auto* n = std::get_if<std::int64_t>(&v)) list.push_back({fields[k].name, *n});
            if (const auto* d = std::get_if<double>(&v)) list.push_back({fields[k].name, *d});
        }
        CHECK(byList.add(static_cast<std::uint64_t>(i), g, list));
    }
    const std::string bytes = byRow.finish();
    CHECK(bytes == byList.finish());
    CHECK(bytes.find("基本农田") == bytes.rfind("基本农田"));  // the values table: once
    const auto layers =
        decodeTile(bytes, kTile.z, static_cast<int>(kTile.x), static_cast<int>(kTile.y));
    REQUIRE(layers.size() == 1);
    REQUIRE(layers[0].features.size() == 300);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto* f = layers[0].find(static_cast<std::int64_t>(i));
        REQUIRE(f);
        for (std::size_t k = 0; k < fields.size(); ++k) {
            const Value& v = rows[i][k];
            const auto at = f->attributes.find(fields[k].name);
            if (isNull(v)) {
                CHECK((at == f->attributes.end() || at->second.empty()));
                continue;
            }
            REQUIRE(at != f->attributes.end());
            if (const auto* s = std::get_if<std::string>(&v)) CHECK(at->second == *s);
            if (const auto* n = std::get_if<std::int64_t>(&v)) CHECK(std::stoll(at->second) == *n);
            if (const auto* d = std::get_if<double>(&v)) {
                if (std::isnan(*d))
                    CHECK(std::isnan(std::stod(at->second)));
                else
                    CHECK(std::stod(at->second) == *d);  // 0.0 == -0.0: either may be kept
            }
        }
    }
}

TEST_CASE("Polygons too small to draw add up to squares of a pixel", "[gis][tiles]") {
    TileEncoding enc;  // minimum 16 units²: 4 × 4
    MvtLayerEncoder squares("parcels", kTile, enc);
    for (int i = 0; i < 40; ++i)  // 40 parcels of one unit² each: two squares, 8 units² left
        squares.add(100 + i, box(100 + 10 * i, 200, 101 + 10 * i, 201));
    const auto layer = decoded(squares);
    REQUIRE(layer.features.size() == 2);
    CHECK(layer.find(115));  // the 16th parcel brought the sum to 16
    CHECK(layer.find(131));
    for (const auto& f : layer.features) {
        CHECK(f.valid);
        CHECK(f.area / (kUnit * kUnit) == Approx(16).epsilon(1e-6));
    }
    enc.tinyPolygonsAsSquares = false;
    MvtLayerEncoder dropped("parcels", kTile, enc);
    for (int i = 0; i < 40; ++i)
        CHECK_FALSE(dropped.add(100 + i, box(100 + 10 * i, 200, 101 + 10 * i, 201)));
    CHECK(dropped.finish().empty());
}

TEST_CASE("Damaged polygons come out valid or not at all, by either path", "[gis][tiles]") {
    // Random rings of 4 to 12 vertices in a small box: bowties, spikes, rings crossing
    // themselves. The fast path (proof on the grid) and the slow one (GEOS for every polygon)
    // must agree, and whatever is drawn must be valid.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(-100, 4200);
    std::uniform_int_distribution<int> n(4, 12);
    TileEncoding slowEncoding;
    slowEncoding.proveValidityWithoutGeos = false;
    MvtLayerEncoder fast("damaged", kTile), slow("damaged", kTile, slowEncoding);
    for (int i = 0; i < 150; ++i) {
        const double cx = u(rng), cy = u(rng);
        std::uniform_real_distribution<double> d(-60, 60);
        std::vector<Point> ring;
        for (int k = n(rng); k > 0; --k) ring.push_back(at(cx + d(rng), cy + d(rng)));
        ring.push_back(ring.front());
        Geometry g;
        try {
            g = Geometry::polygon({ring});
        } catch (const onemap::Error&) {
            continue;
        }
        CHECK(fast.add(static_cast<std::uint64_t>(i), g) ==
              slow.add(static_cast<std::uint64_t>(i), g));
    }
    const auto a = decoded(fast), b = decoded(slow);
    REQUIRE(a.features.size() == b.features.size());
    for (const auto& f : a.features) {
        INFO(f.wkt);
        CHECK(f.valid);
        const auto* g = b.find(f.id);
        REQUIRE(g);
        CHECK(g->valid);
        CHECK(f.area == Approx(g->area).epsilon(1e-9));
    }
}

TEST_CASE("An empty layer writes nothing", "[gis][tiles]") {
    MvtLayerEncoder enc("empty", kTile);
    CHECK(enc.finish().empty());
}
