// 国土 TXT boundary-point files: hand-made files for each variant (zone prefix or not, holes,
// several parcels and parts, GBK, CRLF, 6-degree zones, 1980西安 with and without 转换参数),
// round trips, the declared-area check and one exit-2 error per malformed line.
//
// Every expected area is worked by hand from the coordinates in tests/data/guotu: rectangles
// and right triangles in Gauss-Kruger metres (planar areas). The files declare the planar
// area (坐标解析法), which is what onemap compares first and writes; the ellipsoidal area
// differs from it by the square of the Gauss-Kruger scale factor (0.14 % at 240 km from the
// central meridian) and is accepted too.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../test_support.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/formats/guotu_txt/guotu_txt.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/text/text_encoding.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

const std::string kData = ONEMAP_GUOTU_DATA;
const std::string kPrefixedGbk = kData + "/zone40_prefixed_gbk_crlf.txt";
const std::string kPlainUtf8 = kData + "/zone40_plain_utf8_lf.txt";
const std::string kSixDegree = kData + "/zone20_6deg_prefixed.txt";
const std::string kXian = kData + "/xian80_no_parameters.txt";
const std::string kPlan = std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml";

fs::path scratch(const std::string& name) { return test::scratch("guotu-" + name); }

using test::slurp;

using test::put;

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::string joinLines(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
}

// The text with line n (1-based) replaced.
std::string withLine(const std::string& text, std::size_t n, const std::string& line) {
    auto lines = linesOf(text);
    lines.at(n - 1) = line;
    return joinLines(lines);
}

bool hasNote(const gis::VectorLayer& l, const std::string& part) {
    for (const auto& n : l.notes)
        if (n.find(part) != std::string::npos) return true;
    return false;
}

// Hand-worked planar areas of the three parcels (m²): 100 × 50; 60 × 80 / 2;
// 200 × 100 − 50 × 20 (hole) + 30 × 30 (second part).
const double kAreas[] = {5000.0, 2400.0, 19900.0};

}  // namespace

TEST_CASE("国土 TXT: a GBK, CRLF file with zone-prefixed eastings, holes and parts",
          "[io][guotu]") {
    REQUIRE(gis::looksLikeGuotuTxt(kPrefixedGbk));
    REQUIRE_FALSE(gis::isValidUtf8(slurp(kPrefixedGbk)));  // really GBK
    REQUIRE(slurp(kPrefixedGbk).find("\r\n") != std::string::npos);
    const auto l = gis::readGuotuTxt(kPrefixedGbk);
    CHECK(l.encoding == "GBK");
    CHECK(l.crs.epsg() == 4528);  // CGCS2000 3-degree zone 40, prefixed
    REQUIRE(l.features.size() == 3);
    const char* ids[] = {"A-01", "A-02", "A-03"};
    const char* names[] = {"一号地块", "二号地块", "三号地块"};
    for (std::size_t i = 0; i < 3; ++i) {
        INFO(i);
        CHECK(gis::toString(l.value(i, "id")) == ids[i]);
        CHECK(gis::toString(l.value(i, "name")) == names[i]);
        CHECK(l.features[i].geometry.area() == Approx(kAreas[i]).epsilon(1e-12));
        CHECK(l.features[i].geometry.isValid());
    }
    CHECK(gis::toString(l.value(0, "地块用途")) == "工业用地");
    CHECK(gis::toString(l.value(2, "地类编码")) == "05H1");
    CHECK(gis::toNumber(l.value(1, "地块面积")) == Approx(0.24));
    // Ring 2 lies inside ring 1: a hole; ring 3 outside both: another part.
    const auto polys = l.features[2].geometry.polygons();
    REQUIRE(polys.size() == 2);
    CHECK(polys[0].size() == 2);
    CHECK(polys[1].size() == 1);
    for (const auto& n : l.notes) CHECK(n.find("地块面积") == std::string::npos);
}

