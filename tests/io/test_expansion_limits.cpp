// Decompression and point-count bombs (issue 32, class 5): a small KMZ, XLSX or ODS that
// expands to gigabytes, a sheet of far cell references or one shared string copied into every
// cell, a 国土 TXT or CSV of millions of points. Each is built here, refused with exit 2
// naming the limit, quickly, and still exit 2 (not 3: std::bad_alloc) under a 3 GB address
// space; a legitimate file just under a limit reads as before.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../test_support.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"
#include "onemap/gis/formats/guotu_txt/guotu_txt.hpp"
#include "zip_builder.hpp"

using namespace onemap;
namespace fs = std::filesystem;
namespace limits = gis::limits;

namespace {

const std::string kPlan = std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml";

// AddressSanitizer reserves terabytes of shadow address space: under the asan preset (where
// the binary is instrumented too) the address-space limit cannot apply, the rest still does.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

fs::path dir() {
    static const fs::path d = test::scratch("bombs");
    return d;
}

struct Run {
    int code = -1;
    std::string err;
    double seconds = 0;
};

// The built binary in its own process under an address-space limit (KiB), as a user with
// `ulimit -v` would run it: an allocation that fails there is std::bad_alloc, exit 3.
Run runLimited(const fs::path& sites, const std::vector<std::string>& extra = {},
               long kib = 3000000) {
    std::string cmd = (kAsan ? std::string() : "ulimit -v " + std::to_string(kib) + "; ") +
                      "exec '" ONEMAP_CLI_BINARY "' check '" + kPlan + "' '" + sites.string() + "'";
    for (const auto& e : extra) cmd += " '" + e + "'";
    const fs::path err = dir() / "stderr.txt";
    const auto start = std::chrono::steady_clock::now();
    const int status =
        std::system(("bash -c \"" + cmd + "\" >/dev/null 2>'" + err.string() + "'").c_str());
    Run r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::ifstream in(err);
    std::getline(in, r.err, '\0');
    return r;
}

// Exit 2 in well under the time a bomb takes to expand, naming the file and the limit.
void refusedAsBomb(const fs::path& sites, const std::vector<std::string>& mentions,
                   const std::vector<std::string>& extra = {}) {
    const Run r = runLimited(sites, extra);
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.seconds < (kAsan ? 30.0 : 5.0));  // ~0.2 s measured; generous for a loaded CI
    CHECK(r.err.find(sites.filename().string()) != std::string::npos);
    for (const auto& m : mentions) CHECK(r.err.find(m) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 1);
}

const std::string kKmlHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">"
    "<Document>\n";
const std::string kPlacemark =
    "<Placemark><name>a</name><Polygon><outerBoundaryIs><LinearRing><coordinates>120,30.7 "
    "120.001,30.7 120.001,30.701 120,30.7</coordinates></LinearRing></outerBoundaryIs>"
    "</Polygon></Placemark>\n";
const std::string kKmlTail = "</Document></kml>\n";

