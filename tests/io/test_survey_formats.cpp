// Sites as planners receive them: CAD drawings (DXF), KML/KMZ from map apps, boundary-point
// tables (CSV, XLSX). Every file is written here by hand; every expected area is a rectangle
// or triangle worked by hand on the Gauss-Kruger grid (at the central meridian, where the
// scale factor is 1 within 3e-10, so the ellipsoidal area equals the grid area to 1e-9).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "../test_support.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/formats/kml/kml_sites.hpp"
#include "onemap/gis/layer/vector_layer.hpp"
#include "survey_check.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

const std::string& kPlan = test::kSurveyPlan;
// A place inside the sample one map, on the central meridian 120°E (EPSG:4549 grid).
constexpr double kE = 500000;
constexpr double kN = 3400000;

fs::path dir() {
    static const fs::path d = test::scratch("survey");
    return d;
}

fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir() / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

using Checked = test::SurveyCheck;
Checked check(const fs::path& sites, const std::vector<std::string>& extra = {}) {
    return test::checkSurvey(sites, extra);
}

// Exit 2 with one line naming the file and `what` (line, entity, ...).
void refused(const fs::path& sites, const std::vector<std::string>& extra,
             const std::vector<std::string>& mentions) {
    const auto c = check(sites, extra);
    INFO(c.err);
    CHECK(c.code == 2);
    CHECK(std::count(c.err.begin(), c.err.end(), '\n') == 1);
    CHECK(c.err.find(sites.filename().string()) != std::string::npos);
    for (const auto& m : mentions) CHECK(c.err.find(m) != std::string::npos);
}

// ---- DXF by hand: group code, value; one entity per call. ----
std::string g(int code, const std::string& value) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%3d", code);
    return std::string(buf) + "\n" + value + "\n";
}
std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    return buf;
}
using Pts = std::vector<std::pair<double, double>>;
std::string lwpolyline(const std::string& handle, const std::string& layer, const Pts& pts,
                       bool closed) {
    std::string s = g(0, "LWPOLYLINE") + g(5, handle) + g(100, "AcDbEntity") + g(8, layer) +
                    g(100, "AcDbPolyline") + g(90, std::to_string(pts.size())) +
                    g(70, closed ? "1" : "0");
    for (const auto& [x, y] : pts) s += g(10, num(x)) + g(20, num(y));
    return s;
}
std::string polyline(const std::string& handle, const std::string& layer, const Pts& pts) {
    std::string s = g(0, "POLYLINE") + g(5, handle) + g(100, "AcDbEntity") + g(8, layer) +
                    g(100, "AcDb2dPolyline") + g(66, "1") + g(10, "0") + g(20, "0") + g(30, "0") +
                    g(70, "1");
    for (const auto& [x, y] : pts)
        s += g(0, "VERTEX") + g(8, layer) + g(10, num(x)) + g(20, num(y)) + g(30, "0");
    return s + g(0, "SEQEND");
}
std::string hatch(const std::string& handle, const std::string& layer, const Pts& pts) {
    std::string s = g(0, "HATCH") + g(5, handle) + g(100, "AcDbEntity") + g(8, layer) +
                    g(100, "AcDbHatch") + g(10, "0") + g(20, "0") + g(30, "0") + g(210, "0") +
                    g(220, "0") + g(230, "1") + g(2, "SOLID") + g(70, "1") + g(71, "0") +
                    g(91, "1") + g(92, "2") + g(72, "0") + g(73, "1") +
                    g(93, std::to_string(pts.size()));
    for (const auto& [x, y] : pts) s += g(10, num(x)) + g(20, num(y));
    return s + g(97, "0") + g(75, "0") + g(76, "1") + g(98, "0");
}
std::string textAt(const std::string& handle, const std::string& layer, double x, double y,
                   const std::string& text) {
    return g(0, "TEXT") + g(5, handle) + g(100, "AcDbEntity") + g(8, layer) + g(100, "AcDbText") +
           g(10, num(x)) + g(20, num(y)) + g(40, "2.5") + g(1, text);
}
// AutoCAD 2007+ (AC1021) files are UTF-8; older ones name their code page (ANSI_936 = GBK).
std::string dxf(const std::string& entities, const std::string& version = "AC1021",
                const std::string& codepage = "") {
    std::string header = g(0, "SECTION") + g(2, "HEADER") + g(9, "$ACADVER") + g(1, version);
    if (!codepage.empty()) header += g(9, "$DWGCODEPAGE") + g(3, codepage);
    header += g(0, "ENDSEC");
    return header + g(0, "SECTION") + g(2, "ENTITIES") + entities + g(0, "ENDSEC") + g(0, "EOF");
}
Pts rect(double e, double n, double w, double h) {
    return {{e, n}, {e + w, n}, {e + w, n + h}, {e, n + h}};
}

}  // namespace

