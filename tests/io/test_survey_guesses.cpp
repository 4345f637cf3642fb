// Wrong guesses that should be questions (issue 32, classes 6–8): a point table mixing
// longitude/latitude rows with projected ones, a table giving both kinds of columns,
// declared encodings that lie (KML, DXF $DWGCODEPAGE, shapefile .cpg), a 国土 TXT mixing
// UTF-8 and GBK lines.
//
// Areas are hand-worked: a 300 m (east) × 400 m (north) rectangle on the central meridian of
// EPSG:4549 (120°E) is 120,000 m² on the grid; at most 300 m from the meridian the
// Gauss-Kruger scale factor is 1 + x²/2R² ≤ 1 + 1.1e-9, so the ellipsoidal area is within
// 120,000 × 2.2e-9 = 0.0003 m² of it: a margin of 0.01 m² holds.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "../test_support.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/formats/point_table/point_table.hpp"
#include "survey_check.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

const std::string& kPlan = test::kSurveyPlan;
const std::string kPlainUtf8 = std::string(ONEMAP_GUOTU_DATA) + "/zone40_plain_utf8_lf.txt";
constexpr double kE = 500000;
constexpr double kN = 3400000;
const char* const kHuzhou = "湖州工业用地";
const char* const kHuzhouGbk = "\xBA\xFE\xD6\xDD\xB9\xA4\xD2\xB5\xD3\xC3\xB5\xD8";

fs::path dir() {
    static const fs::path d = test::scratch("survey-guesses");
    return d;
}

fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir() / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

using test::slurp;

using Checked = test::SurveyCheck;
Checked check(const fs::path& sites, const std::vector<std::string>& extra = {}) {
    return test::checkSurvey(sites, extra);
}

std::size_t lineCount(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

// The 300 × 400 rectangle's corners (easting, northing), counter-clockwise from south-west.
const std::vector<std::pair<double, double>> kRect = {
    {kE, kN}, {kE + 300, kN}, {kE + 300, kN + 400}, {kE, kN + 400}};

}  // namespace

TEST_CASE("Point tables: rows of degrees among rows of metres are refused by row",
          "[io][survey][table][guesses]") {
    // Two corners in EPSG:4549 metres, two as latitude/longitude: no CRS reads both. Read as
    // one, the site was 480,772,333 m² (exit 1) with "the numbers cannot tell".
    const std::string csv =
        "点号,X坐标,Y坐标\n"
        "J1,30.7123,120.0000\n"
        "J2," +
        num(kN) + "," + num(kE + 300) +
        "\n"
        "J3," +
        num(kN + 400) + "," + num(kE + 300) +
        "\n"
        "J4,30.7159,120.0000\n";
    const auto file = write("mixed.csv", csv);
    const auto c = check(file, {"--sites-crs", "EPSG:4549"});
    INFO(c.err);
    CHECK(c.code == 2);
    CHECK(lineCount(c.err) == 1);
    CHECK_THAT(c.err, Catch::Contains("mixed.csv:2") && Catch::Contains("rows 2, 5") &&
                          Catch::Contains("rows 3, 4") && Catch::Contains("one CRS"));

    // A local drawing grid with a corner at its origin is one kind, not two: read as is.
    const std::string local = "点号,X,Y\nJ1,0,0\nJ2,0,300\nJ3,400,300\nJ4,400,0\n";
    const auto layer = gis::readPointTable(write("local.csv", local).string(), "");
    REQUIRE(layer);
    REQUIRE(layer->features.size() == 1);
    CHECK(layer->features[0].geometry.area() == Approx(120000).margin(1e-6));
}

