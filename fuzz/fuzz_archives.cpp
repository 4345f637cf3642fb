// The zip-based sites formats (KMZ, XLSX, ODS) and the boundary-point tables, with their
// expansion limits (gis/include/onemap/gis/expansion_limits.hpp). The first byte picks what
// the rest is:
//   0-3  a whole .kmz .xlsx .ods or .csv file: damaged archives meet the zip directory reader;
//   4-6  the main XML part (doc.kml, xl/worksheets/sheet1.xml, content.xml), packed here into
//        an otherwise valid archive: hostile XML meets the cell scanner and GDAL's parsers.
// Sites are read as SiteSet::load reads them for `onemap check --sites-crs EPSG:4549`.
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_contract.hpp"
#include "onemap/core/check/site_set.hpp"

namespace {

// New kinds go at the end: the seeds' first bytes must keep their meaning.
const char* const kExtensions[] = {".kmz", ".xlsx", ".ods", ".csv", ".kmz", ".xlsx", ".ods"};

std::string le16(unsigned v) { return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; }
std::string le32(unsigned long v) {
    return le16(static_cast<unsigned>(v & 0xFFFF)) + le16(static_cast<unsigned>(v >> 16));
}

// A zip of stored (uncompressed) members: the fuzzer's bytes reach the XML parsers as they are.
std::string storedZip(const std::vector<std::pair<std::string, std::string>>& members) {
    std::string out, directory;
    for (const auto& [name, data] : members) {
        const auto crc =
            crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
        const std::string sizes = le32(crc) + le32(data.size()) + le32(data.size()) +
                                  le16(static_cast<unsigned>(name.size()));
        const auto offset = out.size();
        out += le32(0x04034b50) + le16(20) + le16(0) + le16(0) + le32(0) + sizes + le16(0) + name +
               data;
        directory += le32(0x02014b50) + le16(20) + le16(20) + le16(0) + le16(0) + le32(0) + sizes +
                     le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + name;
    }
    const auto at = out.size();
    return out + directory + le32(0x06054b50) + le16(0) + le16(0) + le16(members.size()) +
           le16(members.size()) + le32(directory.size()) + le32(at) + le16(0);
}

std::string packed(unsigned kind, const std::string& xml) {
    const std::string ns = "http://schemas.openxmlformats.org/";
    if (kind == 4) return storedZip({{"doc.kml", xml}});
    if (kind == 5)
        return storedZip(
            {{"[Content_Types].xml",
              "<Types xmlns=\"" + ns +
                  "package/2006/content-types\"><Override PartName=\"/xl/workbook.xml\" "
                  "ContentType=\"application/"
                  "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"},
             {"_rels/.rels", "<Relationships xmlns=\"" + ns +
                                 "package/2006/relationships\"><Relationship Id=\"rId1\" "
                                 "Type=\"" +
                                 ns +
                                 "officeDocument/2006/relationships/officeDocument\" "
                                 "Target=\"xl/workbook.xml\"/></Relationships>"},
             {"xl/workbook.xml",
              "<workbook xmlns=\"" + ns + "spreadsheetml/2006/main\" xmlns:r=\"" + ns +
                  "officeDocument/2006/relationships\"><sheets><sheet "
                  "name=\"pts\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
             {"xl/_rels/workbook.xml.rels",
              "<Relationships xmlns=\"" + ns +
                  "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + ns +
                  "officeDocument/2006/relationships/worksheet\" "
                  "Target=\"worksheets/sheet1.xml\"/></Relationships>"},
             {"xl/worksheets/sheet1.xml", xml}});
    return storedZip(
        {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", xml}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static const auto dir = [] {
        const auto d = std::filesystem::temp_directory_path() /
                       ("onemap-fuzz-archives-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    const unsigned kind = data[0] % std::size(kExtensions);
    // A new name each run: GDAL caches a zip's listing by name, size and mtime.
    static unsigned long run = 0;
    const auto path = dir / ("sites-" + std::to_string(++run) + kExtensions[kind]);
    {
        const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << (kind >= 4 ? packed(kind, rest) : rest);
    }
    static const auto planCrs = onemap::gis::Crs::fromEpsg(4549);
    onemap::core::SiteOptions options;
    options.sitesCrs = "EPSG:4549";
    onemap::fuzz::refuseOnlyWithInputError(data, size, [&](const std::string&) {
        (void)onemap::core::SiteSet::load(path.string(), planCrs, options);
    });
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        std::filesystem::remove_all(e.path(), ec);
    return 0;
}