TEST_CASE("DXF: closed polylines and hatches are sites, a text names its site",
          "[io][survey][dxf]") {
    // Zone-prefixed eastings (zone 40): the drawing is in EPSG:4528, the plan in EPSG:4549.
    const double e = 40e6 + kE, n = kN;
    const std::string body =
        lwpolyline("2A", "红线", rect(e, n, 100, 50), true)                        // 5000 m²
        + polyline("2C", "红线", {{e + 200, n}, {e + 260, n}, {e + 260, n + 30}})  // ½·60·30 = 900
        + hatch("2E", "红线", rect(e + 300, n, 40, 40))                            // 1600
        + hatch("2F", "红线", rect(e, n, 100, 50))  // fills 2A: the same site, once
        + textAt("30", "红线", e + 50, n + 25, "地块A");
    const auto file = write("drawing.dxf", dxf(body));
    const auto c = check(file, {"--sites-crs", "EPSG:4528"});
    INFO(c.err);
    REQUIRE(c.code != 2);
    REQUIRE(c.areas.size() == 3);
    CHECK(c.areas.at("2A") == Approx(5000).margin(0.01));
    CHECK(c.areas.at("2C") == Approx(900).margin(0.01));
    CHECK(c.areas.at("2E") == Approx(1600).margin(0.01));
    CHECK(c.names.at("2A") == "地块A");
    CHECK(c.warns("fills entity 2A"));
    CHECK(c.warns("CAD layer '红线'"));

    // No CRS in a DXF: refused, and the zone prefix named with its CGCS2000 code.
    refused(file, {}, {"--sites-crs", "zone prefix 40", "EPSG:4528"});
    // A CRS without the prefix for prefixed numbers: the existing diagnosis names 4528.
    refused(file, {"--sites-crs", "EPSG:4549"}, {"EPSG:4528"});
    // Without the prefix, the central meridian cannot be read from the numbers.
    const auto plain = write("plain.dxf", dxf(lwpolyline("2A", "0", rect(kE, kN, 10, 10), true)));
    refused(plain, {}, {"--sites-crs", "central meridian", "EPSG:4549"});
    CHECK(check(plain, {"--sites-crs", "EPSG:4549"}).areas.at("2A") == Approx(100).margin(0.01));
}

