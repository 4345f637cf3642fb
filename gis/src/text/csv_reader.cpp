#include "text/csv_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"
#include "onemap/gis/text/text_encoding.hpp"

namespace onemap::gis::csv {
namespace fs = std::filesystem;

std::string trimBlanks(std::string_view s) {
    // ASCII blanks and the ideographic space U+3000 (E3 80 80) Chinese tables pad with.
    constexpr std::string_view ideographic = "\xE3\x80\x80";
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    std::size_t b = 0, e = s.size();
    while (b < e) {
        if (blank(s[b])) {
            ++b;
        } else if (s.substr(b, 3) == ideographic) {
            b += 3;
        } else {
            break;
        }
    }
    while (e > b) {
        if (e - b >= 3 && s.substr(e - 3, 3) == ideographic) {
            e -= 3;
        } else if (blank(s[e - 1])) {
            --e;
        } else {
            break;
        }
    }
    return std::string(s.substr(b, e - b));
}

char guessDelimiter(std::string_view text) {
    const std::string_view head = text.substr(0, std::min<std::size_t>(text.size(), 8192));
    char delim = ',';
    std::size_t best = 0;
    for (const char c : {',', '\t', ';'}) {
        const auto n = static_cast<std::size_t>(std::count(head.begin(), head.end(), c));
        if (n > best) best = n, delim = c;
    }
    return delim;
}

std::vector<Row> parse(std::string_view text, char delimiter, const std::string& shown) {
    // Rows and cells are bounded before any is made: each empty cell costs a string.
    const auto lineEnds = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
    limits::checkLinesPerPointFile(lineEnds, [&] { return shown; });
    const auto cells =
        lineEnds + static_cast<std::uint64_t>(std::count(text.begin(), text.end(), delimiter));
    if (cells > limits::kMaxCsvCells)
        throw InputError(shown + ": " + std::to_string(cells) + " cells (limit " +
                         std::to_string(limits::kMaxCsvCells) +
                         " a file) — refused as a cell bomb");
    std::vector<Row> rows;
    std::size_t line = 1;
    Row row{1, {}};
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')))
                    ++line;
                cell += c;
            }
        } else if (c == '"' && trimBlanks(cell).empty()) {
            cell.clear();
            quoted = true;
        } else if (c == delimiter) {
            row.cells.push_back(trimBlanks(cell));
            cell.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            row.cells.push_back(trimBlanks(cell));
            cell.clear();
            rows.push_back(std::move(row));
            row = Row{++line, {}};
        } else {
            cell += c;
        }
    }
    if (quoted)
        throw InputError(shown + ":" + std::to_string(row.line) +
                         ": a quoted cell is never closed");
    if (!cell.empty() || !row.cells.empty()) {
        row.cells.push_back(trimBlanks(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

Table readFile(const std::string& source, std::uintmax_t maxBytes, const std::string& what) {
    std::error_code ec;
    if (!fs::is_regular_file(source, ec)) {
        if (!fs::exists(source, ec)) throw InputError(source + ": no such file");
        throw InputError(source + ": not a regular file");
    }
    if (fs::file_size(source, ec) > maxBytes)
        throw InputError(source + ": over " + std::to_string(maxBytes >> 20) + " MB; not " + what);
    std::ifstream in(source, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    Table t;
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    if (!isValidUtf8(text)) {
        auto decoded = gbkToUtf8(text);
        if (!decoded) throw InputError(source + ": text is neither UTF-8 nor GBK");
        text = std::move(*decoded);
        t.notes.push_back("text read as GBK (not UTF-8)");
    }
    t.delimiter = guessDelimiter(text);
    t.rows = parse(text, t.delimiter, source);
    return t;
}

}  // namespace onemap::gis::csv
