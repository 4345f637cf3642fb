// How many cells an XLSX or ODS expands into, counted from its XML as a stream before GDAL
// builds them: a far cell reference (<c r="XFD1048576">) implies every empty cell before it,
// ODS repeats rows and cells by attribute, and an XLSX cell referring to a shared string holds
// a copy of it. GDAL's own guards (2000 fields, repetition caps) leave these open.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "base/zip_members.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"

namespace onemap::gis::limits {
namespace {

// No spreadsheet writes a tag this long; a longer one could hide the attributes counted here.
constexpr std::size_t kMaxTagBytes = 1u << 20;
// Products of attacker-chosen numbers stay finite in a double and compare right to limits.
constexpr double kHuge = 1e18;

// Splits an XML stream into tags (the text between '<' and '>', quotes respected) and the
// text between them, holding one tag at a time. CDATA sections count as text.
class XmlTagScanner {
  public:
    XmlTagScanner(std::function<void(std::string_view)> onTag,
                  std::function<void(std::string_view)> onText, std::string shown)
        : onTag_(std::move(onTag)), onText_(std::move(onText)), shown_(std::move(shown)) {}

    void feed(std::string_view chunk) {
        std::size_t i = 0;
        while (i < chunk.size()) {
            if (!inTag_) {
                const auto lt = chunk.find('<', i);
                const std::size_t end = lt == std::string_view::npos ? chunk.size() : lt;
                if (end > i) onText_(chunk.substr(i, end - i));
                if (lt == std::string_view::npos) return;
                inTag_ = true;
                quote_ = 0;
                tag_.clear();
                cdata_ = comment_ = false;
                i = lt + 1;
                continue;
            }
            // The common tag: no comment or CDATA; copied up to the next quote or '>'.
            const bool special = tag_.empty() ? chunk[i] == '!' : tag_[0] == '!';
            if (!special) {
                if (quote_) {
                    const auto q = chunk.find(quote_, i);
                    const std::size_t end = q == std::string_view::npos ? chunk.size() : q + 1;
                    tag_.append(chunk.substr(i, end - i));
                    if (q != std::string_view::npos) quote_ = 0;
                    i = end;
                } else {
                    const auto k = chunk.find_first_of("\"'>", i);
                    const std::size_t end = k == std::string_view::npos ? chunk.size() : k;
                    tag_.append(chunk.substr(i, end - i));
                    i = end;
                    if (k != std::string_view::npos) {
                        if (chunk[k] == '>') {
                            inTag_ = false;
                            onTag_(tag_);
                        } else {
                            quote_ = chunk[k];
                            tag_ += chunk[k];
                        }
                        ++i;
                    }
                }
                if (tag_.size() > kMaxTagBytes)
                    throw InputError(shown_ + ": an XML tag over " + sizeText(kMaxTagBytes) +
                                     " long — refused as a cell bomb");
                continue;
            }
            const char c = chunk[i++];
            if (comment_) {  // ends at "-->"
                cdataTail_ = (cdataTail_ << 8u) | static_cast<unsigned char>(c);
                if ((cdataTail_ & 0xFFFFFFu) == 0x2D2D3Eu) inTag_ = false;
                continue;
            }
            if (cdata_) {  // ends at "]]>"
                cdataTail_ = (cdataTail_ << 8u) | static_cast<unsigned char>(c);
                if ((cdataTail_ & 0xFFFFFFu) == 0x5D5D3Eu) {
                    inTag_ = false;
                } else {
                    onText_(std::string_view(&c, 1));
                }
                continue;
            }
            if (quote_) {
                if (c == quote_) quote_ = 0;
            } else if (c == '"' || c == '\'') {
                quote_ = c;
            } else if (c == '>') {
                inTag_ = false;
                onTag_(tag_);
                continue;
            }
            tag_ += c;
            if (tag_.size() == 3 && tag_ == "!--") {
                comment_ = true;
                cdataTail_ = 0;
            }
            if (tag_.size() == 8 && tag_ == "![CDATA[") {
                cdata_ = true;
                cdataTail_ = 0;
            }
            if (tag_.size() > kMaxTagBytes)
                throw InputError(shown_ + ": an XML tag over " + sizeText(kMaxTagBytes) +
                                 " long — refused as a cell bomb");
        }
    }