TEST_CASE("DXF: open polylines are refused by handle, layers chosen with --layer",
          "[io][survey][dxf]") {
    const double e = kE, n = kN;
    const auto open = write(
        "open.dxf", dxf(lwpolyline("2A", "红线", rect(e, n, 100, 50), true) +
                        lwpolyline("2B", "红线", {{e, n}, {e + 10, n}, {e + 10, n + 10}}, false)));
    refused(open, {"--sites-crs", "EPSG:4549"}, {"entity 2B", "open", "红线"});

    // An open polyline that ends where it starts is closed as drawn.
    auto ring = rect(e, n, 30, 20);
    ring.push_back(ring.front());
    const auto closedByEnds = write("ends.dxf", dxf(lwpolyline("2D", "0", ring, false)));
    CHECK(check(closedByEnds, {"--sites-crs", "EPSG:4549"}).areas.at("2D") ==
          Approx(600).margin(0.01));

    // Boundaries on two CAD layers: the planner says which.
    const auto two = write("two.dxf", dxf(lwpolyline("2A", "红线", rect(e, n, 100, 50), true) +
                                          lwpolyline("3A", "道路", {{e, n}, {e + 500, n}}, false) +
                                          textAt("3B", "标注", e, n, "说明")));
    refused(two, {"--sites-crs", "EPSG:4549"}, {"'红线' (1)", "'道路' (1)", "--layer"});
    const auto chosen = check(two, {"--sites-crs", "EPSG:4549", "--layer", "红线"});
    INFO(chosen.err);
    REQUIRE(chosen.areas.size() == 1);
    CHECK(chosen.areas.at("2A") == Approx(5000).margin(0.01));
    CHECK(chosen.warns("2 entities on other CAD layers left out"));
    refused(two, {"--sites-crs", "EPSG:4549", "--layer", "道路"}, {"entity 3A", "open"});
    refused(two, {"--sites-crs", "EPSG:4549", "--layer", "绿地"}, {"no CAD layer '绿地'"});
    refused(two, {"--sites-crs", "EPSG:4549", "--layer", "标注"}, {"holds no polyline"});

    // A GBK drawing (AutoCAD 2004, code page 936): the layer name reads back as Chinese.
    const std::string gbkRedLine = "\xBA\xEC\xCF\xDF";  // 红线 in GBK
    const auto gbk = write("gbk.dxf", dxf(lwpolyline("2A", gbkRedLine, rect(e, n, 20, 20), true),
                                          "AC1018", "ANSI_936"));
    const auto c = check(gbk, {"--sites-crs", "EPSG:4549", "--layer", "红线"});
    INFO(c.err);
    CHECK(c.areas.at("2A") == Approx(400).margin(0.01));

    // AutoCAD 2007+ writes UTF-8 even when its header names a code page (here GBK's).
    const auto utf8 = write(
        "utf8.dxf", dxf(lwpolyline("2A", "红线", rect(e, n, 20, 10), true), "AC1024", "ANSI_936"));
    CHECK(check(utf8, {"--sites-crs", "EPSG:4549", "--layer", "红线"}).areas.at("2A") ==
          Approx(200).margin(0.01));

    // Nothing to read: only texts.
    refused(write("texts.dxf", dxf(textAt("2A", "0", e, n, "x"))), {"--sites-crs", "EPSG:4549"},
            {"no polyline or hatch"});
}

namespace {

// Lon/lat (WGS84 as KML means it) of a grid point of EPSG:4549, by PROJ.
std::string lonLat(double e, double n) {
    static const gis::CoordinateTransform toLonLat(gis::Crs::fromEpsg(4549),
                                                   gis::Crs::fromEpsg(4326));
    const auto p = toLonLat.apply(gis::Point{e, n});
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.12f,%.12f,0", p.x, p.y);
    return buf;
}

std::string kmlPolygon(const std::string& name, const Pts& grid, const std::string& extended) {
    std::string coords;
    for (const auto& [e, n] : grid) coords += lonLat(e, n) + " ";
    coords += lonLat(grid.front().first, grid.front().second);
    return "<Placemark><name>" + name + "</name>" + extended +
           "<Polygon><outerBoundaryIs><LinearRing><coordinates>" + coords +
           "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n";
}

std::string kml(const std::string& documentName, const std::string& placemarks,
                const std::string& description = "") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>" +
           documentName + "</name>" +
           (description.empty() ? "" : "<description>" + description + "</description>") + "\n" +
           placemarks + "</Document></kml>\n";
}

const std::string kSitesKml =
    kmlPolygon("地块一", rect(kE, kN, 200, 100),
               "<ExtendedData><Data name=\"id\"><value>K1</value></Data>"
               "<Data name=\"项目\"><value>智能制造</value></Data></ExtendedData>") +
    kmlPolygon("地块二", {{kE + 300, kN}, {kE + 380, kN}, {kE + 300, kN + 50}},
               "<ExtendedData><Data name=\"id\"><value>K2</value></Data></ExtendedData>") +
    "<Placemark><name>入口</name><Point><coordinates>" + lonLat(kE, kN) +
    "</coordinates></Point></Placemark>\n";

}  // namespace

