#pragma once
// A CSV file as rows of cells for callers outside gis (core's --attr-table): the one CSV reader
// (UTF-8 or GBK, RFC 4180 quotes, the delimiter guessed, each row's line) behind a public face.
// Values in, values out: any thread.
#include <cstdint>
#include <string>
#include <vector>

namespace onemap::gis {

/// One row: the line it starts on (1-based) and its cells, trimmed of blanks.
struct CsvRow {
    std::size_t line = 0;
    std::vector<std::string> cells;
};

struct CsvFile {
    std::vector<CsvRow> rows;
    std::vector<std::string> notes;  ///< "text read as GBK (not UTF-8)"
};

/// Reads a CSV file of at most `maxBytes`. Throws InputError naming the file (no such file,
/// too big — "not `what`", neither UTF-8 nor GBK, a quote never closed at LINE).
[[nodiscard]] CsvFile readCsvFile(const std::string& path, std::uintmax_t maxBytes,
                                  const std::string& what);

}  // namespace onemap::gis
