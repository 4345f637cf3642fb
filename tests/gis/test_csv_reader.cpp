// The one CSV reader (gis/src/base/csv_reader.hpp) against inputs worked by hand: quotes,
// doubled quotes, line ends, a line break inside quotes, a BOM, GBK, the line numbers of rows.
#include <catch2/catch.hpp>
#include <fstream>

#include "../scratch.hpp"
#include "onemap/gis/base/error.hpp"
#include "text/csv_reader.hpp"

using namespace onemap;
namespace csv = onemap::gis::csv;

namespace {

using Cells = std::vector<std::string>;

std::vector<Cells> cellsOf(const std::vector<csv::Row>& rows) {
    std::vector<Cells> out;
    for (const auto& r : rows) out.push_back(r.cells);
    return out;
}
std::vector<std::size_t> linesOf(const std::vector<csv::Row>& rows) {
    std::vector<std::size_t> out;
    for (const auto& r : rows) out.push_back(r.line);
    return out;
}

}  // namespace

TEST_CASE("CSV: quoted cells keep delimiters, doubled quotes are one quote", "[gis][csv]") {
    const auto rows = csv::parse("a,\"b,c\",\"say \"\"hi\"\"\"\n1,2,3\n", ',', "t.csv");
    CHECK(cellsOf(rows) == std::vector<Cells>{{"a", "b,c", "say \"hi\""}, {"1", "2", "3"}});
    CHECK(linesOf(rows) == std::vector<std::size_t>{1, 2});
    // An empty quoted cell, and an empty cell at the end of a row.
    CHECK(cellsOf(csv::parse("\"\",x,\n", ',', "t.csv")) == std::vector<Cells>{{"", "x", ""}});
    // A quote inside an unquoted cell is text; one after blanks opens a quoted cell.
    CHECK(cellsOf(csv::parse("5\"3,  \" q \"\n", ',', "t.csv")) ==
          std::vector<Cells>{{"5\"3", "q"}});
}

TEST_CASE("CSV: CRLF, LF and CR end rows — the last line needs no end", "[gis][csv]") {
    const auto rows = csv::parse("a,b\r\nc,d\re,f\ng,h", ',', "t.csv");
    CHECK(cellsOf(rows) == std::vector<Cells>{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "h"}});
    CHECK(linesOf(rows) == std::vector<std::size_t>{1, 2, 3, 4});
    // An empty line is a row of one empty cell; a final line end makes no row.
    CHECK(cellsOf(csv::parse("a\n\nb\n", ',', "t.csv")) == std::vector<Cells>{{"a"}, {""}, {"b"}});
}

TEST_CASE("CSV: a line break inside quotes is kept and counted", "[gis][csv]") {
    const auto rows = csv::parse("id,note\n1,\"two\r\nlines\"\n2,x\n", ',', "t.csv");
    CHECK(cellsOf(rows) == std::vector<Cells>{{"id", "note"}, {"1", "two\r\nlines"}, {"2", "x"}});
    // Row 3 starts on line 4: the quoted cell took lines 2 and 3.
    CHECK(linesOf(rows) == std::vector<std::size_t>{1, 2, 4});
    CHECK_THROWS_WITH(csv::parse("a\n\"open\nstill", ',', "t.csv"),
                      "t.csv:2: a quoted cell is never closed");
}

TEST_CASE("CSV: blanks and ideographic spaces trimmed — the delimiter guessed", "[gis][csv]") {
    CHECK(csv::trimBlanks(" \t\xE3\x80\x80"
                          "点号\xE3\x80\x80 \r\n") == "点号");
    CHECK(csv::trimBlanks("\xE3\x80\x80") == "");
    CHECK(csv::guessDelimiter("a;b;c\n1;2;3\n") == ';');
    CHECK(csv::guessDelimiter("a\tb\n1\t2,5\n") == '\t');
    CHECK(csv::guessDelimiter("one column\n") == ',');
    CHECK(cellsOf(csv::parse("a\tb \n", '\t', "t.csv")) == std::vector<Cells>{{"a", "b"}});
}

TEST_CASE("CSV files: a BOM dropped, GBK read and noted, missing files named", "[gis][csv]") {
    const auto dir = test::scratch("csv_reader");
    const auto write = [&dir](const std::string& name, const std::string& bytes) {
        const auto p = (dir / name).string();
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    };
    const auto bom = csv::readFile(write("bom.csv", "\xEF\xBB\xBF点号;X\r\nJ1;1\r\n"), 1u << 20,
                                   "a point table");
    CHECK(bom.delimiter == ';');
    CHECK(cellsOf(bom.rows) == std::vector<Cells>{{"点号", "X"}, {"J1", "1"}});
    CHECK(bom.notes.empty());
    // "点号" in GBK: B5 E3 BA C5.
    const auto gbk = csv::readFile(write("gbk.csv", "\xB5\xE3\xBA\xC5,X\n"), 1u << 20, "x");
    CHECK(cellsOf(gbk.rows) == std::vector<Cells>{{"点号", "X"}});
    CHECK(gbk.notes == std::vector<std::string>{"text read as GBK (not UTF-8)"});
    const auto missing = (dir / "missing.csv").string();
    CHECK_THROWS_WITH(csv::readFile(missing, 1u << 20, "x"), missing + ": no such file");
    CHECK_THROWS_WITH(csv::readFile(dir.string(), 1u << 20, "x"),
                      dir.string() + ": not a regular file");
    const auto big = write("big.csv", std::string((2u << 20) + 1, 'a'));
    CHECK_THROWS_WITH(csv::readFile(big, 2u << 20, "a point table"),
                      big + ": over 2 MB; not a point table");
    CHECK_THROWS_AS(csv::readFile(write("bad.csv", "\xFF\xFF\xFF"), 1u << 20, "x"), InputError);
}