TEST_CASE("KML: polygon placemarks with names and ExtendedData, other placemarks noted",
          "[io][survey][kml]") {
    const auto file = write("sites.kml", kml("规划地块", kSitesKml));
    const auto c = check(file);
    INFO(c.err);
    REQUIRE(c.code != 2);
    REQUIRE(c.areas.size() == 2);
    CHECK(c.areas.at("K1") == Approx(20000).margin(0.01));  // 200 × 100
    CHECK(c.areas.at("K2") == Approx(2000).margin(0.01));   // ½ · 80 · 50
    CHECK(c.names.at("K1") == "地块一");
    CHECK(c.warns("not polygons left out: '入口' (Point)"));
    CHECK_FALSE(c.warns("--from"));  // nothing says web map

    // Only points: nothing to check.
    refused(
        write("points.kml", kml("x", "<Placemark><name>p</name><Point><coordinates>" +
                                         lonLat(kE, kN) + "</coordinates></Point></Placemark>")),
        {}, {"no polygon"});
}

TEST_CASE("KML from Ovital Map or a Chinese web map: a warning unless --from says",
          "[io][survey][kml]") {
    // Ovital names itself in the document; it does not say WGS84.
    const auto ovital = write("ovital.kml", kml("奥维互动地图", kSitesKml));
    const auto c = check(ovital);
    INFO(c.err);
    REQUIRE(c.code != 2);
    CHECK(c.warns("Ovital"));
    CHECK(c.warns("--from gcj02"));
    CHECK(c.err.find("--from gcj02") != std::string::npos);  // said on the terminal too
    // With --from gcj02 the offset is undone: no warning, the sites move, areas stay.
    const auto undone = check(ovital, {"--from", "gcj02"});
    CHECK_FALSE(undone.warns("--from gcj02"));
    // GCJ-02 is no plain shift: its sine terms stretch the ground by up to ~0.4 %.
    CHECK(undone.areas.at("K1") == Approx(20000).epsilon(0.005));
    CHECK(undone.areas.at("K1") != Approx(20000).margin(0.01));
    // Saying WGS84 clears Ovital's name; saying GCJ-02 or BD-09 warns whoever wrote it.
    CHECK_FALSE(
        check(write("ovital84.kml", kml("奥维互动地图", kSitesKml, "WGS84 坐标"))).warns("--from"));
    CHECK(check(write("gcj.kml", kml("x", kSitesKml, "坐标系: GCJ-02"))).warns("--from gcj02"));
    CHECK(check(write("bd.kml", kml("x", kSitesKml, "百度坐标"))).warns("--from bd09"));
    // Ovital 9.3+ writes .ovkml (GCJ-02): the extension alone is enough.
    const auto ov = write("export.ovkml", kml("x", kSitesKml));
    CHECK(gis::kmlOrigin(ov.string()).from == "gcj02");
    CHECK(check(ov).warns(".ovkml"));
}

TEST_CASE("KMZ: read through GDAL, Ovital's name found inside the archive", "[io][survey][kml]") {
    // GDAL's LIBKML writer (ogr2ogr) packs a hand-written KML into a KMZ: doc.kml links
    // layers/sites.kml (an ASCII name: GDAL stores zip entry names in CP437), where the
    // placemarks and their descriptions go.
    const auto source = write(
        "for-kmz.kml",
        kml("sites", kmlPolygon("地块一", rect(kE, kN, 200, 100),
                                "<description>奥维互动地图 导出</description><ExtendedData>"
                                "<Data name=\"id\"><value>K1</value></Data></ExtendedData>")));
    const auto kmz = dir() / "sites.kmz";
    test::capture("ogr2ogr -f LIBKML -nln sites '" + kmz.string() + "' '" + source.string() +
                  "' 2>&1");
    CHECK(gis::kmlOrigin(kmz.string()).from == "gcj02");
    const auto c = check(kmz);
    INFO(c.err);
    REQUIRE(c.code != 2);
    CHECK(c.areas.at("K1") == Approx(20000).margin(0.01));
    CHECK(c.warns("Ovital"));
}