// An XLSX of one sheet 'pts' and, when given, a shared-strings part.
test::ZipBuilder xlsx(test::ZipBuilder::Member sheet, const std::string& sharedStrings = "") {
    test::ZipBuilder z;
    const std::string ns = "http://schemas.openxmlformats.org/";
    z.add("[Content_Types].xml",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"" + ns +
              "package/2006/content-types\"><Default Extension=\"rels\" "
              "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
              "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Override "
              "PartName=\"/xl/workbook.xml\" ContentType=\"application/"
              "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override "
              "PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
              "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>");
    z.add("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"" + ns +
                             "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + ns +
                             "officeDocument/2006/relationships/officeDocument\" "
                             "Target=\"xl/workbook.xml\"/></Relationships>");
    z.add("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"" + ns +
                                 "spreadsheetml/2006/main\" xmlns:r=\"" + ns +
                                 "officeDocument/2006/relationships\"><sheets><sheet "
                                 "name=\"pts\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
    std::string rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"" + ns +
                       "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + ns +
                       "officeDocument/2006/relationships/worksheet\" "
                       "Target=\"worksheets/sheet1.xml\"/>";
    if (!sharedStrings.empty())
        rels += "<Relationship Id=\"rId2\" Type=\"" + ns +
                "officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>";
    z.add("xl/_rels/workbook.xml.rels", rels + "</Relationships>");
    if (!sharedStrings.empty()) z.add("xl/sharedStrings.xml", sharedStrings);
    sheet.name = "xl/worksheets/sheet1.xml";
    sheet.head = "<?xml version=\"1.0\"?><worksheet xmlns=\"" + ns +
                 "spreadsheetml/2006/main\"><sheetData>" + sheet.head;
    sheet.tail += "</sheetData></worksheet>";
    z.add(sheet);
    return z;
}

test::ZipBuilder ods(test::ZipBuilder::Member table) {
    test::ZipBuilder z;
    z.add({"mimetype", "application/vnd.oasis.opendocument.spreadsheet", "", "", 0, UINT64_MAX,
           true});
    z.add("META-INF/manifest.xml",
          "<?xml version=\"1.0\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:"
          "opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"/\" "
          "manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>"
          "<manifest:file-entry manifest:full-path=\"content.xml\" "
          "manifest:media-type=\"text/xml\"/></manifest:manifest>");
    table.name = "content.xml";
    table.head =
        "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:"
        "opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:"
        "table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>"
        "<office:spreadsheet><table:table table:name=\"pts\">" +
        table.head;
    table.tail += "</table:table></office:spreadsheet></office:body></office:document-content>";
    z.add(table);
    return z;
}

const std::string kNumberCell =
    "<table:table-cell office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p>"
    "</table:table-cell>";

std::string repeated(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// A string no compressor shrinks (a linear congruential sequence of letters).
std::string incompressible(std::size_t n) {
    std::string s(n, 'a');
    std::uint32_t x = 12345;
    for (auto& c : s) {
        x = x * 1103515245u + 12345u;
        c = static_cast<char>('A' + (x >> 16) % 26);
    }
    return s;
}

// 64 KiB that deflate shrinks ~30-fold: 2 KiB of noise in a comment, then blanks.
std::string mixed() {
    return "<!--" + incompressible(2048) + "-->" + std::string((1 << 16) - 2048 - 7, ' ');
}

}  // namespace

TEST_CASE("Bombs: a KMZ whose KML expands past the limits is refused before LIBKML reads it",
          "[io][bombs]") {
    // 1 GiB declared truthfully: 2.5 GB resident and bad_alloc before the limit.
    const auto big = dir() / "sites.kmz";
    test::ZipBuilder()
        .add({"doc.kml", kKmlHead, repeated(std::string(1 << 16, ' ') + kPlacemark, 16), kKmlTail,
              1024})
        .write(big.string());
    CHECK(fs::file_size(big) < 10'000'000);
    refusedAsBomb(big,
                  {"member doc.kml expands to 1.0 GiB", "limit 256 MiB", "decompression bomb"});

    // 175 MiB: under the member limit, over the KML and the ratio limits.
    const auto dense = dir() / "dense.kmz";
    test::ZipBuilder()
        .add({"doc.kml", kKmlHead, repeated(kPlacemark, 1000), kKmlTail, 900})
        .write(dense.string());
    refusedAsBomb(dense, {"doc.kml", "-fold", "limit 100-fold"});

    // KML across members: each under 128 MiB, together over it.
    const auto spread = dir() / "spread.kmz";
    test::ZipBuilder z;
    z.add({"doc.kml", kKmlHead + kPlacemark + kKmlTail, "", "", 0});
    for (int i = 0; i < 3; ++i)
        z.add({"layers/l" + std::to_string(i) + ".kml", kKmlHead, mixed(), kKmlTail, 45 * 16});
    z.write(spread.string());
    refusedAsBomb(spread, {"its KML expands to", "limit 128 MiB"});
}

TEST_CASE("Bombs: a zip directory that understates a member is caught while inflating",
          "[io][bombs]") {
    // Declares 1 KiB; inflates to 64 MiB. Reading stops one byte past what was declared.
    const auto lying = dir() / "lying.kmz";
    test::ZipBuilder()
        .add({"doc.kml", kKmlHead, mixed(), kKmlTail, 64 * 16, 1024})
        .write(lying.string());
    const Run r = runLimited(lying);
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.seconds < (kAsan ? 30.0 : 5.0));
    CHECK_THROWS_WITH(limits::checkZipExpansion(lying.string(), "lying.kmz"),
                      Catch::Contains("member doc.kml inflates past the 1 KiB allowed"));
}

