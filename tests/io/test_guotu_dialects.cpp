// 国土 TXT as public exporters write it (tests/data/guotu/dialects, README.md there names the
// source of each): each file is read with onemap's reader and its areas checked against areas
// worked by hand below, with its rings and the warning for the rings it had to close. Then the
// bundled sample's sites, exported as the textbook file and rewritten as the ArcGIS Engine
// exporter writes them, must give the same check results as the textbook file.
//
// Areas by hand: every ring is a rectangle (Δnorthing × Δeasting), a right triangle
// (leg × leg / 2) or a trapezoid ((a + b) / 2 × h) in Gauss-Kruger metres; the shoelace sum
// of each is written out where it is not a rectangle.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../test_support.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/formats/guotu_txt/guotu_txt.hpp"
#include "onemap/gis/text/text_encoding.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

const std::string kDialects = std::string(ONEMAP_GUOTU_DATA) + "/dialects/";
const std::string kPlan = std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml";
const std::string kSites = std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg";

using test::slurp;

using test::put;

// The notes that say rings were closed: "N 个圈未闭合，已自动闭合 / N rings were …".
std::vector<std::string> closureNotes(const gis::VectorLayer& l) {
    std::vector<std::string> out;
    for (const auto& n : l.notes)
        if (n.find("个圈未闭合") != std::string::npos) out.push_back(n);
    return out;
}

// Rings of each part of feature i.
std::vector<std::size_t> ringsPerPart(const gis::VectorLayer& l, std::size_t i) {
    std::vector<std::size_t> out;
    for (const auto& part : l.features[i].geometry.polygons()) out.push_back(part.size());
    return out;
}

bool noAreaWarning(const gis::VectorLayer& l) {
    for (const auto& n : l.notes)
        if (n.find("地块面积") != std::string::npos) return false;
    return true;
}

std::string withLine(const std::string& text, std::size_t n, const std::string& line,
                     const std::string& eol) {
    std::istringstream in(text);
    std::string out;
    std::size_t k = 0;
    for (std::string l; std::getline(in, l);) {
        if (!l.empty() && l.back() == '\r') l.pop_back();
        out += (++k == n ? line : l) + eol;
    }
    return out;
}

}  // namespace