namespace {

// A point table row: point number, X (northing), Y (easting), parcel, ring.
std::string row(const std::string& pt, double n, double e, const std::string& parcel,
                const std::string& ring) {
    return pt + "," + num(n) + "," + num(e) + "," + parcel + "," + ring + "\n";
}

}  // namespace

TEST_CASE("Point tables: Chinese headers below a title, holes, parts, merged cells",
          "[io][survey][table]") {
    // Parcel A: 100 × 100 with a 20 × 20 hole (ring 2) = 9600. Parcel B (its cell blank
    // below the first row, as merged cells export): 50 × 50 closed by repeating J1, and a
    // triangle ½ · 40 · 30 = 600 apart from it, not closed: 3100.
    std::string csv =
        "\xEF\xBB\xBF界址点坐标表,,,,\n项目：测试,,,,\n点号,X坐标,Y坐标,地块编号,圈号\n";
    csv += row("J1", kN, kE, "A", "1") + row("J2", kN, kE + 100, "", "") +
           row("J3", kN + 100, kE + 100, "", "") + row("J4", kN + 100, kE, "", "") +
           row("J1", kN, kE, "", "");
    csv += row("J5", kN + 40, kE + 40, "A", "2") + row("J6", kN + 40, kE + 60, "A", "2") +
           row("J7", kN + 60, kE + 60, "A", "2") + row("J8", kN + 60, kE + 40, "A", "2");
    csv += row("J1", kN, kE + 200, "B", "1") + row("J2", kN, kE + 250, "", "") +
           row("J3", kN + 50, kE + 250, "", "") + row("J4", kN + 50, kE + 200, "", "") +
           row("J1", kN, kE + 200, "", "");
    csv += row("J5", kN, kE + 300, "B", "2") + row("J6", kN, kE + 340, "", "") +
           row("J7", kN + 30, kE + 300, "", "");
    csv += "合计,,,,\n";
    const auto file = write("table.csv", csv);
    const auto c = check(file, {"--sites-crs", "EPSG:4549"});
    INFO(c.err);
    REQUIRE(c.code != 2);
    REQUIRE(c.areas.size() == 2);
    CHECK(c.areas.at("A") == Approx(9600).margin(0.01));
    CHECK(c.areas.at("B") == Approx(3100).margin(0.01));
    CHECK(c.warns("'X坐标' read as northing and 'Y坐标' as easting"));
    CHECK(c.warns("the numbers agree"));
    CHECK(c.warns("rows without coordinates left out (21)"));
    // No CRS in a CSV: refused, with what the numbers say.
    refused(file, {}, {"--sites-crs", "central meridian"});
}

TEST_CASE("Point tables: GBK with CRLF, rings split where they close, north/east headers",
          "[io][survey][table]") {
    // 界址点号,北坐标,东坐标 in GBK; no parcel or ring column: one parcel named after the file.
    // Outer 100 × 60 closed by J1, then the hole 10 × 10: 6000 − 100 = 5900.
    const std::string header =
        "\xBD\xE7\xD6\xB7\xB5\xE3\xBA\xC5,\xB1\xB1\xD7\xF8\xB1\xEA,"
        "\xB6\xAB\xD7\xF8\xB1\xEA\r\n";
    std::string csv = header;
    const auto add = [&csv](const std::string& pt, double n, double e) {
        csv += pt + "," + num(n) + "," + num(e) + "\r\n";
    };
    add("J1", kN, kE), add("J2", kN, kE + 100), add("J3", kN + 60, kE + 100),
        add("J4", kN + 60, kE), add("J1", kN, kE);
    add("K1", kN + 20, kE + 20), add("K2", kN + 20, kE + 30), add("K3", kN + 30, kE + 30),
        add("K4", kN + 30, kE + 20), add("K1", kN + 20, kE + 20);
    const auto file = write("宗地.csv", csv);
    const auto c = check(file, {"--sites-crs", "EPSG:4549"});
    INFO(c.err);
    REQUIRE(c.code != 2);
    CHECK(c.areas.at("宗地") == Approx(5900).margin(0.01));
    CHECK(c.warns("text read as GBK"));
    CHECK(c.warns("as the headers name them"));
}

