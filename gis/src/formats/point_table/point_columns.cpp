// The header row of a boundary-point table and what its columns hold.
#include "formats/point_table/point_columns.hpp"

#include <algorithm>
#include <cstring>

#include "onemap/gis/base/error.hpp"

namespace onemap::gis::point_table {
namespace {

// A header cell without blanks, units in brackets, and ASCII case: "X坐标 (m)" → "x坐标".
std::string normalized(const std::string& cell) {
    std::string s;
    int depth = 0;
    for (std::size_t i = 0; i < cell.size(); ++i) {
        const auto opens = [&](const char* b) { return cell.compare(i, std::strlen(b), b) == 0; };
        if (cell[i] == '(' || cell[i] == '[') {
            ++depth;
            continue;
        }
        if (opens("\xEF\xBC\x88") || opens("\xE3\x80\x90")) {  // （ 【
            ++depth;
            i += 2;
            continue;
        }
        if (cell[i] == ')' || cell[i] == ']') {
            depth = std::max(0, depth - 1);
            continue;
        }
        if (opens("\xEF\xBC\x89") || opens("\xE3\x80\x91")) {  // ） 】
            depth = std::max(0, depth - 1);
            i += 2;
            continue;
        }
        if (opens("\xE3\x80\x80")) {  // ideographic space
            i += 2;
            continue;
        }
        if (depth > 0 || cell[i] == ' ' || cell[i] == '_' || cell[i] == '.' || cell[i] == '-' ||
            cell[i] == ':' || cell[i] == '\t')
            continue;
        s += static_cast<char>(std::tolower(static_cast<unsigned char>(cell[i])));
    }
    if (s.size() > 2 && (s.substr(s.size() - 2) == "/m")) s.resize(s.size() - 2);
    return s;
}

Role roleOf(const std::string& cell) {
    static const std::map<std::string, Role> names = {
        {"点号", Role::PointNo},
        {"界址点号", Role::PointNo},
        {"界址点", Role::PointNo},
        {"点名", Role::PointNo},
        {"点", Role::PointNo},
        {"序号", Role::PointNo},
        {"pointid", Role::PointNo},
        {"pointno", Role::PointNo},
        {"point", Role::PointNo},
        {"pt", Role::PointNo},
        {"ptno", Role::PointNo},
        {"no", Role::PointNo},
        {"x", Role::X},
        {"x坐标", Role::X},
        {"坐标x", Role::X},
        {"xm", Role::X},
        {"y", Role::Y},
        {"y坐标", Role::Y},
        {"坐标y", Role::Y},
        {"ym", Role::Y},
        {"北坐标", Role::North},
        {"纵坐标", Role::North},
        {"北", Role::North},
        {"n", Role::North},
        {"northing", Role::North},
        {"north", Role::North},
        {"纬度", Role::Latitude},
        {"lat", Role::Latitude},
        {"latitude", Role::Latitude},
        {"东坐标", Role::East},
        {"横坐标", Role::East},
        {"东", Role::East},
        {"e", Role::East},
        {"easting", Role::East},
        {"east", Role::East},
        {"经度", Role::Longitude},
        {"lon", Role::Longitude},
        {"lng", Role::Longitude},
        {"long", Role::Longitude},
        {"longitude", Role::Longitude},
        {"圈号", Role::Ring},
        {"环号", Role::Ring},
        {"圈", Role::Ring},
        {"环", Role::Ring},
        {"ring", Role::Ring},
        {"ringno", Role::Ring},
        {"ringid", Role::Ring},
        {"地块编号", Role::Parcel},
        {"地块号", Role::Parcel},
        {"地块", Role::Parcel},
        {"地块代码", Role::Parcel},
        {"宗地号", Role::Parcel},
        {"宗地编号", Role::Parcel},
        {"宗地代码", Role::Parcel},
        {"parcel", Role::Parcel},
        {"parcelid", Role::Parcel},
        {"parcelno", Role::Parcel},
        {"plot", Role::Parcel},
        {"plotid", Role::Parcel},
        {"block", Role::Parcel},
        {"地块名称", Role::Name},
        {"宗地名称", Role::Name},
        {"项目名称", Role::Name},
        {"名称", Role::Name},
        {"name", Role::Name},
    };
    const auto it = names.find(normalized(cell));
    return it == names.end() ? Role::None : it->second;
}

}  // namespace

// The coordinate columns. A table may give the projected pair (X/Y or north/east) and the
// geographic one (经度/纬度) side by side: the sites' CRS decides, and without one it is a
// question, not a guess (the two rarely agree to the metre: degrees are often rounded).
std::optional<Columns> findHeader(const Table& t, const Crs& crs) {
    for (std::size_t r = 0; r < t.rows.size() && r < kHeaderSearchRows; ++r) {
        Columns c;
        c.headerRow = r;
        for (std::size_t i = 0; i < t.rows[r].cells.size(); ++i) {
            const Role role = roleOf(t.rows[r].cells[i]);
            if (role != Role::None) c.at.emplace(role, i);
        }
        const bool ne = c.at.count(Role::North) && c.at.count(Role::East);
        const bool xy = c.at.count(Role::X) && c.at.count(Role::Y);
        const bool ll = c.at.count(Role::Latitude) && c.at.count(Role::Longitude);
        if (!ne && !xy && !ll) continue;
        const auto& cells = t.rows[r].cells;
        const auto column = [&c](Role role) { return c.at.find(role)->second; };
        const std::size_t n = ne ? column(Role::North) : xy ? column(Role::X) : 0;
        const std::size_t e = ne ? column(Role::East) : xy ? column(Role::Y) : 0;
        const std::string projected = "'" + cells[n] + "'/'" + cells[e] + "'";
        const std::string geographic =
            ll ? "'" + cells[column(Role::Longitude)] + "'/'" + cells[column(Role::Latitude)] + "'"
               : "";
        if ((ne || xy) && ll) {
            if (!crs.isKnown())
                throw InputError(t.at(t.rows[r].line) + ": the table gives both projected " +
                                 "coordinates (" + projected + ") and longitude/latitude (" +
                                 geographic + "); say which to read with the sites' CRS " +
                                 "(--sites-crs: a projected CRS reads " + projected +
                                 ", a geographic one " + geographic + ")");
            c.degrees = crs.isGeographic();
            c.chosen = c.degrees ? "columns " + geographic + " read, as " + crs.label() +
                                       " is geographic; " + projected + " left out"
                                 : "columns " + projected + " read, as " + crs.label() +
                                       " is projected; " + geographic + " left out";
        } else {
            c.degrees = ll;
        }
        c.explicitAxes = ne || c.degrees;
        c.first = c.degrees ? column(Role::Latitude) : n;
        c.second = c.degrees ? column(Role::Longitude) : e;
        return c;
    }
    return std::nullopt;
}

}  // namespace onemap::gis::point_table