TEST_CASE("国土 TXT dialect: ArcGIS Engine (unclosed rings, holes first, 分带=3度带, empty 带号)",
          "[io][guotu][dialect]") {
    const std::string path = kDialects + "arcengine_unclosed_holes_first.txt";
    REQUIRE(slurp(path).find("\r\n") != std::string::npos);
    const auto l = gis::readGuotuTxt(path);
    CHECK(l.encoding == "UTF-8");
    // Empty 带号: the zone is the eastings' prefix 40; 分带=3度带 makes it a 3-degree zone.
    CHECK(l.crs.epsg() == 4528);
    for (const auto& n : l.notes) CHECK(n.find("几度分带 is empty") == std::string::npos);
    REQUIRE(l.features.size() == 3);
    // E-01: 50 × 100 = 5 000 m².
    CHECK(l.features[0].geometry.area() == Approx(5000.0).epsilon(1e-12));
    CHECK(ringsPerPart(l, 0) == std::vector<std::size_t>{1});
    // E-02: shell 100 × 200 = 20 000, hole (written first) 20 × 50 = 1 000: 19 000 m².
    CHECK(l.features[1].geometry.area() == Approx(19000.0).epsilon(1e-12));
    CHECK(ringsPerPart(l, 1) == std::vector<std::size_t>{2});
    // E-03: two parts, each hole before its shell, both shells 圈号 1:
    // 60 × 60 − 10 × 20 + 30 × 40 − 10 × 10 = 3 600 − 200 + 1 200 − 100 = 4 500 m².
    CHECK(l.features[2].geometry.area() == Approx(4500.0).epsilon(1e-12));
    CHECK(ringsPerPart(l, 2) == std::vector<std::size_t>{2, 2});
    for (const auto& f : l.features) CHECK(f.geometry.isValid());
    // 1 + 2 + 4 rings, none closed: one warning counting them.
    const auto notes = closureNotes(l);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].rfind("7 个圈未闭合，已自动闭合 / 7 rings were not closed and were closed", 0) ==
          0);
    CHECK(noAreaWarning(l));  // 0.5, 1.9, 0.45 ha as declared

    SECTION("分带 spelled as others write it") {
        const auto dir = test::scratch("guotu-fendai");
        const std::string text = slurp(path);
        // Line 4 is 分带=3度带. 分带=3 means the same; 分带=6度带 is no zone 40 (6-degree
        // zones of China are 13–23), so it is refused at its line: the key is read.
        CHECK(
            gis::readGuotuTxt(put(dir / "a.txt", withLine(text, 4, "分带=3", "\r\n"))).crs.epsg() ==
            4528);
        CHECK_THROWS_WITH(
            gis::readGuotuTxt(put(dir / "b.txt", withLine(text, 4, "分带=6度带", "\r\n"))),
            Catch::Contains("b.txt:4:"));
        CHECK_THROWS_WITH(
            gis::readGuotuTxt(put(dir / "c.txt", withLine(text, 4, "分带=5度带", "\r\n"))),
            Catch::Contains("c.txt:4:"));
        // Both keys, disagreeing: which one is meant is ambiguous.
        CHECK_THROWS_WITH(
            gis::readGuotuTxt(
                put(dir / "d.txt", withLine(text, 1, "[属性描述]\r\n几度分带=6", "\r\n"))),
            Catch::Contains("d.txt:5:") && Catch::Contains("disagrees with 几度分带 (line 2)"));
    }
    SECTION("a ring of fewer than 3 distinct points is still an error at its line") {
        const auto dir = test::scratch("guotu-short");
        const std::string text = slurp(path);
        // E-01 keeps two corners (lines 8, 9): no area; the count of 2 agrees with the lines.
        std::string two = withLine(text, 7, "2,0.5,E-01,一号地块,面,,工业用地,,@", "\r\n");
        two = withLine(two, 10, "", "\r\n");
        two = withLine(two, 11, "", "\r\n");
        CHECK_THROWS_WITH(gis::readGuotuTxt(put(dir / "two.txt", two)),
                          Catch::Contains("two.txt:9:") && Catch::Contains("2 distinct point(s)"));
        // Three lines, the third repeating the first: closed, but only 2 corners.
        std::string back = withLine(text, 10, "J3,1,3400100,40500100", "\r\n");
        back = withLine(back, 7, "3,0.5,E-01,一号地块,面,,工业用地,,@", "\r\n");
        back = withLine(back, 11, "", "\r\n");
        CHECK_THROWS_WITH(
            gis::readGuotuTxt(put(dir / "back.txt", back)),
            Catch::Contains("back.txt:10:") && Catch::Contains("2 distinct point(s)"));
    }
}

TEST_CASE("国土 TXT dialect: ArcGIS Pro CCTool, closing points counted but not written",
          "[io][guotu][dialect]") {
    const auto l = gis::readGuotuTxt(kDialects + "arcgis_pro_cctool_unclosed.txt");
    CHECK(l.crs.epsg() == 4549);  // 带号=40, no prefix
    REQUIRE(l.features.size() == 2);
    // P-01: 界址点数 10 = 4 + 4 corners + 2 unwritten repeats;
    // 100 × 100 − 20 × 30 = 10 000 − 600 = 9 400 m².
    CHECK(l.features[0].geometry.area() == Approx(9400.0).epsilon(1e-12));
    CHECK(ringsPerPart(l, 0) == std::vector<std::size_t>{2});
    // P-02: a right triangle, legs 80 (north) and 60 (east): 80 · 60 / 2 = 2 400 m². Shoelace
    // on (E, N) = (0,0), (0,80), (60,0): ½|0·80 − 0·0 + 0·0 − 60·80 + 0| = 2 400.
    CHECK(l.features[1].geometry.area() == Approx(2400.0).epsilon(1e-12));
    CHECK(gis::toString(l.value(0, "地类编码")) == "地上");  // the 8th field as written
    const auto notes = closureNotes(l);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].rfind("3 个圈未闭合", 0) == 0);
    CHECK(noAreaWarning(l));
}