TEST_CASE("Point tables: x/y in GIS order are read by their numbers", "[io][survey][table]") {
    // English x/y with x = easting: the numbers overrule the survey convention, and say so.
    std::string csv = "point,x,y,parcel\n";
    int i = 0;
    for (const auto& [e, n] : rect(kE, kN, 70, 30))
        csv += "p" + std::to_string(++i) + "," + num(e) + "," + num(n) + ",P1\n";
    const auto c = check(write("gis.csv", csv), {"--sites-crs", "EPSG:4549"});
    INFO(c.err);
    CHECK(c.areas.at("P1") == Approx(2100).margin(0.01));
    CHECK(c.warns("'x' read as easting and 'y' as northing"));
}

TEST_CASE("Point tables: XLSX written by GDAL, one polygon per parcel", "[io][survey][table]") {
    // GDAL's XLSX writer (ogr2ogr) makes the workbook from a CSV, numbers as number cells.
    std::string csv = "地块编号,点号,X,Y\n";
    const auto add = [&csv](const std::string& parcel, const Pts& pts) {
        int i = 1;
        for (const auto& [e, n] : pts)
            csv += parcel + ",J" + std::to_string(i++) + "," + num(n) + "," + num(e) + "\n";
    };
    add("X1", rect(kE, kN, 120, 80));                                  // 9600
    add("X2", {{kE + 200, kN}, {kE + 290, kN}, {kE + 200, kN + 20}});  // ½ · 90 · 20 = 900
    const auto source = write("points-source.csv", csv);
    const auto xlsx = dir() / "points.xlsx";
    test::capture("ogr2ogr -f XLSX -oo AUTODETECT_TYPE=YES -nln 界址点 '" + xlsx.string() + "' '" +
                  source.string() + "' 2>&1");
    const auto c = check(xlsx, {"--sites-crs", "EPSG:4549"});
    INFO(c.err);
    REQUIRE(c.code != 2);
    CHECK(c.areas.at("X1") == Approx(9600).margin(0.01));
    CHECK(c.areas.at("X2") == Approx(900).margin(0.01));
    CHECK(c.warns("'X' read as northing"));
    // The sheet by name; a missing one is refused.
    CHECK(check(xlsx, {"--sites-crs", "EPSG:4549", "--layer", "界址点"}).areas.size() == 2);
    refused(xlsx, {"--sites-crs", "EPSG:4549", "--layer", "nope"}, {"nope"});
}