TEST_CASE("国土 TXT: UTF-8, LF, no zone prefix, counts without closing points, part before hole",
          "[io][guotu]") {
    const auto plain = gis::readGuotuTxt(kPlainUtf8);
    const auto prefixed = gis::readGuotuTxt(kPrefixedGbk);
    CHECK(plain.encoding == "UTF-8");
    CHECK(plain.crs.epsg() == 4549);  // CGCS2000 3-degree CM 120°E
    REQUIRE(plain.features.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        INFO(i);
        const auto& g = plain.features[i].geometry;
        CHECK(g.area() == Approx(kAreas[i]).epsilon(1e-12));
        // The same parcels as the prefixed file, 40 000 000 m to the west.
        const auto a = g.envelope(), b = prefixed.features[i].geometry.envelope();
        CHECK(a.minx + 40e6 == b.minx);
        CHECK(a.maxy == b.maxy);
        // Both CRSs put the same parcel at the same place.
        const gis::CoordinateTransform t(plain.crs, prefixed.crs);
        CHECK(t.apply(g).area() == Approx(kAreas[i]).epsilon(1e-9));
    }
    CHECK(plain.features[2].geometry.polygons().size() == 2);
    CHECK(hasNote(plain, "[扩展信息]"));
    for (const auto& n : plain.notes) CHECK(n.find("地块面积") == std::string::npos);
}

TEST_CASE("国土 TXT: zone numbers map to the EPSG codes whose central meridian they name",
          "[io][guotu]") {
    // Hand-made one-parcel files: a 100 m square east of the false easting, at 30.7°N.
    struct Case {
        int width, zone;
        bool prefixed;
        int epsg;
    };
    const Case cases[] = {{3, 25, true, 4513},  {3, 40, true, 4528},  {3, 45, true, 4533},
                          {3, 25, false, 4534}, {3, 40, false, 4549}, {3, 45, false, 4554},
                          {6, 13, true, 4491},  {6, 20, true, 4498},  {6, 23, true, 4501},
                          {6, 13, false, 4502}, {6, 23, false, 4512}};
    const auto dir = scratch("zones");
    for (const auto& c : cases) {
        INFO(c.width << "° zone " << c.zone << (c.prefixed ? " prefixed" : ""));
        const double fe = 500000.0 + (c.prefixed ? c.zone * 1e6 : 0.0);
        std::ostringstream t;
        t.precision(3);
        t << std::fixed << "[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=" << c.width
          << "\n投影类型=高斯克吕格\n计量单位=米\n带号=" << c.zone
          << "\n[地块坐标]\n5,1.0000,1,正方形,面,,,,@\n"
          << "J1,1,3400100.000," << fe << "\nJ2,1,3400100.000," << fe + 100 << "\nJ3,1,3400000.000,"
          << fe + 100 << "\nJ4,1,3400000.000," << fe << "\nJ1,1,3400100.000," << fe << "\n";
        const auto path = put(dir / ("z" + std::to_string(c.epsg) + ".txt"), t.str());
        const auto l = gis::readGuotuTxt(path);
        CHECK(l.crs.epsg() == c.epsg);
        // The false easting lies on the zone's central meridian: 3n or 6n − 3 degrees.
        const gis::CoordinateTransform toLonLat(l.crs, l.crs.geographic());
        const auto p = toLonLat.apply(gis::Point{fe, 3400000.0});
        CHECK(p.x == Approx(c.width == 3 ? 3.0 * c.zone : 6.0 * c.zone - 3.0).margin(1e-9));
        // And the writer states the same zone again.
        const auto text = gis::formatGuotuTxt(l, {"UTF-8", "onemap", "2024-01-01", 3, false});
        CHECK(text.find("带号=" + std::to_string(c.zone) + "\n") != std::string::npos);
        CHECK(text.find("几度分带=" + std::to_string(c.width) + "\n") != std::string::npos);
    }
}