  private:
    std::function<void(std::string_view)> onTag_, onText_;
    std::string shown_;
    std::string tag_;
    bool inTag_ = false, cdata_ = false, comment_ = false;
    char quote_ = 0;
    std::uint32_t cdataTail_ = 0;
};

std::string_view tagName(std::string_view tag) {
    const auto end = tag.find_first_of(" \t\r\n/");
    if (!tag.empty() && tag.front() == '/') {
        const auto e = tag.find_first_of(" \t\r\n", 1);
        return tag.substr(0, e);
    }
    return tag.substr(0, end);
}

bool selfClosing(std::string_view tag) { return !tag.empty() && tag.back() == '/'; }

// The value of attribute `name` (exactly, prefix included), when the tag has it.
std::optional<std::string_view> attribute(std::string_view tag, std::string_view name) {
    for (std::size_t at = tag.find(name); at != std::string_view::npos;
         at = tag.find(name, at + 1)) {
        const std::size_t eq = at + name.size();
        if (at == 0 || std::strchr(" \t\r\n", tag[at - 1]) == nullptr) continue;
        std::size_t p = eq;
        while (p < tag.size() && std::strchr(" \t\r\n", tag[p])) ++p;
        if (p >= tag.size() || tag[p] != '=') continue;
        ++p;
        while (p < tag.size() && std::strchr(" \t\r\n", tag[p])) ++p;
        if (p >= tag.size() || (tag[p] != '"' && tag[p] != '\'')) continue;
        const auto close = tag.find(tag[p], p + 1);
        if (close == std::string_view::npos) return std::nullopt;
        return tag.substr(p + 1, close - p - 1);
    }
    return std::nullopt;
}

double digits(std::string_view s) {
    double v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') break;
        v = std::min(kHuge, v * 10 + (c - '0'));
    }
    return v;
}

// "XFD1048576" → column 16384; row from the digits, when wanted.
double columnOf(std::string_view ref) {
    double v = 0;
    for (const char c : ref) {
        const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (u < 'A' || u > 'Z') break;
        v = std::min(kHuge, v * 26 + (u - 'A' + 1));
    }
    return v;
}

// The running totals of one workbook, refused the moment they pass a limit.
struct CellCount {
    std::string shown;
    double cellsBefore = 0;  // of the sheets finished
    double text = 0;