TEST_CASE("Point tables: X/Y and 经度/纬度 side by side are chosen by the sites' CRS",
          "[io][survey][table][guesses]") {
    // The lon/lat columns rounded to 0.001°, as tables carry them "for reference"; X/Y are
    // the surveyed corners of the 300 × 400 rectangle.
    std::string csv = "点号,X坐标,Y坐标,经度,纬度\n";
    const char* lonLat[] = {"120.000,30.125", "120.003,30.125", "120.003,30.129", "120.000,30.129"};
    for (std::size_t i = 0; i < kRect.size(); ++i)
        csv += "J" + std::to_string(i + 1) + "," + num(kRect[i].second) + "," +
               num(kRect[i].first) + "," + lonLat[i] + "\n";
    const auto file = write("both.csv", csv);

    // A projected CRS reads X/Y (it was refused as "looks like longitude/latitude").
    const auto projected = check(file, {"--sites-crs", "EPSG:4549"});
    INFO(projected.err);
    REQUIRE(projected.code != 2);
    CHECK(projected.areas.at("both") == Approx(120000).margin(0.01));
    CHECK(projected.warns("columns 'X坐标'/'Y坐标' read, as EPSG:4549"));

    // A geographic CRS reads the degrees, and says how coarse they are. Hand-worked on the
    // GRS80 ellipsoid at the mid-latitude 30.127°: a meridian degree is 110,853 m and a
    // parallel degree 96,363 m, so 0.004° × 0.003° is 443.41 m × 289.09 m = 128,186 m²
    // (the latitude's spread changes cos φ by 4e-5: 0.1 % covers it). X/Y would give 120,000.
    const auto geographic = check(file, {"--sites-crs", "EPSG:4490"});
    INFO(geographic.err);
    REQUIRE(geographic.code != 2);
    CHECK(geographic.areas.at("both") == Approx(128186).epsilon(0.001));
    CHECK(geographic.warns("columns '经度'/'纬度' read, as EPSG:4490"));
    CHECK(geographic.warns("at most 3 decimals"));

    // No CRS: a question naming both pairs, not a guess.
    const auto none = check(file);
    INFO(none.err);
    CHECK(none.code == 2);
    CHECK(lineCount(none.err) == 1);
    CHECK_THAT(none.err, Catch::Contains("both.csv:1") && Catch::Contains("'X坐标'/'Y坐标'") &&
                             Catch::Contains("'经度'/'纬度'") && Catch::Contains("--sites-crs"));
}

namespace {

std::string lonLatRing() {
    // The rectangle's corners in lon/lat by PROJ's cs2cs (EPSG:4549 → EPSG:4326), closed.
    const std::string in = dir().string() + "/corners.txt";
    std::string text;
    for (const auto& [e, n] : kRect) text += num(n) + " " + num(e) + "\n";
    write("corners.txt", text + num(kN) + " " + num(kE) + "\n");
    const auto out = test::capture("cs2cs -d 12 EPSG:4549 EPSG:4326 < '" + in + "'");
    std::string coords;
    std::istringstream lines(out);
    for (std::string lat, lon, z; lines >> lat >> lon >> z;) coords += lon + "," + lat + ",0 ";
    return coords;
}

}  // namespace

TEST_CASE("KML declared GBK but saved as UTF-8 is read as UTF-8, with a warning",
          "[io][survey][kml][guesses][encoding]") {
    const std::string body =
        "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>sites</name>\n"
        "<Placemark><name>" +
        std::string(kHuzhou) + "</name><Polygon><outerBoundaryIs><LinearRing><coordinates>" +
        lonLatRing() +
        "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n"
        "</Document></kml>\n";
    // The lie: it was 婀栧窞宸ヤ笟鐢ㄥ湴, the UTF-8 bytes read as GBK.
    const auto lie = check(write("lie.kml", "<?xml version=\"1.0\" encoding=\"GBK\"?>\n" + body));
    INFO(lie.err);
    REQUIRE(lie.code != 2);
    REQUIRE(lie.names.size() == 1);
    CHECK(lie.names.begin()->second == kHuzhou);
    CHECK(lie.areas.begin()->second == Approx(120000).margin(0.01));
    CHECK(lie.warns("declares encoding \"gbk\" but its bytes are UTF-8"));

    // The truth: the same text in GBK is still decoded as GBK.
    std::string gbkBody = body;
    gbkBody.replace(gbkBody.find(kHuzhou), std::string(kHuzhou).size(), kHuzhouGbk);
    const auto truth =
        check(write("truth.kml", "<?xml version=\"1.0\" encoding=\"GBK\"?>\n" + gbkBody));
    INFO(truth.err);
    REQUIRE(truth.code != 2);
    CHECK(truth.names.begin()->second == kHuzhou);
    CHECK(truth.warns("recoded to UTF-8"));

    // GBK 路 (C2 B7) is also valid UTF-8 ("·", as plausible a character): still GBK.
    std::string road = gbkBody;
    road.replace(road.find(kHuzhouGbk), std::string(kHuzhouGbk).size(), "\xC2\xB7");
    const auto roadOnly =
        check(write("road.kml", "<?xml version=\"1.0\" encoding=\"GBK\"?>\n" + road));
    INFO(roadOnly.err);
    REQUIRE(roadOnly.code != 2);
    CHECK(roadOnly.names.begin()->second == "路");
}

namespace {

std::string g(int code, const std::string& value) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%3d", code);
    return std::string(buf) + "\n" + value + "\n";
}