TEST_CASE("国土 TXT: 6-degree zones, and the declared area against the planar and ellipsoidal",
          "[io][guotu]") {
    const auto l = gis::readGuotuTxt(kSixDegree);
    CHECK(l.crs.epsg() == 4498);  // CGCS2000 6-degree zone 20 (CM 117°E), prefixed
    REQUIRE(l.features.size() == 1);
    const auto& g = l.features[0].geometry;
    CHECK(g.area() == Approx(400.0 * 250.0).epsilon(1e-12));
    CHECK_FALSE(hasNote(l, "地块面积"));  // declares the planar 10.0000 ha

    // 240 km east of the central meridian the ellipsoid is smaller than the plane by k².
    const double ellipsoidal = gis::EllipsoidalMeasure(l.crs).geodesicArea(g);
    REQUIRE(std::abs(ellipsoidal - g.area()) / g.area() > 0.001);
    const auto dir = scratch("six");
    const std::string text = slurp(kSixDegree);
    const auto declaring = [&](const std::string& ha) {
        return put(dir / ("d" + ha + ".txt"),
                   withLine(text, 13, "5," + ha + ",B-01,平面面积地块,面,,,,@"));
    };
    char ha[32];
    std::snprintf(ha, sizeof ha, "%.4f", ellipsoidal / 1e4);
    CHECK_FALSE(hasNote(gis::readGuotuTxt(declaring(ha)), "地块面积"));
    // 0.5 % off both: reported, naming the feature so that SiteSet hands it to the site.
    const auto off = gis::readGuotuTxt(declaring("10.0500"));
    CHECK(hasNote(off, "地块面积 of feature 1 "));
    CHECK(hasNote(off, "10.0000 ha on the Gauss-Kruger plane"));
    // Square metres written as hectares: far off.
    CHECK(hasNote(gis::readGuotuTxt(declaring("100000")), "of feature 1 "));
}

