#include "onemap/core/check/supplied_attributes.hpp"

#include <charconv>
#include <cmath>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/text/csv_file.hpp"

namespace onemap::core {
namespace {

// A side table of figures is typed by hand or exported from a sheet: a few MB at most.
constexpr std::uintmax_t kMaxTableBytes = 64u << 20;

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

std::optional<gis::Value> SuppliedAttributes::parseValue(const std::string& typed) {
    const std::string s = trim(typed);
    if (s.empty()) return gis::Value{};
    const char c = s[0];
    const bool numberLike = c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9');
    if (!numberLike) return gis::Value{s};
    const char* begin = s.data() + (c == '+' ? 1 : 0);
    double v = 0;
    const auto r = std::from_chars(begin, s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return gis::Value{v};
}

void SuppliedAttributes::addForEverySite(const std::string& arg) {
    const auto eq = arg.find('=');
    if (eq == std::string::npos)
        throw InputError("--attr '" + arg + "': write FIELD=VALUE, e.g. --attr plot_ratio=1.8");
    const std::string field = trim(arg.substr(0, eq));
    if (field.empty()) throw InputError("--attr '" + arg + "': no field name before '='");
    if (forEverySite_.count(field)) throw InputError("--attr " + field + ": given twice");
    const auto v = parseValue(arg.substr(eq + 1));
    if (!v)
        throw InputError("--attr " + field + ": '" + trim(arg.substr(eq + 1)) +
                         "' is not a number (write 1.8, with a point)");
    if (gis::isNull(*v)) throw InputError("--attr " + field + ": no value after '='");
    forEverySite_[field] = *v;
}

void SuppliedAttributes::readTable(const std::string& path) {
    if (!tablePath_.empty()) throw InputError("--attr-table: give one table");
    const gis::CsvFile file = gis::readCsvFile(path, kMaxTableBytes, "a table of site figures");
    if (file.rows.empty())
        throw InputError(path +
                         ": empty; the first row names the fields, the first column "
                         "holds the site ids");
    const auto& header = file.rows.front();
    if (header.cells.size() < 2)
        throw InputError(path + ":" + std::to_string(header.line) +
                         ": the header names the id column and at least one field");
    std::vector<std::string> fields;
    for (std::size_t i = 1; i < header.cells.size(); ++i) {
        const std::string& name = header.cells[i];
        if (name.empty())
            throw InputError(path + ":" + std::to_string(header.line) + ": column " +
                             std::to_string(i + 1) + " has no field name");
        for (const auto& f : fields)
            if (f == name)
                throw InputError(path + ":" + std::to_string(header.line) + ": field '" + name +
                                 "' named twice");
        if (forEverySite_.count(name))
            throw InputError(path + ":" + std::to_string(header.line) + ": field '" + name +
                             "' is also given by --attr; give it once");
        fields.push_back(name);
    }
    for (std::size_t r = 1; r < file.rows.size(); ++r) {
        const auto& row = file.rows[r];
        const std::string where = path + ":" + std::to_string(row.line);
        if (row.cells.size() != header.cells.size())
            throw InputError(where + ": " + std::to_string(row.cells.size()) +
                             " cells, the header has " + std::to_string(header.cells.size()));
        const std::string& id = row.cells[0];
        if (id.empty()) throw InputError(where + ": no site id in the first column");
        if (const auto it = lines_.find(id); it != lines_.end())
            throw InputError(where + ": site '" + id + "' again (first at line " +
                             std::to_string(it->second) + ")");
        lines_[id] = row.line;
        auto& values = bySite_[id];
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const auto v = parseValue(row.cells[i + 1]);
            if (!v)
                throw InputError(where + ": " + fields[i] + " '" + row.cells[i + 1] +
                                 "' is not a number (write 1.8, with a point)");
            values[fields[i]] = *v;
        }
    }
    tablePath_ = path;
    tableFields_ = std::move(fields);
}

bool SuppliedAttributes::has(const std::string& field) const {
    if (forEverySite_.count(field)) return true;
    for (const auto& f : tableFields_)
        if (f == field) return true;
    return false;
}

gis::Value SuppliedAttributes::value(const std::string& siteId, const std::string& field) const {
    if (const auto it = forEverySite_.find(field); it != forEverySite_.end()) return it->second;
    const auto row = bySite_.find(siteId);
    if (row == bySite_.end()) return {};
    const auto it = row->second.find(field);
    return it == row->second.end() ? gis::Value{} : it->second;
}

std::map<std::string, std::string> SuppliedAttributes::fields() const {
    std::map<std::string, std::string> out;
    for (const auto& [field, v] : forEverySite_) out[field] = "--attr";
    for (const auto& field : tableFields_) out[field] = tablePath_;
    return out;
}

}  // namespace onemap::core