// An AutoCAD 2000 (AC1015) drawing naming code page ANSI_936 (GBK): the rectangle and a
// text inside it naming the site.
std::string gbkDrawing(const std::string& name) {
    std::string s = g(0, "SECTION") + g(2, "HEADER") + g(9, "$ACADVER") + g(1, "AC1015") +
                    g(9, "$DWGCODEPAGE") + g(3, "ANSI_936") + g(0, "ENDSEC");
    s += g(0, "SECTION") + g(2, "ENTITIES");
    s += g(0, "LWPOLYLINE") + g(5, "2A") + g(100, "AcDbEntity") + g(8, "0") +
         g(100, "AcDbPolyline") + g(90, "4") + g(70, "1");
    for (const auto& [e, n] : kRect) s += g(10, num(e)) + g(20, num(n));
    s += g(0, "TEXT") + g(5, "30") + g(100, "AcDbEntity") + g(8, "0") + g(100, "AcDbText") +
         g(10, num(kE + 150)) + g(20, num(kN + 200)) + g(40, "2.5") + g(1, name);
    return s + g(0, "ENDSEC") + g(0, "EOF");
}

}  // namespace

TEST_CASE("DXF whose $DWGCODEPAGE says GBK over UTF-8 text is read as UTF-8",
          "[io][survey][dxf][guesses][encoding]") {
    const auto lie = check(write("lie.dxf", gbkDrawing(kHuzhou)), {"--sites-crs", "EPSG:4549"});
    INFO(lie.err);
    REQUIRE(lie.code != 2);
    CHECK(lie.names.at("2A") == kHuzhou);
    CHECK(lie.areas.at("2A") == Approx(120000).margin(0.01));
    CHECK(lie.warns("$DWGCODEPAGE says ANSI_936 but the bytes are UTF-8"));

    const auto truth =
        check(write("truth.dxf", gbkDrawing(kHuzhouGbk)), {"--sites-crs", "EPSG:4549"});
    INFO(truth.err);
    REQUIRE(truth.code != 2);
    CHECK(truth.names.at("2A") == kHuzhou);
    CHECK_FALSE(truth.warns("but the bytes are UTF-8"));
}

TEST_CASE("Shapefile whose .cpg says GBK over UTF-8 text is read as UTF-8",
          "[io][survey][shapefile][guesses][encoding]") {
    // Written by ogr2ogr in UTF-8; then the .cpg is made to lie, as an editor that kept the
    // old .cpg leaves it.
    std::string wkt = "POLYGON((";
    for (const auto& [e, n] : kRect) wkt += num(e) + " " + num(n) + ",";
    wkt += num(kE) + " " + num(kN) + "))";
    const auto csv =
        write("shape-source.csv", "id,name,WKT\nS1," + std::string(kHuzhou) + ",\"" + wkt + "\"\n");
    const auto shp = dir() / "lie.shp";
    test::capture(
        "ogr2ogr -f 'ESRI Shapefile' -a_srs EPSG:4549 -lco ENCODING=UTF-8 -oo "
        "GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO '" +
        shp.string() + "' '" + csv.string() + "' 2>&1");
    REQUIRE(fs::exists(dir() / "lie.cpg"));
    std::ofstream(dir() / "lie.cpg", std::ios::binary) << "GBK";
    const auto lie = check(shp);
    INFO(lie.err);
    REQUIRE(lie.code != 2);
    CHECK(lie.names.at("S1") == kHuzhou);
    CHECK(lie.areas.at("S1") == Approx(120000).margin(0.01));
    CHECK(lie.warns("the .cpg says GBK but the text is UTF-8"));

    // The truth: a GBK shapefile with a GBK .cpg is still read as GBK.
    const auto gbk = dir() / "truth.shp";
    test::capture(
        "ogr2ogr -f 'ESRI Shapefile' -a_srs EPSG:4549 -lco ENCODING=GBK -oo "
        "GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO '" +
        gbk.string() + "' '" + csv.string() + "' 2>&1");
    const auto truth = check(gbk);
    INFO(truth.err);
    REQUIRE(truth.code != 2);
    CHECK(truth.names.at("S1") == kHuzhou);
    CHECK_FALSE(truth.warns("but the text is UTF-8"));
}

TEST_CASE("国土 TXT mixing UTF-8 and GBK lines names the line that is not UTF-8",
          "[io][guotu][guesses][encoding]") {
    // Line 13 (the first parcel's header) re-saved in GBK inside a UTF-8 file: the line that
    // GBK cannot read (2) was blamed; the line to fix is 13.
    const std::string utf8 = slurp(kPlainUtf8);
    std::string text = utf8;
    const std::string parcel = "一号地块";
    REQUIRE(text.find(parcel) != std::string::npos);
    REQUIRE(
        static_cast<std::size_t>(std::count(
            text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.find(parcel)), '\n')) +
            1 ==
        13);
    text.replace(text.find(parcel), parcel.size(), "\xD2\xBB\xBA\xC5\xB5\xD8\xBF\xE9");
    const auto file = write("mixed.txt", text);
    const auto r = test::runCli({"check", kPlan, file.string()});
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(lineCount(r.err) == 1);
    CHECK_THAT(r.err, Catch::Contains("mixed.txt:13:") && Catch::Contains("not UTF-8") &&
                          Catch::Contains("mixes encodings"));
}