TEST_CASE("Point tables: malformed input is refused naming the file and line",
          "[io][survey][table][errors]") {
    const std::string head = "点号,X坐标,Y坐标,地块编号,圈号\n";
    const std::string ok = row("J1", kN, kE, "A", "1") + row("J2", kN, kE + 10, "A", "1") +
                           row("J3", kN + 10, kE + 10, "A", "1");
    const std::vector<std::string> crs{"--sites-crs", "EPSG:4549"};
    // A coordinate that is not a number (line 3).
    refused(write("nan.csv", head + ok.substr(0, ok.find('\n') + 1) + "J2,3400000,abc,A,1\n"), crs,
            {"nan.csv:3", "'abc' is not a number"});
    // A ring of two points (parcel B, line 5).
    refused(write("two.csv",
                  head + ok + row("K1", kN, kE + 50, "B", "1") + row("K2", kN, kE + 60, "B", "1")),
            crs, {"two.csv:5", "parcel 'B' ring '1'", "2 distinct"});
    // The closing point number repeated with other coordinates (line 5).
    refused(write("moved.csv", head + ok + row("J1", kN + 1, kE, "A", "1")), crs,
            {"moved.csv:5", "'J1'", "other coordinates"});
    // Two rings of one parcel that cross.
    refused(write("cross.csv",
                  head + row("J1", kN, kE, "A", "1") + row("J2", kN, kE + 10, "A", "1") +
                      row("J3", kN + 10, kE + 10, "A", "1") + row("J4", kN + 10, kE, "A", "1") +
                      row("K1", kN + 5, kE + 5, "A", "2") + row("K2", kN + 5, kE + 15, "A", "2") +
                      row("K3", kN + 15, kE + 15, "A", "2")),
            crs, {"cross.csv:6", "cross each other", "parcel 'A'"});
    // Headers that name north/east for numbers the other way round.
    refused(write("swapped.csv", "点号,北坐标,东坐标\nJ1," + num(kE) + "," + num(kN) + "\nJ2," +
                                     num(kE + 10) + "," + num(kN) + "\nJ3," + num(kE + 10) + "," +
                                     num(kN + 10) + "\n"),
            crs, {"swapped.csv:1", "fix the headers"});
    // A point with no parcel and none above it.
    refused(write("noparcel.csv", head + ",3400000,500000,,1\n"), crs,
            {"noparcel.csv:2", "no 地块编号"});
    // Bytes that are neither UTF-8 nor GBK.
    refused(write("binary.csv", head + "J1,\xFF\xFF,1\n"), crs, {"neither UTF-8 nor GBK"});
    // An unclosed quote.
    refused(write("quote.csv", head + "\"J1,3400000,500000,A,1\n"), crs, {"quote.csv:2"});
}

namespace {

// The 1-based line of the first occurrence of `what` in `text`.
std::size_t lineOf(const std::string& text, const std::string& what) {
    const auto at = text.find(what);
    return static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
}

}  // namespace

TEST_CASE("DXF: a pipe or a device is refused before it is read", "[io][survey][dxf]") {
    const fs::path fifo = dir() / "fifo.dxf";
    fs::remove(fifo);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    refused(fifo, {"--sites-crs", "EPSG:4549"}, {"not a regular file"});  // no hang
    const fs::path zero = dir() / "zero.dxf";
    fs::remove(zero);
    fs::create_symlink("/dev/zero", zero);
    refused(zero, {"--sites-crs", "EPSG:4549"}, {"not a regular file"});  // no bad_alloc
    fs::remove(fifo);
    fs::remove(zero);
}

TEST_CASE("DXF: a coordinate that is not a number is refused by line and handle",
          "[io][survey][dxf]") {
    const std::string good = dxf(lwpolyline("2A", "红线", rect(kE, kN, 100, 50), true));
    const std::string y = num(kN + 50);  // the third vertex's northing
    for (const std::string bad : {"abc", "nan", "1,5", ""}) {
        INFO("'" << bad << "'");
        std::string text = good;
        text.replace(text.find(y), y.size(), bad);
        const auto file = write("nonnum.dxf", text);
        refused(file, {"--sites-crs", "EPSG:4549"},
                {"nonnum.dxf:" + std::to_string(lineOf(good, y)) + ":", "entity 2A",
                 "group code 20", "not a number"});
    }
}

