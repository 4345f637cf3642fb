// A near read of a layer snapshot takes exactly the features whose boxes meet one of the near
// boxes: checked against a brute-force loop over every pair, for near boxes that are many
// and small, few and huge, points, lines, and spread so that the grid or the R-tree answers.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include "../scratch.hpp"
#include "onemap/gis/layer/layer_snapshot.hpp"

using namespace onemap;

namespace {

gis::Geometry rect(double x0, double y0, double x1, double y1) {
    return gis::Geometry::fromWkt("POLYGON((" + std::to_string(x0) + " " + std::to_string(y0) +
                                  "," + std::to_string(x1) + " " + std::to_string(y0) + "," +
                                  std::to_string(x1) + " " + std::to_string(y1) + "," +
                                  std::to_string(x0) + " " + std::to_string(y1) + "," +
                                  std::to_string(x0) + " " + std::to_string(y0) + "))");
}

gis::VectorLayer randomParcels(std::mt19937& rng, std::size_t n) {
    gis::VectorLayer l;
    l.name = "parcels";
    l.crs = gis::Crs::fromEpsg(4549);
    l.geometryType = "Polygon";
    std::uniform_real_distribution<double> at(0, 20000), side(1, 300);
    for (std::size_t i = 0; i < n; ++i) {
        gis::Feature f;
        f.fid = static_cast<std::int64_t>(i + 1);
        const double x = 500000 + at(rng), y = 3400000 + at(rng);
        // One in 250 is a big area (15 km): wider than the grid answers for.
        const double grow = i % 250 == 0 ? 15000 : 0;
        f.geometry = rect(x, y, x + side(rng) + grow, y + side(rng) + grow);
        l.features.push_back(std::move(f));
    }
    return l;
}

std::set<std::int64_t> bruteForce(const gis::VectorLayer& l,
                                  const std::vector<gis::Envelope>& near) {
    std::set<std::int64_t> out;
    for (const auto& f : l.features)
        for (const auto& b : near)
            if (!b.isEmpty() && f.geometry.envelope().intersects(b)) {
                out.insert(f.fid);
                break;
            }
    return out;
}

}  // namespace

TEST_CASE("Layer snapshot: a near read takes exactly the features meeting the boxes", "[gis]") {
    std::mt19937 rng(60);
    const auto layer = randomParcels(rng, 5000);
    const auto path = (test::scratch("snapshot") / "parcels.snap").string();
    gis::writeLayerSnapshot(path, layer, "{}");
    std::uniform_real_distribution<double> at(-1000, 21000), side(0, 500);
    const auto box = [](double x, double y, double w, double h) {
        return gis::Envelope{500000 + x, 3400000 + y, 500000 + x + w, 3400000 + y + h};
    };
    std::vector<std::pair<std::string, std::vector<gis::Envelope>>> cases;
    for (const std::size_t count : {1, 3, 40, 700, 6000}) {
        std::vector<gis::Envelope> near;
        for (std::size_t i = 0; i < count; ++i)
            near.push_back(box(at(rng), at(rng), side(rng), side(rng)));
        cases.emplace_back(std::to_string(count) + " random boxes", near);
    }
    // Points and lines (zero width or height), exactly on parcel corners too.
    std::vector<gis::Envelope> thin;
    for (std::size_t i = 0; i < 300; ++i) {
        const auto e = layer.features[i * 7].geometry.envelope();
        thin.push_back({e.maxx, e.maxy, e.maxx, e.maxy});
        thin.push_back(box(at(rng), at(rng), 0, side(rng)));
    }
    cases.emplace_back("points and lines", thin);
    // A few boxes spanning the whole map among small ones: the grid gives up, the R-tree answers.
    std::vector<gis::Envelope> wide = cases[3].second;
    for (int i = 0; i < 200; ++i) wide.push_back(box(-500, -500, 21000, 21000));
    cases.emplace_back("wide boxes", wide);
    // Far from every parcel, and empty boxes.
    cases.emplace_back("far away",
                       std::vector<gis::Envelope>{box(90000, 90000, 10, 10), gis::Envelope{}});
    for (const auto& [name, near] : cases) {
        INFO(name);
        const auto snap = gis::readLayerSnapshot(path, near);
        REQUIRE(snap.has_value());
        std::set<std::int64_t> got;
        for (const auto& f : snap->layer.features) got.insert(f.fid);
        REQUIRE(got.size() == snap->layer.features.size());
        REQUIRE(got == bruteForce(layer, near));
    }
}

TEST_CASE(
    "Layer snapshot: an entry of many blocks reads back whole, and a flip in any block "
    "is refused",
    "[gis]") {
    // 3 MiB and more: 40k parcels with text, and one ring of 120k vertices whose WKB (1.9 MB)
    // crosses the 1 MiB blocks the writer sums as it streams.
    std::mt19937 rng(12);
    auto layer = randomParcels(rng, 40000);
    layer.fields = {{"名称", gis::FieldType::String}, {"n", gis::FieldType::Integer}};
    for (auto& f : layer.features)
        f.values = {std::string("地块") + std::to_string(f.fid),
                    f.fid % 7 ? gis::Value(f.fid) : gis::Value{}};
    std::vector<gis::Point> ring;
    for (int i = 0; i < 120000; ++i) {
        const double a = 2 * 3.14159265358979 * i / 120000;
        ring.push_back({510000 + 3000 * std::cos(a), 3410000 + 3000 * std::sin(a)});
    }
    ring.push_back(ring.front());
    layer.features[20000].geometry = gis::Geometry::polygon({ring});
    const auto dir = test::scratch("snapshot-blocks");
    const auto path = (dir / "parcels.snap").string();
    gis::writeLayerSnapshot(path, layer, "{\"k\":1}");
    const auto size = std::filesystem::file_size(path);
    REQUIRE(size > (3u << 20));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
    CHECK(files == 1);  // no temporary left beside it

    const auto snap = gis::readLayerSnapshot(path, {});
    REQUIRE(snap.has_value());
    CHECK(snap->meta == "{\"k\":1}");
    REQUIRE(snap->layer.features.size() == layer.features.size());
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const auto& a = layer.features[i];
        const auto& b = snap->layer.features[i];
        REQUIRE(a.fid == b.fid);
        REQUIRE(a.values == b.values);
        REQUIRE(a.geometry.wkb() == b.geometry.wkb());
    }
    std::string good;
    {
        std::ifstream in(path, std::ios::binary);
        good.assign(std::istreambuf_iterator<char>(in), {});
    }
    for (std::size_t at = 100; at < size; at += (1u << 20) / 3) {
        std::string bad = good;
        bad[at] = static_cast<char>(bad[at] ^ 0x01);
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bad;
        INFO("byte " << at << " of " << size);
        REQUIRE_FALSE(gis::readLayerSnapshot(path, {}).has_value());
    }
}
