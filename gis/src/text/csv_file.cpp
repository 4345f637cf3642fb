#include "onemap/gis/text/csv_file.hpp"

#include "text/csv_reader.hpp"

namespace onemap::gis {

CsvFile readCsvFile(const std::string& path, std::uintmax_t maxBytes, const std::string& what) {
    csv::Table table = csv::readFile(path, maxBytes, what);
    CsvFile out;
    out.rows.reserve(table.rows.size());
    for (auto& row : table.rows) out.rows.push_back({row.line, std::move(row.cells)});
    out.notes = std::move(table.notes);
    return out;
}

}  // namespace onemap::gis