TEST_CASE("DXF: a block reference drawing lines on the chosen layer is refused by handle",
          "[io][survey][dxf]") {
    const auto blocks = [](const std::string& content) {
        return g(0, "SECTION") + g(2, "BLOCKS") + g(0, "BLOCK") + g(8, "0") + g(2, "BLK") +
               g(70, "0") + g(10, "0") + g(20, "0") + g(30, "0") + content + g(0, "ENDBLK") +
               g(8, "0") + g(0, "ENDSEC");
    };
    const std::string insert = g(0, "INSERT") + g(5, "9I") + g(100, "AcDbEntity") + g(8, "红线") +
                               g(100, "AcDbBlockReference") + g(2, "BLK") + g(10, num(kE + 300)) +
                               g(20, num(kN)) + g(30, "0");
    const auto withBlock = [&](const std::string& content) {
        std::string text = dxf(lwpolyline("2A", "红线", rect(kE, kN, 100, 50), true) + insert);
        const auto entities = text.find(g(0, "SECTION") + g(2, "ENTITIES"));
        return text.insert(entities, blocks(content));
    };
    // A block of a square: GDAL would explode it into a second "site".
    const std::string square = withBlock(lwpolyline("B1", "0", rect(0, 0, 10, 10), true));
    const auto file = write("insert.dxf", square);
    refused(file, {"--sites-crs", "EPSG:4549"},
            {"insert.dxf:" + std::to_string(lineOf(square, "INSERT\n")) + ":", "entity 9I",
             "INSERT of block 'BLK'", "EXPLODE"});
    // A block of a text only (a symbol) draws no boundary: the site is read.
    const auto symbol = write("symbol.dxf", withBlock(textAt("B2", "0", 0, 0, "※")));
    const auto c = check(symbol, {"--sites-crs", "EPSG:4549"});
    INFO(c.err);
    REQUIRE(c.code != 2);
    CHECK(c.areas.size() == 1);
    CHECK(c.areas.at("2A") == Approx(5000).margin(0.01));
}

TEST_CASE("KML: Chinese ExtendedData names are kept as written, none dropped",
          "[io][survey][kml]") {
    const auto file = write(
        "cn.kml", kml("x", kmlPolygon("地块一", rect(kE, kN, 200, 100),
                                      "<ExtendedData><Data name=\"面积\"><value>2</value></Data>"
                                      "<Data name=\"id\"><value>K1</value></Data>"
                                      "<Data name=\"用途\"><value>工业</value></Data>"
                                      "</ExtendedData>")));
    const auto out = dir() / "cn.geojson";
    fs::remove(out);
    const auto r = test::runCli({"export", kPlan, "--sites", file.string(), "-o", out.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::ifstream in(out);
    const auto j = nlohmann::json::parse(in);
    const auto& props = j["features"][0]["properties"];
    CHECK(props["面积"] == "2");
    CHECK(props["用途"] == "工业");
    CHECK(props["id"] == "K1");
}

TEST_CASE("KML: Ovital's .ovkmz is read as KMZ, a GBK KML is recoded", "[io][survey][kml]") {
    const auto source =
        write("for-ovkmz.kml",
              kml("sites", kmlPolygon("地块一", rect(kE, kN, 200, 100),
                                      "<ExtendedData><Data name=\"id\"><value>K1</value></Data>"
                                      "</ExtendedData>")));
    const auto kmz = dir() / "ov.kmz";
    fs::remove(kmz);
    test::capture("ogr2ogr -f LIBKML -nln sites '" + kmz.string() + "' '" + source.string() +
                  "' 2>&1");
    const auto ovkmz = dir() / "export.ovkmz";
    fs::remove(ovkmz);
    fs::rename(kmz, ovkmz);
    const auto c = check(ovkmz);
    INFO(c.err);
    REQUIRE(c.code != 2);
    CHECK(c.areas.at("K1") == Approx(20000).margin(0.01));
    CHECK(c.warns(".ovkmz"));

    // Ovital's older exports declare GBK, which expat (GDAL's XML parser) does not know.
    const std::string gbkName = "\xB5\xD8\xBF\xE9";  // 地块
    std::string text = kml("\xB0\xC2\xCE\xAC", kmlPolygon(gbkName, rect(kE, kN, 200, 100),
                                                          "<ExtendedData><Data name=\"id\">"
                                                          "<value>K1</value></Data>"
                                                          "</ExtendedData>"));
    text.replace(text.find("UTF-8"), 5, "GBK");
    const auto gbk = check(write("gbk.kml", text));
    INFO(gbk.err);
    REQUIRE(gbk.code != 2);
    CHECK(gbk.names.at("K1") == "地块");
    CHECK(gbk.warns("recoded to UTF-8"));
    CHECK(gbk.warns("Ovital"));  // 奥维 in GBK
}