TEST_CASE("Bombs: the ratio limit starts above 1 MiB: a small, very compressible member is read",
          "[io][bombs]") {
    // ~1000-fold both; the first expands to just under 1 MiB, the second just over.
    const std::string padding = "<!--" + std::string(1 << 15, ' ') + "-->\n";
    const auto under = dir() / "under.kmz";
    test::ZipBuilder()
        .add({"doc.kml", kKmlHead + kPlacemark, padding, kKmlTail, 31})
        .write(under.string());
    const auto over = dir() / "over.kmz";
    test::ZipBuilder()
        .add({"doc.kml", kKmlHead + kPlacemark, padding, kKmlTail, 33})
        .write(over.string());
    CHECK_NOTHROW(limits::checkZipExpansion(under.string(), "under.kmz"));
    CHECK_THROWS_WITH(limits::checkZipExpansion(over.string(), "over.kmz"),
                      Catch::Contains("limit 100-fold"));
    // Read as before: the same site as the KML unzipped.
    const auto plain = dir() / "plain.kml";
    std::ofstream(plain) << kKmlHead + kPlacemark + kKmlTail;
    const std::vector<std::string> spatial{"--format", "json", "--rules",
                                           "no-farmland,no-redline,in-devbound"};
    auto args = [&](const fs::path& p) {
        std::vector<std::string> a{"check", kPlan, p.string()};
        a.insert(a.end(), spatial.begin(), spatial.end());
        return a;
    };
    const auto a = test::runCli(args(under));
    const auto b = test::runCli(args(plain));
    INFO(a.err);
    REQUIRE(a.code != 2);
    REQUIRE(b.code == a.code);
    const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
    CHECK(ja["sites"][0]["area_m2"].get<double>() == jb["sites"][0]["area_m2"].get<double>());
    // Half of 0.001° × 0.001° at 30.7°N: ½ · 95.7 m · 110.9 m.
    CHECK(ja["sites"][0]["area_m2"].get<double>() == Approx(5307).epsilon(0.002));
}

