// Boundary-point tables (CSV, XLSX, ODS) as a site format: the adapter the registry lists
// (point_table.hpp has the reader it calls).
#include "onemap/gis/formats/point_table/point_table.hpp"
#include "onemap/gis/formats/site_format.hpp"
#include "onemap/gis/formats/site_format_registry.hpp"

namespace onemap::gis {
namespace {

class PointTableFormat final : public SiteFormat {
  public:
    [[nodiscard]] std::string_view name() const override { return "point-table"; }
    [[nodiscard]] std::string_view description() const override {
        return "boundary-point table (界址点坐标表): one row per point, CSV or spreadsheet";
    }
    [[nodiscard]] std::vector<std::string> extensions() const override {
        return {".csv", ".xlsx", ".xlsm", ".ods"};
    }

    // A CSV may be another kind of table (a WKT column): read() gives it back to OGR.
    [[nodiscard]] Identified identify(const std::string& path,
                                      std::string_view /*head*/) const override {
        if (!isPointTableFile(path)) return Identified::No;
        return SiteFormatRegistry::extensionOf(path) == ".csv" ? Identified::Unsure
                                                               : Identified::Yes;
    }

    // --sites-crs chooses between projected and lon/lat columns; the caller still applies it.
    // The table's notes (encoding, which column is the northing) are about the file.
    [[nodiscard]] std::optional<SiteRead> read(const std::string& path,
                                               const SiteReadOptions& options) const override {
        const Crs crs = options.sitesCrs.empty() ? Crs{} : Crs::fromUserInput(options.sitesCrs);
        auto table = readPointTable(path, options.table, crs);
        if (!table) return std::nullopt;
        SiteRead out;
        out.layer = std::move(*table);
        out.fileNotes = std::move(out.layer.notes);
        out.layer.notes.clear();
        return out;
    }
};

}  // namespace

const SiteFormat& pointTableSiteFormat() {
    static const PointTableFormat format;
    return format;
}

}  // namespace onemap::gis