    void checkSheet(const std::string& sheet, double rows, double width) const {
        if (cellsBefore + rows * width > static_cast<double>(kMaxSheetCells)) {
            char product[64];
            std::snprintf(product, sizeof product, "%.0f rows × %.0f columns", rows, width);
            throw InputError(shown + ": " + sheet + " expands to " + product + " of cells (limit " +
                             std::to_string(kMaxSheetCells) +
                             " cells a file) — refused as a cell bomb");
        }
    }
    void addText(double bytes) {
        text = std::min(kHuge, text + bytes);
        if (text > static_cast<double>(kMaxSheetTextBytes))
            throw InputError(shown + ": its cells hold over " + sizeText(kMaxSheetTextBytes) +
                             " of text (the limit) — refused as a cell bomb");
    }
};

void scanMember(const std::string& path, const std::string& name, std::uint64_t declared,
                const std::string& shown, XmlTagScanner& scanner) {
    detail::inflateMember(path, name, std::min(declared, kMaxZipMemberBytes), shown,
                          [&](std::string_view chunk) { scanner.feed(chunk); });
}

// XLSX: sharedStrings.xml first (the length of each string), then every other XML member as
// a possible sheet (GDAL finds sheets through the workbook's relations; a sheet under an
// unusual name is still counted).
void countXlsx(const std::string& path, CellCount& count) {
    std::vector<std::uint32_t> shared;
    bool inSharedString = false;
    std::vector<std::pair<std::string, std::uint64_t>> members;
    detail::forEachListedMember(path, [&](const std::string& name, std::uint64_t declared) {
        members.emplace_back(name, declared);
    });
    for (const auto& [name, declared] : members) {
        if (name != "xl/sharedStrings.xml") continue;
        XmlTagScanner scanner(
            [&](std::string_view tag) {
                const auto n = tagName(tag);
                if (n == "si" && !selfClosing(tag)) {
                    inSharedString = true;
                    shared.push_back(0);
                } else if (n == "si" && selfClosing(tag)) {
                    shared.push_back(0);
                } else if (n == "/si") {
                    inSharedString = false;
                }
            },
            [&](std::string_view text) {
                if (inSharedString)
                    shared.back() = static_cast<std::uint32_t>(
                        std::min<std::uint64_t>(0xFFFFFFFFu, shared.back() + text.size()));
            },
            count.shown);
        scanMember(path, name, declared, count.shown, scanner);
    }
    for (const auto& [name, declared] : members) {
        if (name == "xl/sharedStrings.xml" || name.size() < 4 ||
            name.compare(name.size() - 4, 4, ".xml") != 0)
            continue;
        const std::string where = "sheet " + name;
        double row = 0, rows = 0, column = 0, width = 0, cellText = 0;
        bool inCell = false, inValue = false, sharedCell = false;
        std::string value;
        const auto endCell = [&] {
            if (sharedCell) {
                const double index = digits(value);
                count.addText(index < static_cast<double>(shared.size())
                                  ? shared[static_cast<std::size_t>(index)]
                                  : 0.0);
            } else {
                count.addText(cellText);
            }
            inCell = false;
        };
        XmlTagScanner scanner(
            [&](std::string_view tag) {
                const auto n = tagName(tag);
                if (n == "row") {
                    const auto r = attribute(tag, "r");
                    row = r ? digits(*r) : row + 1;
                    rows = std::max(rows, row);
                    column = 0;
                    count.checkSheet(where, rows, width);
                } else if (n == "c") {
                    const auto r = attribute(tag, "r");
                    double c = 0;
                    if (r) {
                        c = columnOf(*r);
                        // A cell naming a row below the current one moves there.
                        const auto at = r->find_first_of("0123456789");
                        if (at != std::string_view::npos)
                            rows = std::max(rows, digits(r->substr(at)));
                    }
                    column = c > 0 ? c : column + 1;
                    width = std::max(width, column);
                    count.checkSheet(where, std::max(rows, 1.0), width);
                    const auto t = attribute(tag, "t");
                    sharedCell = t && *t == "s";
                    cellText = 0;
                    value.clear();
                    inCell = !selfClosing(tag);
                } else if (n == "/c" && inCell) {
                    endCell();
                } else if (n == "v") {
                    inValue = !selfClosing(tag);
                } else if (n == "/v") {
                    inValue = false;
                }
            },
            [&](std::string_view text) {
                if (!inCell) return;
                cellText += static_cast<double>(text.size());
                if (inValue && value.size() < 24) value.append(text.substr(0, 24));
            },
            count.shown);
        scanMember(path, name, declared, count.shown, scanner);
        count.cellsBefore += rows * width;
    }
}

// ODS: rows and cells repeat by attribute. Empty rows and cells count only when something
// follows them (LibreOffice pads every sheet with a million empty rows that GDAL skips).
void countOds(const std::string& path, CellCount& count) {
    std::vector<std::pair<std::string, std::uint64_t>> members;
    detail::forEachListedMember(path, [&](const std::string& name, std::uint64_t declared) {
        if (name.size() >= 4 && name.compare(name.size() - 4, 4, ".xml") == 0)
            members.emplace_back(name, declared);
    });
    for (const auto& [name, declared] : members) {
        double rows = 0, width = 0, pendingRows = 0, rowRepeat = 1, position = 0, lastFilled = 0;
        double rowText = 0, cellRepeat = 1, cellText = 0;
        bool inCell = false, cellFilled = false;
        const std::string where = "sheet in " + name;
        const auto endTable = [&] {
            count.cellsBefore += rows * width;
            rows = width = pendingRows = 0;
        };
        const auto repeat = [](std::string_view tag, std::string_view attr) {
            const auto v = attribute(tag, attr);
            const double n = v ? digits(*v) : 1;
            return n < 1 ? 1.0 : n;
        };
        const auto endCell = [&] {
            if (cellFilled || cellText > 0) {
                lastFilled = std::min(kHuge, position + cellRepeat);
                rowText = std::min(kHuge, rowText + cellText * cellRepeat);
            }
            position = std::min(kHuge, position + cellRepeat);
            inCell = false;
        };
        const auto endRow = [&] {
            if (lastFilled > 0) {
                rows = std::min(kHuge, rows + pendingRows + rowRepeat);
                pendingRows = 0;
                width = std::max(width, lastFilled);
                count.checkSheet(where, rows, width);
                count.addText(rowText * rowRepeat);
            } else {
                pendingRows = std::min(kHuge, pendingRows + rowRepeat);
            }
        };
        XmlTagScanner scanner(
            [&](std::string_view tag) {
                const auto n = tagName(tag);
                if (n == "table:table" && !selfClosing(tag)) {
                    endTable();
                } else if (n == "table:table-row") {
                    rowRepeat = repeat(tag, "table:number-rows-repeated");
                    position = lastFilled = rowText = 0;
                    if (selfClosing(tag)) endRow();
                } else if (n == "/table:table-row") {
                    endRow();
                } else if (n == "table:table-cell" || n == "table:covered-table-cell") {
                    cellRepeat = repeat(tag, "table:number-columns-repeated");
                    cellFilled = attribute(tag, "office:value-type").has_value();
                    cellText = 0;
                    if (const auto v = attribute(tag, "office:value"))
                        cellText = static_cast<double>(v->size());
                    inCell = true;
                    if (selfClosing(tag)) endCell();
                } else if ((n == "/table:table-cell" || n == "/table:covered-table-cell") &&
                           inCell) {
                    endCell();
                }
            },
            [&](std::string_view text) {
                if (inCell) cellText += static_cast<double>(text.size());
            },
            count.shown);
        scanMember(path, name, declared, count.shown, scanner);
        endTable();
        count.checkSheet(where, 0, 0);
    }
}

}  // namespace

void checkSheetCells(const std::string& path, const std::string& shown) {
    CellCount count{shown};
    std::string ext = path.substr(std::min(path.size(), path.find_last_of('.')));
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".ods") {
        countOds(path, count);
    } else {
        countXlsx(path, count);
    }
}

}  // namespace onemap::gis::limits