TEST_CASE("国土 TXT dialect: web exporter with no 界址点数 and areas in 公顷",
          "[io][guotu][dialect]") {
    const auto l = gis::readGuotuTxt(kDialects + "web_arcgis_js.txt");
    CHECK(l.crs.epsg() == 4547);  // 带号=38 as the exporter hard-codes it, no prefix
    REQUIRE(l.features.size() == 2);
    // 地块1: 50 × 100 = 5 000 m²; 地块2: legs 80 and 60, 2 400 m² (closed rings, as written).
    CHECK(l.features[0].geometry.area() == Approx(5000.0).epsilon(1e-12));
    CHECK(l.features[1].geometry.area() == Approx(2400.0).epsilon(1e-12));
    CHECK(gis::toString(l.value(0, "name")) == "地块1");
    CHECK(gis::toNumber(l.value(0, "地块面积")) == Approx(0.5));  // "0.5000公顷"
    CHECK(gis::toNumber(l.value(1, "地块面积")) == Approx(0.24));
    CHECK(closureNotes(l).empty());
    CHECK(noAreaWarning(l));
    // A wrong area in 公顷 is still compared: 0.2600 against 2 400 m².
    const auto dir = test::scratch("guotu-web");
    const auto wrong = put(dir / "w.txt", withLine(slurp(kDialects + "web_arcgis_js.txt"), 16,
                                                   "0.2600公顷,,地块2,面,,,,@", "\r\n"));
    CHECK_FALSE(noAreaWarning(gis::readGuotuTxt(wrong)));
}

TEST_CASE("国土 TXT dialect: shp/txt converter, LF, blank fields as spaces, unclosed",
          "[io][guotu][dialect]") {
    const auto l = gis::readGuotuTxt(kDialects + "rust_converter_unclosed_lf.txt");
    CHECK(l.crs.epsg() == 4526);  // zone 38, prefixed
    REQUIRE(l.features.size() == 2);
    CHECK(l.features[0].geometry.area() == Approx(5000.0).epsilon(1e-12));  // 50 × 100
    // FID_B: trapezoid, 60 m at N 200 and 30 m at N 240: (60 + 30) / 2 · 40 = 1 800 m².
    // Shoelace on (E, N) − (383 000, 2 582 200): (0,0) (60,0) (40,40) (10,40):
    // ½ |(0·0 − 60·0) + (60·40 − 40·0) + (40·40 − 10·40) + (10·0 − 0·40)| = ½ (2400 + 1200) = 1800.
    CHECK(l.features[1].geometry.area() == Approx(1800.0).epsilon(1e-12));
    CHECK(gis::isNull(l.value(0, "地块用途")));  // " " is blank
    const auto notes = closureNotes(l);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].rfind("2 个圈未闭合", 0) == 0);
    CHECK(noAreaWarning(l));
}

TEST_CASE("国土 TXT dialect: bureau template, GBK, 精度 as decimals, numbers restart each ring",
          "[io][guotu][dialect]") {
    const std::string path = kDialects + "bureau_template_gbk.txt";
    REQUIRE_FALSE(gis::isValidUtf8(slurp(path)));
    const auto l = gis::readGuotuTxt(path);
    CHECK(l.encoding == "GBK");
    CHECK(l.crs.epsg() == 4527);  // zone 39, prefixed
    REQUIRE(l.features.size() == 2);
    // 区块一: 100 × 100 − 10 × 10 (hole) + 20 × 30 (second part) = 10 000 − 100 + 600.
    CHECK(l.features[0].geometry.area() == Approx(10500.0).epsilon(1e-12));
    CHECK(ringsPerPart(l, 0) == (std::vector<std::size_t>{2, 1}));
    CHECK(l.features[1].geometry.area() == Approx(2400.0).epsilon(1e-12));  // 80 · 60 / 2
    CHECK(closureNotes(l).empty());
    CHECK(noAreaWarning(l));
    // The template as printed says 带号=38 over eastings prefixed 39: which zone is meant is
    // ambiguous, so it is refused at the 带号 line.
    const auto dir = test::scratch("guotu-bureau");
    auto text = slurp(path);
    const auto at = text.find("=39");
    REQUIRE(at != std::string::npos);
    text.replace(at, 3, "=38");
    CHECK_THROWS_WITH(gis::readGuotuTxt(put(dir / "z.txt", text)),
                      Catch::Contains("z.txt:9:") && Catch::Contains("zone prefix 39"));
}