TEST_CASE("国土 TXT: read and written again, byte for byte", "[io][guotu]") {
    const std::string original = slurp(kPrefixedGbk);
    const auto l = gis::readGuotuTxt(kPrefixedGbk);
    gis::GuotuWriteOptions o;
    o.producer = "嘉兴市测绘院";
    o.date = "2024-05-01";
    CHECK(gis::formatGuotuTxt(l, o) == original);  // GBK and CRLF by default

    // Through the command: sites read into the plan CRS (EPSG:4549), exported back to the
    // prefixed zone; only the producer and date lines differ.
    const auto out = scratch("rt") / "out.txt";
    const auto r = test::runCli({"export", kPlan, "--sites", kPrefixedGbk, "--crs", "EPSG:4528",
                                 "--format", "guotu-txt", "-o", out.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto a = linesOf(original), b = linesOf(slurp(out.string()));
    REQUIRE(a.size() == b.size());
    CHECK(b[2].find("=onemap\r") != std::string::npos);
    a.erase(a.begin() + 2, a.begin() + 4);
    b.erase(b.begin() + 2, b.begin() + 4);
    CHECK(a == b);

    // The UTF-8 file, whose points are in another order and whose rings are numbered
    // otherwise, is written in the canonical form: the GBK file's, less the zone prefix.
    const auto plain = scratch("rt") / "plain.txt";
    const auto p = test::runCli({"export", kPlan, "--sites", kPlainUtf8, "-o", plain.string()});
    INFO(p.err);
    REQUIRE(p.code == 0);
    auto c = linesOf(slurp(plain.string()));
    c.erase(c.begin() + 2, c.begin() + 4);
    REQUIRE(c.size() == a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        std::string want = a[i];
        if (const auto at = want.find(",405"); at != std::string::npos) want.erase(at + 1, 2);
        // Parcel lines: the UTF-8 file leaves 图幅号 and 地类编码 empty.
        if (want.find(",@") != std::string::npos) {
            want = want.substr(0, want.find("面,") + std::string("面,").size());
            CHECK(c[i].rfind(want, 0) == 0);
        } else {
            CHECK(c[i] == want);
        }
    }
}

TEST_CASE("国土 TXT: written clockwise from the north-west corner, holes counter-clockwise",
          "[io][guotu]") {
    // A counter-clockwise square starting in the south-east, with a clockwise hole.
    auto l = test::layerOf(
        "sq",
        {gis::Geometry::fromWkt("POLYGON((500100 3400000,500100 3400100,500000 3400100,"
                                "500000 3400000,500100 3400000),(500020 3400020,"
                                "500020 3400040,500040 3400040,500040 3400020,"
                                "500020 3400020))")},
        {"S-1"});
    const auto text = gis::formatGuotuTxt(l, {"UTF-8", "onemap", "2024-01-01", 3, false});
    const std::string want =
        "10,0.9600,S-1,,面,,,,@\n"
        "J1,1,3400100.000,500000.000\n"
        "J2,1,3400100.000,500100.000\n"
        "J3,1,3400000.000,500100.000\n"
        "J4,1,3400000.000,500000.000\n"
        "J1,1,3400100.000,500000.000\n"
        "J5,2,3400040.000,500020.000\n"
        "J6,2,3400020.000,500020.000\n"
        "J7,2,3400020.000,500040.000\n"
        "J8,2,3400040.000,500040.000\n"
        "J5,2,3400040.000,500020.000\n";
    CHECK(text.substr(text.find("[地块坐标]\n") + std::string("[地块坐标]\n").size()) == want);
    CHECK(text.find("带号=40\n") != std::string::npos);
    CHECK(text.find("精度=0.001\n") != std::string::npos);

    // What the format cannot hold is refused, naming the feature.
    const auto square = l.features[0].geometry;
    const auto comma = test::layerOf("c", {square}, {"甲,乙"});
    CHECK_THROWS_WITH(gis::formatGuotuTxt(comma), Catch::Contains("feature 1"));
    const auto emoji = test::layerOf("e", {square}, {"园区\xF0\x9F\x8F\xAD"});  // 🏭
    CHECK_THROWS_WITH(gis::formatGuotuTxt(emoji), Catch::Contains("GBK"));
    CHECK_NOTHROW(gis::formatGuotuTxt(emoji, {"UTF-8", "onemap", "2024-01-01", 3, true}));
    auto lonlat = l;
    lonlat.crs = gis::Crs::fromEpsg(4490);
    CHECK_THROWS_WITH(gis::formatGuotuTxt(lonlat), Catch::Contains("cannot state"));
    auto line = test::layerOf("l", {gis::Geometry::fromWkt("LINESTRING(500000 3400000,500010 "
                                                           "3400010)")});
    CHECK_THROWS_AS(gis::formatGuotuTxt(line), InputError);

    // The writer's file is atomic and reads back to the same parcels.
    const auto path = scratch("cw") / "sq.txt";
    gis::writeGuotuTxt(path.string(), l);
    const auto back = gis::readGuotuTxt(path.string());
    CHECK(back.features[0].geometry.area() == Approx(100.0 * 100 - 20.0 * 20));
    CHECK(back.encoding == "GBK");
}

TEST_CASE("国土 TXT: plan layers exported, points and lines refused", "[io][guotu]") {
    const auto dir = scratch("plan");
    const auto out = dir / "park.txt";
    const auto r = test::runCli({"export", kPlan, "--layer", "park", "-o", out.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto back = gis::readGuotuTxt(out.string());
    CHECK(back.crs.epsg() == 4549);
    const auto raw = gis::readLayer(std::string(ONEMAP_SAMPLE_DIR) + "/g60.gpkg",
                                    gis::ReadOptions::forTable("park"));
    REQUIRE(back.features.size() == raw.features.size());
    for (std::size_t i = 0; i < raw.features.size(); ++i) {
        const auto& g = raw.features[i].geometry;
        // Coordinates rounded to the millimetre move the area by at most ~perimeter × 1 mm.
        CHECK(std::abs(back.features[i].geometry.area() - g.area()) <= g.length() * 1e-3 + 1e-6);
    }
    CHECK_FALSE(hasNote(back, "地块面积"));
    for (const char* layer : {"station", "rail"}) {
        const auto bad = test::runCli({"export", kPlan, "--layer", layer, "--format", "guotu-txt",
                                       "-o", (dir / (std::string(layer) + ".txt")).string()});
        CHECK(bad.code == 2);
        CHECK(bad.err.find("polygons") != std::string::npos);
        CHECK_FALSE(fs::exists(dir / (std::string(layer) + ".txt")));
    }
    const auto lonlat = test::runCli({"export", kPlan, "--layer", "park", "--crs", "EPSG:4490",
                                      "-o", (dir / "ll.txt").string()});
    CHECK(lonlat.code == 2);
}

TEST_CASE("国土 TXT: 1980西安 and 1954北京 need the datum shift, and get the one given",
          "[io][guotu]") {
    // Refused without parameters, with the reason and the line of 转换参数.
    const auto r = test::runCli({"check", kPlan, kXian});
    CHECK(r.code == 2);
    CHECK(r.err.find("xian80_no_parameters.txt:11:") != std::string::npos);
    CHECK(r.err.find("ballpark") != std::string::npos);
    // A CRS is no datum shift either.
    CHECK(test::runCli({"check", kPlan, kXian, "--sites-crs", "EPSG:2385"}).code == 2);

    const auto dir = scratch("xian");
    const std::string text = slurp(kXian);
    struct Datum {
        std::string header;
        int code;        // its 3-degree Gauss-Kruger CM 120°E CRS
        double a, invf;  // its ellipsoid: IAG-75, Krassovsky
    };
    for (const Datum& d : {Datum{"1980西安坐标系", 2385, 6378140.0, 298.257},
                           Datum{"1954北京坐标系", 2437, 6378245.0, 298.3}}) {
        INFO(d.header);
        const int code = d.code;
        const double a = d.a, invf = d.invf;
        const auto withParams = [&](const std::string& p) {
            auto t = withLine(text, 5, "坐标系=" + d.header);
            return put(dir / (std::to_string(code) + p + ".txt"), withLine(t, 11, "转换参数=" + p));
        };
        const auto firstPoint = [](const gis::VectorLayer& l) {
            return l.features.at(0).geometry.paths().at(0).at(0);  // J1: N 3400150, E 500100
        };
        const auto zero = gis::readGuotuTxt(withParams("0,0,0,0,0,0,0"));
        CHECK(zero.crs.epsg() == 4549);  // returned in CGCS2000, same zone
        // Zero parameters: only the ellipsoid changes. Independently: the Xi'an/Beijing
        // projection inverted by PROJ, the same lon/lat taken as CGCS2000, projected again.
        const gis::Crs source = gis::Crs::fromEpsg(code);
        const auto ll = gis::CoordinateTransform(source, source.geographic())
                            .apply(gis::Point{500100.0, 3400150.0});
        const auto want =
            gis::CoordinateTransform(gis::Crs::fromEpsg(4490), gis::Crs::fromEpsg(4549)).apply(ll);
        const auto p0 = firstPoint(zero);
        CHECK(p0.x == Approx(want.x).margin(1e-4));
        CHECK(p0.y == Approx(want.y).margin(1e-4));
        CHECK(std::abs(p0.y - 3400150.0) > 0.1);  // the ellipsoids do differ

        // ΔZ = 100 m moves the point north by 100·cos φ on the ground (east 0 on the CM).
        const double phi = ll.y * M_PI / 180;
        const auto dz = firstPoint(gis::readGuotuTxt(withParams("0,0,100,0,0,0,0")));
        CHECK(dz.y - p0.y == Approx(100 * std::cos(phi)).margin(0.01));
        CHECK(dz.x - p0.x == Approx(0).margin(0.01));
        // εZ = 1″ read as a coordinate-frame rotation turns longitude by −1″: west by
        // ν·cos φ·1″ (ν the prime-vertical radius of curvature).
        const double e2 = 1 - std::pow(1 - 1 / invf, 2);
        const double nu = a / std::sqrt(1 - e2 * std::sin(phi) * std::sin(phi));
        const auto rz = firstPoint(gis::readGuotuTxt(withParams("0,0,0,0,0,1,0")));
        CHECK(rz.x - p0.x == Approx(-nu * std::cos(phi) * M_PI / 648000).margin(0.01));
        CHECK(rz.y - p0.y == Approx(0).margin(0.01));
        // Scale +10 ppm: 10 ppm of the distance from the Earth's centre, mostly upwards;
        // the ground position moves by < 1 m.
        const auto s = firstPoint(gis::readGuotuTxt(withParams("0,0,0,0,0,0,10")));
        CHECK(std::hypot(s.x - p0.x, s.y - p0.y) < 1.0);

        // The same shift as a pipeline from the user (--sites-crs), hand-built.
        const std::string ellps = code == 2385 ? "IAU76" : "krass";
        const std::string tm = "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 ";
        const std::string pipeline = "+proj=pipeline +step +inv " + tm + "+ellps=" + ellps +
                                     " +step +proj=cart +ellps=" + ellps +
                                     " +step +proj=helmert +z=100 +convention=coordinate_frame"
                                     " +step +inv +proj=cart +ellps=GRS80 +step " +
                                     tm + "+ellps=GRS80";
        const auto none = withParams(",,,,,,");
        const auto viaPipeline = firstPoint(gis::readGuotuTxt(none, {pipeline}));
        CHECK(viaPipeline.x == Approx(dz.x).margin(1e-6));
        CHECK(viaPipeline.y == Approx(dz.y).margin(1e-6));
        // Two datum shifts at once, or a pipeline for a CGCS2000 file: refused.
        CHECK_THROWS_AS(gis::readGuotuTxt(withParams("0,0,100,0,0,0,0"), {pipeline}), InputError);
        CHECK_THROWS_AS(gis::readGuotuTxt(kPlainUtf8, {pipeline}), InputError);
        // Through check, the pipeline comes with --sites-crs.
        const auto ok =
            test::runCli({"check", kPlan, none, "--sites-crs", pipeline, "--rules", "no-farmland"});
        INFO(ok.err);
        CHECK(ok.code != 2);
        // Only 7 numbers make 转换参数.
        CHECK_THROWS_WITH(gis::readGuotuTxt(withParams("0,0,100")), Catch::Contains(":11:"));
    }
}

TEST_CASE("国土 TXT: a wrong declared area is a warning on the site in check reports",
          "[io][guotu]") {
    const auto dir = scratch("warn");
    const auto sites = put(dir / "sites.txt", withLine(slurp(kPlainUtf8), 19,
                                                       "3,0.2600,A-02,二号地块,面,,仓储用地,,@"));
    const auto r = test::runCli({"check", kPlan, sites, "--rules", "no-farmland", "--format",
                                 "json", "-o", (dir / "r.json").string()});
    INFO(r.err);
    REQUIRE(r.code != 2);
    std::ifstream in(dir / "r.json");
    const auto j = nlohmann::json::parse(in);
    REQUIRE(j["sites"].size() == 3);
    for (const auto& s : j["sites"]) {
        bool warned = false;
        for (const auto& w : s["warnings"])
            warned = warned || w.get<std::string>().find("地块面积") != std::string::npos;
        CHECK(warned == (s["id"] == "A-02"));
    }
    const auto text = test::runCli({"check", kPlan, sites, "--rules", "no-farmland"});
    CHECK(text.out.find("0.2400 ha on the Gauss-Kruger plane") != std::string::npos);
    // And when the sites are exported.
    const auto e =
        test::runCli({"export", kPlan, "--sites", sites, "-o", (dir / "out.txt").string()});
    CHECK(e.code == 0);
    CHECK(e.err.find("地块面积 of feature 2 ") != std::string::npos);
}

TEST_CASE("国土 TXT: every malformed line is exit 2 naming the file and the line", "[io][guotu]") {
    struct Case {
        std::size_t line;
        std::string text;
        std::size_t reported;
    };
    // Lines of zone40_plain_utf8_lf.txt: 5 坐标系, 6 几度分带, 9 带号, 13 the first parcel,
    // 14–18 its points, 24 the third parcel, 30–39 its rings 2 and 3.
    const std::vector<Case> cases = {
        {1, "hello", 1},
        {2, "格式版本号", 2},
        {5, "坐标系=WGS84", 5},
        {6, "几度分带=5", 6},
        {7, "投影类型=UTM", 7},
        {8, "计量单位=英尺", 8},
        {9, "带号=99", 9},
        {9, "带号=41", 9},  // no prefix: zone 41 puts CM 123°E, away from the eastings' place
        {12, "[坐标]", 12},
        {13, "9,0.5,A-01,一号地块,面,,工业用地,,@", 13},
        {13, "4,abc,A-01,一号地块,面,,工业用地,,@", 13},
        {13, "4,0.5,@", 13},
        {13, "4,0.5,A-01,一号地块,线,,工业用地,,@", 13},
        {14, "1，1，3400100.000，500100.000", 14},
        {15, "2,1,3400150.000", 15},
        {15, "2,1,3400150.0x0,500100.000", 15},
        {15, "2,1,3400150.000,abc", 15},
        {15, "2,x,3400150.000,500100.000", 15},
        {15, "2,0,3400150.000,500100.000", 15},
        {15, "2,1,3400150.000,40500100.000", 15},
        {15, "2,1,500100.000,3400150.000", 15},  // X and Y swapped: a "zone 3" prefix
        {15, "2,1,3400150.000,1e300", 15},
        {15, "2,1,-3400150.000,500100.000", 15},
        {18, "1,1,3400100.000,500100.001", 18},
        {35, "9,1,3400350.000,500350.000", 35},
    };
    const auto dir = scratch("bad");
    const std::string text = slurp(kPlainUtf8);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        INFO("line " << c.line << ": " << c.text);
        const std::string name = "bad" + std::to_string(i) + ".txt";
        const auto path = put(dir / name, withLine(text, c.line, c.text));
        const auto r = test::runCli({"check", kPlan, path});
        INFO(r.err);
        CHECK(r.code == 2);
        if (c.text == "带号=41") {  // a zone that disagrees is found by where the sites land
            CHECK(r.err.find(name) != std::string::npos);
            continue;
        }
        CHECK(r.err.find(name + ":" + std::to_string(c.reported) + ":") != std::string::npos);
    }
    // A byte that is neither UTF-8 nor GBK, in a GBK file.
    auto gbk = linesOf(slurp(kPrefixedGbk));
    gbk.at(13) = "J1,1,3400150.000,\xFF\xFE";
    const auto path = put(dir / "badbyte.txt", joinLines(gbk));
    const auto r = test::runCli({"check", kPlan, path});
    CHECK(r.code == 2);
    CHECK(r.err.find("badbyte.txt:14:") != std::string::npos);
    // The zone prefix disagreeing with 带号.
    const auto prefix =
        put(dir / "prefix.txt", withLine(slurp(kPrefixedGbk), 9, "\xB4\xF8\xBA\xC5=41\r"));  // 带号
    const auto p = test::runCli({"check", kPlan, prefix});
    CHECK(p.code == 2);
    CHECK(p.err.find("prefix.txt:9:") != std::string::npos);
}

TEST_CASE("国土 TXT: X and Y swapped throughout, and further parcel fields", "[io][guotu]") {
    const auto dir = scratch("swap");
    const auto swapped = [](const std::string& text) {
        auto lines = linesOf(text);
        for (auto& l : lines) {
            std::vector<std::string> f;
            std::istringstream in(l);
            for (std::string s; std::getline(in, s, ',');) f.push_back(s);
            if (f.size() == 4 && f[0].rfind("[", 0) != 0)
                l = f[0] + "," + f[1] + "," + f[3] + "," + f[2];
        }
        return joinLines(lines);
    };
    // Prefixed: 40 500 100 is no northing (line 14, the first point).
    const auto a = test::runCli({"check", kPlan, put(dir / "a.txt", swapped(slurp(kPrefixedGbk)))});
    CHECK(a.code == 2);
    CHECK(a.err.find("a.txt:14:") != std::string::npos);
    // Not prefixed: 3 400 150 reads as zone 3, which 带号=40 (line 9) contradicts.
    const auto b = test::runCli({"check", kPlan, put(dir / "b.txt", swapped(slurp(kPlainUtf8)))});
    CHECK(b.code == 2);
    CHECK(b.err.find("b.txt:9:") != std::string::npos);

    // Fields after 地类编码 are kept as 字段9, 字段10 and written back in place.
    const auto more = put(dir / "more.txt", withLine(slurp(kPlainUtf8), 13,
                                                     "4,0.5,A-01,一号地块,面,,工业用地,,甲,乙,@"));
    const auto l = gis::readGuotuTxt(more);
    CHECK(gis::toString(l.value(0, "字段9")) == "甲");
    CHECK(gis::toString(l.value(0, "字段10")) == "乙");
    CHECK(gis::isNull(l.value(1, "字段9")));
    const auto text = gis::formatGuotuTxt(l, {"UTF-8", "onemap", "2024-01-01", 3, false});
    CHECK(text.find("\n5,0.5000,A-01,一号地块,面,,工业用地,,甲,乙,@\n") != std::string::npos);
    CHECK(text.find("\n4,0.2400,A-02,二号地块,面,,仓储用地,,,,@\n") != std::string::npos);
}

TEST_CASE("国土 TXT: the declared-area warning is in the CSV report too", "[io][guotu][csv]") {
    const auto dir = scratch("warn-csv");
    const auto sites = put(dir / "sites.txt", withLine(slurp(kPlainUtf8), 19,
                                                       "3,0.2600,A-02,二号地块,面,,仓储用地,,@"));
    const auto r =
        test::runCli({"check", kPlan, sites, "--rules", "no-farmland", "--format", "csv"});
    INFO(r.err);
    REQUIRE(r.code != 2);
    auto lines = linesOf(r.out);
    while (!lines.empty() && lines[0].find('#') < 4) lines.erase(lines.begin());  // as_of=…
    REQUIRE(lines.size() == 4);  // header + 3 sites × 1 rule: one row per line still
    CHECK(lines[0].find(",summary,site_warnings,warnings") != std::string::npos);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        INFO(lines[i]);
        const bool a02 = lines[i].rfind("A-02,", 0) == 0;
        CHECK((lines[i].find("地块面积 of feature 2 ") != std::string::npos) == a02);
    }
}

TEST_CASE("国土 TXT: binary content is refused at its line without reading it all", "[io][guotu]") {
    const auto dir = scratch("nul");
    // The header, then 300 MB of NUL bytes (sparse: takes no disk) and no line end.
    const auto all = linesOf(slurp(kPlainUtf8));
    const std::string head = joinLines({all.begin(), all.begin() + 12});
    const auto big = put(dir / "big.txt", head);
    fs::resize_file(big, 300u << 20);
    const auto r = test::runCli({"check", kPlan, big});
    CHECK(r.code == 2);
    CHECK(r.err.find("big.txt: over 256 MB") != std::string::npos);
    const auto mid = put(dir / "mid.txt", head);
    fs::resize_file(mid, 64u << 20);
    const auto m = test::runCli({"check", kPlan, mid});
    CHECK(m.code == 2);
    CHECK(m.err.find("mid.txt:13: holds a NUL byte") != std::string::npos);
    CHECK(std::count(m.err.begin(), m.err.end(), '\n') == 1);
}

TEST_CASE("国土 TXT writer: a part that collapses names the layer, fid and part", "[io][guotu]") {
    gis::VectorLayer layer;
    layer.name = "parcels";
    layer.crs = gis::Crs::fromEpsg(4549);
    layer.geometryType = "MultiPolygon";
    gis::Feature f;
    f.fid = 7;
    const gis::Geometry big = gis::Geometry::polygon(
        {{{500000, 3400000}, {500100, 3400000}, {500100, 3400100}, {500000, 3400000}}});
    // Under 1 mm across: 3 decimals round it to fewer than 3 corners.
    const gis::Geometry sliver = gis::Geometry::polygon(
        {{{500200, 3400200}, {500200.0003, 3400200}, {500200, 3400200.0004}, {500200, 3400200}}});
    f.geometry = gis::Geometry::collect({big, sliver});
    REQUIRE(f.geometry.polygons().size() == 2);
    layer.features.push_back(f);
    try {
        (void)gis::formatGuotuTxt(layer);
        FAIL("a collapsing part was written");
    } catch (const InputError& e) {
        const std::string m = e.what();
        INFO(m);
        CHECK(m.find("layer 'parcels' feature 7") != std::string::npos);
        CHECK(m.find("part 2 of 2") != std::string::npos);
        CHECK(m.find("remove or merge") != std::string::npos);
    }
}