TEST_CASE("Bombs: XLSX sheets that expand to too many cells or too much text are refused",
          "[io][bombs]") {
    // 12.4 GB resident before the limits: a far cell reference makes each row 16384 wide.
    const auto far = dir() / "far.xlsx";
    xlsx({"", repeated("<row><c r=\"XFD1\"><v>1</v></c></row>", 5000), "", "", 0})
        .write(far.string());
    CHECK(fs::file_size(far) < 100'000);
    refusedAsBomb(far, {"rows × 16384 columns", "limit 8000000 cells", "cell bomb"},
                  {"--sites-crs", "EPSG:4549"});

    // One 1 MiB shared string that does not compress, referred to by 6000 cells: 6 GB.
    const auto shared = dir() / "shared.xlsx";
    std::string rows;
    for (int i = 1; i <= 3000; ++i)
        rows += "<row r=\"" + std::to_string(i) + "\"><c r=\"A" + std::to_string(i) +
                "\" t=\"s\"><v>0</v></c><c r=\"B" + std::to_string(i) +
                "\" t=\"s\"><v>0</v></c></row>";
    xlsx({"", rows, "", "", 1},
         "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
         "2006/main\"><si><t>" +
             incompressible(1 << 20) + "</t></si></sst>")
        .write(shared.string());
    refusedAsBomb(shared, {"cells hold over 256 MiB of text", "cell bomb"},
                  {"--sites-crs", "EPSG:4549"});

    // A zip bomb of a sheet: 906 MiB of rows.
    const auto zipped = dir() / "zipped.xlsx";
    xlsx({"", "", repeated("<row><c><v>3000000.5</v></c><c><v>500000.25</v></c></row>", 10000), "",
          2000})
        .write(zipped.string());
    refusedAsBomb(zipped, {"member xl/worksheets/sheet1.xml expands to", "limit 256 MiB"},
                  {"--sites-crs", "EPSG:4549"});
}

TEST_CASE("Bombs: the cell limit is exact: 8,000,000 cells pass the scan, one row more does not",
          "[io][bombs]") {
    // 1,000,000 rows of 8 cells; then a row more. Scanned only (GDAL would hold them all).
    std::string row = "<row>";
    for (int c = 0; c < 8; ++c) row += "<c><v>1</v></c>";
    row += "</row>";
    const auto at = dir() / "at.xlsx";
    xlsx({"", "", repeated(row, 1000), "", 1000}).write(at.string());
    CHECK_NOTHROW(limits::checkSheetCells(at.string(), "at.xlsx"));
    const auto past = dir() / "past.xlsx";
    xlsx({"", "", repeated(row, 1000), "<row><c><v>1</v></c></row>", 1000}).write(past.string());
    CHECK_THROWS_WITH(limits::checkSheetCells(past.string(), "past.xlsx"),
                      Catch::Contains("1000001 rows × 8 columns"));
}

TEST_CASE("Bombs: ODS rows and cells repeated by attribute count as many cells", "[io][bombs]") {
    const auto repeats = dir() / "repeated.ods";
    ods({"",
         "<table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell "
         "table:number-columns-repeated=\"1000\" office:value-type=\"float\" "
         "office:value=\"1\"><text:p>1</text:p></table:table-cell></table:table-row>",
         "", "", 0})
        .write(repeats.string());
    refusedAsBomb(repeats, {"1000000 rows × 1000 columns", "cell bomb"},
                  {"--sites-crs", "EPSG:4549"});

    const auto zipped = dir() / "zipped.ods";
    ods({"", "",
         repeated(
             "<table:table-row>" + kNumberCell + kNumberCell + kNumberCell + "</table:table-row>",
             10000),
         "", 300})
        .write(zipped.string());
    refusedAsBomb(zipped, {"member content.xml expands to", "limit 256 MiB"},
                  {"--sites-crs", "EPSG:4549"});

    // LibreOffice pads each sheet with a million empty rows: not cells, and the table reads.
    const auto padded = dir() / "padded.ods";
    ods({"",
         "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>X坐标</text:p>"
         "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>Y坐标"
         "</text:p></table:table-cell></table:table-row>"
         "<table:table-row>" +
             std::string("<table:table-cell office:value-type=\"float\" "
                         "office:value=\"3400000\"><text:p>3400000</text:p></table:table-cell>"
                         "<table:table-cell office:value-type=\"float\" office:value=\"500000\">"
                         "<text:p>500000</text:p></table:table-cell></table:table-row>") +
             "<table:table-row><table:table-cell office:value-type=\"float\" "
             "office:value=\"3400000\"><text:p>3400000</text:p></table:table-cell>"
             "<table:table-cell office:value-type=\"float\" office:value=\"500100\"><text:p>"
             "500100</text:p></table:table-cell></table:table-row>"
             "<table:table-row><table:table-cell office:value-type=\"float\" "
             "office:value=\"3400100\"><text:p>3400100</text:p></table:table-cell>"
             "<table:table-cell office:value-type=\"float\" office:value=\"500100\"><text:p>"
             "500100</text:p></table:table-cell></table:table-row>"
             "<table:table-row table:number-rows-repeated=\"1048572\"><table:table-cell "
             "table:number-columns-repeated=\"1024\"/></table:table-row>",
         "", "", 0})
        .write(padded.string());
    CHECK_NOTHROW(limits::checkSheetCells(padded.string(), "padded.ods"));
    const auto r =
        test::runCli({"check", kPlan, padded.string(), "--sites-crs", "EPSG:4549", "--format",
                      "json", "--rules", "no-farmland,no-redline,in-devbound"});
    INFO(r.err);
    REQUIRE(r.code != 2);
    // The triangle (500000,3400000) (500100,3400000) (500100,3400100): 5000 m².
    CHECK(nlohmann::json::parse(r.out)["sites"][0]["area_m2"].get<double>() ==
          Approx(5000).epsilon(1e-6));
}

TEST_CASE("Bombs: a 国土 TXT of too many lines, points or rings is refused before it is held",
          "[io][bombs]") {
    const std::string header =
        "[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=3\n投影类型=高斯克吕格\n计量单位=米\n"
        "带号=40\n[地块坐标]\n";
    // Lines are counted before any is stored: 5 M empty lines cost nothing to refuse.
    const auto lines = dir() / "lines.txt";
    {
        std::ofstream out(lines, std::ios::binary);
        out << header << std::string(limits::kMaxLinesPerPointFile + 1, '\n');
    }
    refusedAsBomb(lines, {"lines, more than a file of 4000000 boundary points"});

    // A regular n-gon of radius 1 km as one parcel: n corners and the closing repeat, n + 1
    // point lines (what the limit counts).
    const auto polygonFile = [&](const fs::path& path, std::size_t n) {
        std::ofstream out(path, std::ios::binary);
        out << header << n + 1 << ",,P1,大地块,面,,,,@\n";
        char buf[96];
        for (std::size_t i = 0; i <= n; ++i) {
            const double a = 2 * M_PI * static_cast<double>(i % n) / static_cast<double>(n);
            std::snprintf(buf, sizeof buf, "J%zu,1,%.3f,%.3f\n", i + 1,
                          3400000 + 1000 * std::cos(a), 500000 + 1000 * std::sin(a));
            out << buf;
        }
    };
    const auto parcel = dir() / "parcel.txt";
    polygonFile(parcel, limits::kMaxPointsPerParcel);
    refusedAsBomb(parcel, {"parcel.txt:200009", "more than 200000 boundary points in one parcel"});
    // One line fewer is read whole: the n-gon's area, ½·n·r²·sin(2π/n), to the millimetre
    // rounding of its coordinates.
    const auto atLimit = dir() / "at-limit.txt";
    const std::size_t n = limits::kMaxPointsPerParcel - 1;
    polygonFile(atLimit, n);
    const auto layer = gis::readGuotuTxt(atLimit.string());
    REQUIRE(layer.features.size() == 1);
    CHECK(layer.features[0].geometry.area() ==
          Approx(0.5 * static_cast<double>(n) * 1e6 * std::sin(2 * M_PI / static_cast<double>(n)))
              .epsilon(1e-7));

    // 2001 rings of 4 lines: the nesting of rings is found pair by pair.
    const auto rings = dir() / "rings.txt";
    {
        std::ofstream out(rings, std::ios::binary);
        out << header << 4 * 2001 << ",,P1,多环,面,,,,@\n";
        for (int r = 1; r <= 2001; ++r) {
            const int x = 3400000 + 10 * r;
            out << "J1," << r << "," << x << ",500000\nJ2," << r << "," << x << ",500005\nJ3," << r
                << "," << x + 5 << ",500005\nJ1," << r << "," << x << ",500000\n";
        }
    }
    refusedAsBomb(rings, {"more than 2000 rings in one parcel"});
}

TEST_CASE("Bombs: a CSV point table of too many rows or cells is refused before it is split",
          "[io][bombs]") {
    const auto rows = dir() / "rows.csv";
    {
        std::ofstream out(rows, std::ios::binary);
        out << "点号,X坐标,Y坐标\n" << std::string(limits::kMaxLinesPerPointFile + 1, '\n');
    }
    refusedAsBomb(rows, {"lines, more than a file of 4000000 boundary points"},
                  {"--sites-crs", "EPSG:4549"});
    // 100 MB of commas: 100 M empty cells, 3.2 GB as strings.
    const auto cells = dir() / "cells.csv";
    {
        std::ofstream out(cells, std::ios::binary);
        out << "点号,X坐标,Y坐标\n1,3400000,500000\n" << std::string(100'000'000, ',');
    }
    refusedAsBomb(cells, {"100000006 cells (limit 24000000 a file)", "cell bomb"},
                  {"--sites-crs", "EPSG:4549"});
}

TEST_CASE("Bombs: a DXF whose block references explode into too many vertices is refused",
          "[io][bombs]") {
    // A block of a 1000-vertex polyline, inserted 100,000 times: 10⁸ vertices from 3 MB
    // (20,000 inserts took 715 MB before the limit; these, std::bad_alloc).
    std::string dxf =
        "0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1015\n0\nENDSEC\n"
        "0\nSECTION\n2\nBLOCKS\n0\nBLOCK\n8\n0\n2\nB\n70\n0\n10\n0\n20\n0\n3\nB\n"
        "0\nLWPOLYLINE\n8\n0\n100\nAcDbEntity\n100\nAcDbPolyline\n90\n1000\n70\n1\n";
    for (int i = 0; i < 1000; ++i)
        dxf += "10\n" + std::to_string(i) + "\n20\n" + std::to_string(i % 7) + "\n";
    dxf += "0\nENDBLK\n8\n0\n0\nENDSEC\n0\nSECTION\n2\nENTITIES\n";
    for (int i = 0; i < 100000; ++i)
        dxf += "0\nINSERT\n8\n0\n2\nB\n10\n" + std::to_string(500000 + i) + "\n20\n3400000\n";
    dxf += "0\nENDSEC\n0\nEOF\n";
    const auto path = dir() / "blocks.dxf";
    std::ofstream(path, std::ios::binary) << dxf;
    refusedAsBomb(path, {"more than 4000000 vertices (block references counted"},
                  {"--sites-crs", "EPSG:4549"});
}

TEST_CASE("Bombs: nested DXF blocks multiply their vertices", "[io][bombs]") {
    // Block A: 100 vertices. Block C: 100 references to A (10,000). The drawing: 500
    // references to C, 5 M vertices from a few kB.
    std::string dxf =
        "0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1015\n0\nENDSEC\n"
        "0\nSECTION\n2\nBLOCKS\n0\nBLOCK\n8\n0\n2\nA\n70\n0\n10\n0\n20\n0\n3\nA\n"
        "0\nLWPOLYLINE\n8\n0\n100\nAcDbEntity\n100\nAcDbPolyline\n90\n100\n70\n1\n";
    for (int i = 0; i < 100; ++i)
        dxf += "10\n" + std::to_string(i) + "\n20\n" + std::to_string(i % 7) + "\n";
    dxf += "0\nENDBLK\n8\n0\n0\nBLOCK\n8\n0\n2\nC\n70\n0\n10\n0\n20\n0\n3\nC\n";
    for (int i = 0; i < 100; ++i)
        dxf += "0\nINSERT\n8\n0\n2\nA\n10\n" + std::to_string(i * 200) + "\n20\n0\n";
    dxf += "0\nENDBLK\n8\n0\n0\nENDSEC\n0\nSECTION\n2\nENTITIES\n";
    for (int i = 0; i < 500; ++i)
        dxf += "0\nINSERT\n8\n0\n2\nC\n10\n" + std::to_string(500000 + i) + "\n20\n3400000\n";
    dxf += "0\nENDSEC\n0\nEOF\n";
    const auto path = dir() / "nested.dxf";
    std::ofstream(path, std::ios::binary) << dxf;
    refusedAsBomb(path, {"more than 4000000 vertices (block references counted, nested too)"},
                  {"--sites-crs", "EPSG:4549"});
}

TEST_CASE("Bombs: a NUL byte in a text DXF is refused, not handed to GDAL's reader to loop on",
          "[io][bombs]") {
    // fuzz_sites' find: GDAL 3.6's DXF reader never returns from this file (its NULs).
    std::string dxf("\b0\nSECT\r\0N\n2\nENTITIES\n0\nLWPOLYLINE\n5\n2A\n8\nREDLINE\0N\n90\n4\n0\n",
                    59);
    const auto path = dir() / "nul.dxf";
    std::ofstream(path, std::ios::binary) << dxf;
    refusedAsBomb(path, {"nul.dxf:2: a NUL byte in a text DXF"}, {"--sites-crs", "EPSG:4549"});
}