TEST_CASE("国土 TXT dialect: an arcpy script that swaps X and Y is refused at its first point",
          "[io][guotu][dialect]") {
    const auto r = test::runCli({"check", kPlan, kDialects + "arcpy_swapped_refused.txt"});
    CHECK(r.code == 2);
    CHECK(r.err.find("arcpy_swapped_refused.txt:14:") != std::string::npos);
    CHECK(r.out.empty());
}

namespace {

// The textbook file onemap writes, rewritten as the ArcGIS Engine exporter writes it: its
// header, 界址点数 without closing points, points J1… with no closing repeat, the rings of
// each parcel last first (holes before their shell), eastings with the zone prefix 40,
// numbers as C# prints them (no trailing zeros). UTF-8, CRLF.
std::string asArcEngine(const std::string& textbookUtf8) {
    const auto shortest = [](std::string s) {
        if (s.find('.') == std::string::npos) return s;
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
        return s;
    };
    std::string out =
        "[属性描述]\r\n投影类型=高斯克吕格\r\n坐标系=2000国家大地坐标系\r\n分带=3度带\r\n带号=\r\n"
        "[地块坐标]\r\n";
    std::vector<std::string> parcel;
    std::vector<std::vector<std::vector<std::string>>> rings;  // [ring][point] = fields
    const auto flush = [&] {
        if (parcel.empty()) return;
        std::size_t corners = 0;
        for (auto& r : rings) {
            if (r.size() > 1 && r.front()[2] == r.back()[2] && r.front()[3] == r.back()[3])
                r.pop_back();
            corners += r.size();
        }
        out += std::to_string(corners);
        for (std::size_t i = 1; i < parcel.size(); ++i) out += "," + parcel[i];
        out += "\r\n";
        int n = 1;
        for (auto r = rings.rbegin(); r != rings.rend(); ++r)
            for (const auto& p : *r) {
                const double easting = std::stod(p[3]) + 40e6;
                std::ostringstream e;
                e.precision(3);
                e << std::fixed << easting;
                out += "J" + std::to_string(n++) + "," + p[1] + "," + shortest(p[2]) + "," +
                       shortest(e.str()) + "\r\n";
            }
        parcel.clear();
        rings.clear();
    };
    std::istringstream in(textbookUtf8);
    bool points = false;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line == "[地块坐标]") {
            points = true;
            continue;
        }
        if (!points || line.empty()) continue;
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string s; std::getline(fields, s, ',');) f.push_back(s);
        if (line.back() == '@') {
            flush();
            parcel = f;
            continue;
        }
        REQUIRE(f.size() == 4);
        if (rings.empty() || rings.back().front()[1] != f[1]) rings.emplace_back();
        rings.back().push_back(f);
    }
    flush();
    return out;
}

