#pragma once
// A boundary-point table as rows of text cells, from a CSV or a spreadsheet sheet, with the
// way its rows are named in messages. Internal to gis/src.
#include <string>
#include <vector>

#include "text/csv_reader.hpp"

namespace onemap::gis::point_table {

/// The line (CSV) or row (spreadsheet) and its cells, trimmed.
using Row = csv::Row;

struct Table {
    std::vector<Row> rows;
    std::string where;  ///< "file.csv:" or "file.xlsx: sheet 'S' row "
    std::string name;
    std::vector<std::string> notes;
    [[nodiscard]] std::string at(std::size_t line) const { return where + std::to_string(line); }
};

}  // namespace onemap::gis::point_table
