#pragma once
// CSV as Excel, WPS and survey software write it: RFC 4180 quoting (doubled quotes, line breaks
// inside quotes), ',' ';' or tab, any line ends, UTF-8 (a BOM dropped) or GBK, with the line each
// row starts on for errors, bounded by expansion_limits.hpp before any cell is made. Internal to
// gis/src; values in, values out: any thread may call these.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace onemap::gis::csv {

/// One row: the line it starts on (1-based) and its cells, trimmed of blanks.
struct Row {
    std::size_t line = 0;
    std::vector<std::string> cells;
};

/// A CSV file read whole.
struct Table {
    std::vector<Row> rows;
    char delimiter = ',';
    std::vector<std::string> notes;  ///< "text read as GBK (not UTF-8)"
};

/// ASCII blanks (space, tab, CR, LF) and the ideographic space U+3000 at either end removed.
[[nodiscard]] std::string trimBlanks(std::string_view s);

/// The most frequent of ',', '\t' and ';' in the first 8 KiB of the text; ',' when none is.
[[nodiscard]] char guessDelimiter(std::string_view text);

/// Splits UTF-8 text into rows. A quote opens a quoted cell only where the cell so far is
/// blank; "" inside quotes is one quote; CRLF, LF and CR each end a row (inside quotes they are
/// kept and counted as lines). An empty last line makes no row. Cells are trimmed (trimBlanks).
/// Refuses (InputError "shown:LINE: …") a quoted cell never closed, and (before any cell is
/// made) more lines than limits::kMaxLinesPerPointFile or cells than limits::kMaxCsvCells.
[[nodiscard]] std::vector<Row> parse(std::string_view text, char delimiter,
                                     const std::string& shown);

/// A CSV file: a regular file of at most `maxBytes` (else InputError "source: over N MB; not
/// `what`"), its BOM dropped, read as UTF-8 or else as GBK (a note says so; neither is an
/// InputError), its delimiter guessed, parsed.
[[nodiscard]] Table readFile(const std::string& source, std::uintmax_t maxBytes,
                             const std::string& what);

}  // namespace onemap::gis::csv