nlohmann::json checkJson(const std::string& sites, const fs::path& out) {
    const auto r = test::runCli({"check", kPlan, sites, "--rules",
                                 "no-farmland,no-redline,in-devbound,near-station,rail-setback,"
                                 "no-approved",
                                 "--format", "json", "-o", out.string()});
    INFO(r.err);
    REQUIRE(r.code != 2);
    std::ifstream in(out);
    return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE(
    "国土 TXT dialect: the sample's sites as the ArcGIS Engine exporter writes them check "
    "as the textbook file does",
    "[io][guotu][dialect][cli]") {
    const auto dir = test::scratch("guotu-roundtrip");
    const auto textbook = (dir / "s.txt").string();
    const auto e = test::runCli({"export", kPlan, "--sites", kSites, "-o", textbook});
    INFO(e.err);
    REQUIRE(e.code == 0);
    // onemap writes GBK: to UTF-8 line by line. Then a 10 × 10 m hole in P-001 (ring 2, so
    // that holes-first is exercised): 界址点数 5 + 5, 地块面积 less 0.0100 ha.
    std::string utf8;
    {
        std::istringstream in(slurp(textbook));
        for (std::string l; std::getline(in, l);) {
            const auto u = gis::gbkToUtf8(l);
            REQUIRE(u);
            utf8 += *u + "\n";
        }
    }
    // P-001's parcel line "5,AREA_HA,P-001," and its first four points (a rectangle).
    const auto at = utf8.find(",P-001,");
    REQUIRE(at != std::string::npos);
    const auto lineStart = utf8.rfind('\n', at) + 1;
    const std::string head = utf8.substr(lineStart, at - lineStart);  // "5,7.2204"
    REQUIRE(head.rfind("5,", 0) == 0);
    const double areaHa = std::stod(head.substr(2));
    double north = 0, east = 0;
    std::size_t pos = utf8.find('\n', at) + 1;
    for (int k = 0; k < 4; ++k) {  // "J1,1,NORTHING,EASTING"
        const auto end = utf8.find('\n', pos);
        const std::string pt = utf8.substr(pos, end - pos);
        const auto c2 = pt.find(',', pt.find(',') + 1), c3 = pt.find(',', c2 + 1);
        north += std::stod(pt.substr(c2 + 1, c3 - c2 - 1)) / 4;
        east += std::stod(pt.substr(c3 + 1)) / 4;
        pos = end + 1;
    }
    // The hole: 10 × 10 m at the rectangle's centre, on whole metres.
    const long hn = std::lround(north), he = std::lround(east);
    char replaced[64];
    std::snprintf(replaced, sizeof replaced, "10,%.4f", areaHa - 0.01);
    utf8.replace(lineStart, head.size(), replaced);
    const auto next = utf8.find("\n5,", lineStart);  // P-002's parcel line
    REQUIRE(next != std::string::npos);
    const auto pt = [](int j, long x, long y) {
        return "J" + std::to_string(j) + ",2," + std::to_string(x) + ".000," + std::to_string(y) +
               ".000\n";
    };
    utf8.insert(next + 1, pt(5, hn, he) + pt(6, hn, he + 10) + pt(7, hn + 10, he + 10) +
                              pt(8, hn + 10, he) + pt(5, hn, he));
    put(textbook, utf8);
    const auto dialect = put(dir / "arc.txt", asArcEngine(utf8));
    REQUIRE(slurp(dialect).find("分带=3度带\r\n带号=\r\n") != std::string::npos);
    REQUIRE(slurp(dialect).find("J1,2," + std::to_string(hn) + ",40" + std::to_string(he) +
                                "\r\n") != std::string::npos);

    const auto a = checkJson(textbook, dir / "a.json");
    const auto b = checkJson(dialect, dir / "b.json");
    REQUIRE(a["sites"].size() == 30);
    REQUIRE(b["sites"].size() == 30);
    for (std::size_t i = 0; i < 30; ++i) {
        auto sa = a["sites"][i];
        auto sb = b["sites"][i];
        INFO(sa["id"]);
        sa.erase("warnings");
        sb.erase("warnings");
        CHECK(sa == sb);
    }
    CHECK(a["summary"] == b["summary"]);
    // P-001 lost its hole's 100 m² in both (on the ellipsoid: within 0.1 m² of it, the
    // Gauss-Kruger scale 120 km from the central meridian being 1.0002).
    const auto original = checkJson(kSites, dir / "o.json");
    CHECK(a["sites"][0]["id"] == "P-001");
    CHECK(original["sites"][0]["id"] == "P-001");
    CHECK(a["sites"][0]["area_m2"].get<double>() ==
          Approx(original["sites"][0]["area_m2"].get<double>() - 100).margin(0.1));
    // 31 rings (30 shells and the hole), none closed in arc.txt: the warning reaches the report.
    bool warned = false;
    for (const auto& w : b["warnings"])
        warned = warned || w.get<std::string>().find("arc.txt: 31 个圈未闭合，已自动闭合") !=
                               std::string::npos;
    CHECK(warned);
    for (const auto& w : a["warnings"])
        CHECK(w.get<std::string>().find("个圈未闭合") == std::string::npos);
}
