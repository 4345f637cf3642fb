#include "onemap/gis/formats/point_table/point_table.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "formats/point_table/point_columns.hpp"
#include "formats/point_table/point_rows.hpp"
#include "layer/thread_config.hpp"
#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/text/text_encoding.hpp"
#include "text/csv_reader.hpp"

namespace onemap::gis {
namespace fs = std::filesystem;
namespace {

using point_table::Columns;
using point_table::findHeader;
using point_table::kHeaderSearchRows;
using point_table::Role;
using point_table::Row;
using point_table::Table;

// CSV files larger than this are not point tables anyone typed.
constexpr std::uintmax_t kMaxCsvBytes = 256u << 20;

// A CSV read whole (csv_reader.hpp): UTF-8 or GBK, its delimiter guessed, quotes as RFC 4180.
Table readCsv(const std::string& source) {
    csv::Table file = csv::readFile(source, kMaxCsvBytes, "a point table");
    Table t;
    t.where = source + ":";
    t.name = fs::path(source).stem().string();
    t.rows = std::move(file.rows);
    t.notes = std::move(file.notes);
    return t;
}

// Every cell as text, no header guessed: GDAL's own guess would miss a header below titles.
Table readSpreadsheet(const std::string& source, const std::string& sheet) {
    std::string chosen = sheet;
    if (chosen.empty()) {
        const auto sheets = listLayers(source);
        if (sheets.size() > 1) {
            std::string names;
            for (const auto& s : sheets) names += (names.empty() ? "" : ", ") + s;
            throw InputError(source + ": holds sheets " + names + "; choose one with --layer");
        }
    }
    const bool ods = lowerExtension(source) == ".ods";
    const detail::ThreadConfig headers(ods ? "OGR_ODS_HEADERS" : "OGR_XLSX_HEADERS", "DISABLE");
    const detail::ThreadConfig types(ods ? "OGR_ODS_FIELD_TYPES" : "OGR_XLSX_FIELD_TYPES",
                                     "STRING");
    const VectorLayer l = readLayer(source, ReadOptions::forTable(chosen));
    Table t;
    t.name = l.name;
    t.where = source + ": sheet '" + l.name + "' row ";
    for (const auto& f : l.features) {
        Row r{static_cast<std::size_t>(f.fid), {}};
        for (const auto& v : f.values) r.cells.push_back(csv::trimBlanks(toString(v)));
        t.rows.push_back(std::move(r));
    }
    t.notes = l.notes;
    return t;
}

std::optional<double> parseNumber(std::string s) {
    if (!s.empty() && s[0] == '+') s.erase(0, 1);
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

// What a column of numbers looks like on a Gauss-Kruger grid in China (or in degrees).
enum class Looks { Unknown, Northing, Easting };
Looks looksOf(double lo, double hi) {
    if (lo >= 1e6 && hi < 1e7) return Looks::Northing;  // 9°N–90°N
    if ((lo >= 1e4 && hi < 1e6) || (lo >= 1.3e7 && hi < 4.6e7)) return Looks::Easting;  // ±, zone
    if (lo >= 60 && hi <= 180) return Looks::Easting;  // longitude in China and around
    if (lo >= -10 && hi < 60) return Looks::Northing;  // latitude
    return Looks::Unknown;
}

std::string sci(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

struct TablePoint {
    std::string number;
    Point p;  ///< x = easting, y = northing
    std::size_t line = 0;
};

struct Parcel {
    std::string id;
    std::string name;
    std::vector<std::string> ringOrder;
    std::map<std::string, std::vector<TablePoint>> rings;
    std::size_t firstLine = 0, lastLine = 0, points = 0;
};

std::string ringLabel(const Parcel& p, const std::string& ring) {
    return "parcel '" + p.id + "'" + (ring.empty() ? "" : " ring '" + ring + "'");
}

// Drops a repeated first point at the end; refuses a repeated number that moved.
std::vector<Point> closedRing(const Table& t, const Parcel& parcel, const std::string& ring,
                              std::vector<TablePoint> pts) {
    if (pts.size() > 1) {
        const auto& a = pts.front();
        const auto& b = pts.back();
        const bool same = a.p.x == b.p.x && a.p.y == b.p.y;
        if (!same && !a.number.empty() && a.number == b.number)
            throw InputError(t.at(b.line) + ": point '" + b.number + "' of " +
                             ringLabel(parcel, ring) + " repeats the number of row/line " +
                             std::to_string(a.line) + " with other coordinates");
        if (same) pts.pop_back();
    }
    std::set<std::pair<double, double>> distinct;
    std::vector<Point> out;
    for (const auto& q : pts) {
        distinct.insert({q.p.x, q.p.y});
        out.push_back(q.p);
    }
    if (distinct.size() < 3)
        throw InputError(t.at(pts.empty() ? parcel.firstLine : pts.front().line) + ": " +
                         ringLabel(parcel, ring) + " has " + std::to_string(distinct.size()) +
                         " distinct point(s); a boundary needs at least 3");
    return out;
}

// Rings inside an odd number of others are holes of the ring just outside; the rest are parts.
Geometry assemble(const Table& t, const Parcel& parcel, const std::vector<std::string>& labels,
                  const std::vector<std::size_t>& firstLines,
                  const std::vector<std::vector<Point>>& rings) {
    std::vector<Geometry> polys;
    for (const auto& r : rings) polys.push_back(Geometry::polygon({r}));
    if (polys.size() == 1) return polys.front();
    const std::size_t n = polys.size();
    std::vector<std::vector<bool>> inside(n, std::vector<bool>(n, false));  // inside[i][j]: i in j
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            if (i == j || !polys[i].isValid() || !polys[j].isValid()) continue;
            if (polys[j].area() > polys[i].area() && polys[j].covers(polys[i])) {
                inside[i][j] = true;
            } else if (j > i && !polys[i].covers(polys[j])) {
                const double shared = polys[i].intersection(polys[j]).area();
                if (shared > 1e-9 * std::min(polys[i].area(), polys[j].area()))
                    throw InputError(t.at(firstLines[j]) + ": " + ringLabel(parcel, "") +
                                     ": rings " + labels[i] + " and " + labels[j] +
                                     " cross each other; a ring must lie inside another "
                                     "(a hole) or apart from it (another part)");
            }
        }
    }
    std::vector<std::size_t> depth(n, 0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) depth[i] += inside[i][j] ? 1 : 0;
    std::vector<Geometry> parts;
    for (std::size_t s = 0; s < n; ++s) {
        if (depth[s] % 2 != 0) continue;
        std::vector<std::vector<Point>> withHoles{rings[s]};
        for (std::size_t h = 0; h < n; ++h)
            if (depth[h] == depth[s] + 1 && inside[h][s]) withHoles.push_back(rings[h]);
        parts.push_back(Geometry::polygon(withHoles));
    }
    return parts.size() == 1 ? parts.front() : Geometry::collect(parts);
}

// One table, one CRS. Longitude/latitude rows among projected ones (rows pasted from two
// sources) measure a site across half a continent; no CRS reads both, so it is a question.
// Degrees: both numbers within ±180. Metres: one beyond 100 km, which no degree is and no
// local drawing grid with points within 180 m of its origin reaches.
template <class Raw>
void refuseMixedKinds(const Table& t, const std::vector<Raw>& raws) {
    std::vector<const Raw*> degrees, metres;
    for (const auto& r : raws) {
        const double a = std::abs(r.a), b = std::abs(r.b);
        if (a <= 180 && b <= 180) {
            degrees.push_back(&r);
        } else if (std::max(a, b) >= 1e5) {
            metres.push_back(&r);
        }
    }
    if (degrees.empty() || metres.empty()) return;
    const auto list = [](const std::vector<const Raw*>& rows) {
        std::string s;
        for (std::size_t i = 0; i < rows.size() && i < 5; ++i)
            s += (i ? ", " : "") + std::to_string(rows[i]->line);
        return rows.size() > 5 ? s + " (" + std::to_string(rows.size()) + " rows)" : s;
    };
    const auto example = [](const Raw* r) { return sci(r->a) + ", " + sci(r->b); };
    const Raw* first = (degrees.size() <= metres.size() ? degrees : metres).front();
    throw InputError(
        t.at(first->line) + ": rows " + list(degrees) + " hold longitude/latitude-sized numbers (" +
        example(degrees.front()) + ") but rows " + list(metres) + " projected metres (" +
        example(metres.front()) + "); a table's points are in one CRS: convert them to one kind");
}

// The fewest decimals that write every value (at most 9): rounded degrees are coarse.
template <class Raw>
int decimalsOf(const std::vector<Raw>& raws) {
    int most = 0;
    for (const auto& r : raws) {
        for (const double v : {r.a, r.b}) {
            double scaled = v;
            int k = 0;
            while (k < 9 && std::abs(scaled - std::round(scaled)) > 1e-6) scaled *= 10, ++k;
            most = std::max(most, k);
        }
    }
    return most;
}

}  // namespace

bool isPointTableFile(const std::string& path) {
    const std::string e = lowerExtension(path);
    return e == ".csv" || e == ".xlsx" || e == ".xlsm" || e == ".ods";
}

std::optional<VectorLayer> readPointTable(const std::string& source, const std::string& sheet,
                                          const Crs& crs) {
    const bool csv = lowerExtension(source) == ".csv";
    Table t = csv ? readCsv(source) : readSpreadsheet(source, sheet);
    const auto header = findHeader(t, crs);
    if (!header) {
        if (csv) return std::nullopt;
        throw InputError(t.where + "1: no header row naming the coordinate columns in the first " +
                         std::to_string(kHeaderSearchRows) +
                         " rows (e.g. 点号, X坐标, Y坐标 or northing, easting)");
    }
    const Columns& c = *header;
    const std::vector<std::string>& names = t.rows[c.headerRow].cells;
    const auto cellOf = [](const Row& r, std::optional<std::size_t> col) {
        return col && *col < r.cells.size() ? r.cells[*col] : std::string();
    };
    const auto column = [&c](Role role) -> std::optional<std::size_t> {
        const auto it = c.at.find(role);
        return it == c.at.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    };

    // Every data row: numbers first, so the axes can be judged from all of them.
    struct Raw {
        std::size_t line;
        double a, b;  // first and second coordinate column
        std::string number, parcel, ring, name;
    };
    std::vector<Raw> raws;
    std::vector<std::size_t> skipped;
    std::string parcel, ring;
    for (std::size_t r = c.headerRow + 1; r < t.rows.size(); ++r) {
        const Row& row = t.rows[r];
        if (std::all_of(row.cells.begin(), row.cells.end(),
                        [](const std::string& s) { return s.empty(); }))
            continue;
        if (row.cells == names) continue;  // the header repeated (one block per parcel)
        const std::string sa = cellOf(row, c.first), sb = cellOf(row, c.second);
        if (sa.empty() && sb.empty()) {
            skipped.push_back(row.line);  // a footer: area, surveyor, date
            continue;
        }
        const auto a = parseNumber(sa);
        const auto b = parseNumber(sb);
        if (!a || !b) {
            const bool firstBad = !a;
            throw InputError(t.at(row.line) + ": " + names[firstBad ? c.first : c.second] + " '" +
                             (firstBad ? sa : sb) + "' is not a number");
        }
        Raw raw{row.line, *a, *b, cellOf(row, column(Role::PointNo)), "", "", ""};
        if (const auto col = column(Role::Parcel)) {
            const std::string v = cellOf(row, col);
            if (!v.empty()) parcel = v;  // merged cells leave the rows below blank
            if (parcel.empty())
                throw InputError(t.at(row.line) + ": no " + names[*col] +
                                 " for this point (and none above)");
            raw.parcel = parcel;
        }
        if (const auto col = column(Role::Ring)) {
            const std::string v = cellOf(row, col);
            if (!v.empty()) {
                ring = v;
            } else if (!raws.empty() && raws.back().parcel != raw.parcel) {
                ring.clear();  // a new parcel does not continue the last one's ring
            }
            if (ring.empty())
                throw InputError(t.at(row.line) + ": no " + names[*col] +
                                 " for this point (and none above)");
            raw.ring = ring;
        }
        raw.name = cellOf(row, column(Role::Name));
        raws.push_back(std::move(raw));
        limits::checkPointsPerFile(raws.size(), [&] { return t.at(row.line); });
    }
    if (raws.empty())
        throw InputError(t.at(t.rows[c.headerRow].line) +
                         ": the table holds no point below its header");
    refuseMixedKinds(t, raws);

    // Which column is the northing: the names say, the numbers check.
    double loA = raws.front().a, hiA = loA, loB = raws.front().b, hiB = loB;
    for (const auto& r : raws) {
        loA = std::min(loA, r.a), hiA = std::max(hiA, r.a);
        loB = std::min(loB, r.b), hiB = std::max(hiB, r.b);
    }
    const Looks la = looksOf(loA, hiA), lb = looksOf(loB, hiB);
    const bool valuesSayFirstNorth = la == Looks::Northing && lb == Looks::Easting;
    const bool valuesSayFirstEast = la == Looks::Easting && lb == Looks::Northing;
    const std::string& nameA = names[c.first];
    const std::string& nameB = names[c.second];
    const std::string ranges = " (" + nameA + " " + sci(loA) + "–" + sci(hiA) + ", " + nameB + " " +
                               sci(loB) + "–" + sci(hiB) + ")";
    bool firstIsNorth = true;
    std::string decided;
    if (c.explicitAxes) {
        if (valuesSayFirstEast)
            throw InputError(t.at(t.rows[c.headerRow].line) + ": column '" + nameA +
                             "' is named a northing but holds eastings, and '" + nameB +
                             "' the reverse" + ranges + "; fix the headers");
        decided = "'" + nameA + "' read as northing and '" + nameB +
                  "' as easting, as the headers name them";
    } else if (valuesSayFirstEast) {
        firstIsNorth = false;
        decided = "'" + nameA + "' read as easting and '" + nameB +
                  "' as northing: the numbers say so" + ranges +
                  ", against the Chinese survey convention (X = northing)";
    } else {
        decided = "'" + nameA + "' read as northing and '" + nameB +
                  "' as easting (Chinese survey convention: X = northing)";
        decided += valuesSayFirstNorth ? "; the numbers agree" + ranges
                                       : "; the numbers cannot tell" + ranges;
    }

    std::vector<Parcel> parcels;
    std::map<std::string, std::size_t> byId;
    const std::string wholeTable = t.name;
    for (const auto& r : raws) {
        const std::string id = column(Role::Parcel) ? r.parcel : wholeTable;
        auto [it, fresh] = byId.emplace(id, parcels.size());
        if (fresh) {
            parcels.emplace_back();
            parcels.back().id = id;
            parcels.back().firstLine = r.line;
        }
        Parcel& p = parcels[it->second];
        if (p.name.empty()) p.name = r.name;
        p.lastLine = r.line;
        limits::checkPointsPerParcel(++p.points, [&] { return t.at(r.line); });
        const Point at = firstIsNorth ? Point{r.b, r.a} : Point{r.a, r.b};
        TablePoint tp{r.number, at, r.line};
        if (column(Role::Ring)) {
            if (!p.rings.count(r.ring)) p.ringOrder.push_back(r.ring);
            limits::checkRingsPerParcel(p.ringOrder.size(), [&] { return t.at(r.line); });
            p.rings[r.ring].push_back(tp);
        } else {
            // Without a ring column a ring ends where it meets its first point again.
            if (p.ringOrder.empty()) p.ringOrder.push_back("1");
            auto& current = p.rings[p.ringOrder.back()];
            const bool closed = current.size() > 1 && current.front().p.x == current.back().p.x &&
                                current.front().p.y == current.back().p.y;
            if (closed) {
                p.ringOrder.push_back(std::to_string(p.ringOrder.size() + 1));
                limits::checkRingsPerParcel(p.ringOrder.size(), [&] { return t.at(r.line); });
                p.rings[p.ringOrder.back()].push_back(tp);
            } else {
                current.push_back(tp);
            }
        }
    }

    VectorLayer out;
    out.name = t.name;
    out.geometryType = "Polygon";
    out.encoding = "UTF-8";
    const bool hasName = column(Role::Name).has_value();
    out.fields = {{"id", FieldType::String, 0, 0}};
    if (hasName) out.fields.push_back({"name", FieldType::String, 0, 0});
    out.fields.push_back({"points", FieldType::Integer, 0, 0});
    out.fields.push_back({"rows", FieldType::String, 0, 0});
    for (std::size_t i = 0; i < parcels.size(); ++i) {
        const Parcel& p = parcels[i];
        std::vector<std::vector<Point>> rings;
        std::vector<std::string> labels;
        std::vector<std::size_t> firstLines;
        for (const auto& key : p.ringOrder) {
            const std::string label = column(Role::Ring) ? key : "";
            rings.push_back(closedRing(t, p, label, p.rings.at(key)));
            labels.push_back("'" + key + "' (from " + std::to_string(p.rings.at(key).front().line) +
                             ")");
            firstLines.push_back(p.rings.at(key).front().line);
        }
        Feature f;
        f.fid = static_cast<std::int64_t>(i + 1);
        f.values.emplace_back(p.id);
        if (hasName) f.values.emplace_back(p.name);
        f.values.emplace_back(static_cast<std::int64_t>(p.points));
        f.values.emplace_back(std::to_string(p.firstLine) + "-" + std::to_string(p.lastLine));
        f.geometry = assemble(t, p, labels, firstLines, rings);
        out.features.push_back(std::move(f));
    }
    out.notes = t.notes;
    if (!c.chosen.empty()) {
        const int decimals = decimalsOf(raws);
        // 1e-N degree of latitude is 111.32 km / 10^N.
        out.notes.push_back(c.chosen + (c.degrees && decimals <= 5
                                            ? "; they have at most " + std::to_string(decimals) +
                                                  " decimals (steps of about " +
                                                  sci(std::round(111320 / std::pow(10, decimals))) +
                                                  " m): for the surveyed coordinates give the "
                                                  "projected CRS"
                                            : ""));
    }
    out.notes.push_back("boundary-point table: " + decided + "; " + std::to_string(raws.size()) +
                        " points in " + std::to_string(parcels.size()) + " parcel(s)");
    if (!skipped.empty()) {
        std::string lines;
        for (const auto l : skipped) lines += (lines.empty() ? "" : ", ") + std::to_string(l);
        out.notes.push_back("rows without coordinates left out (" + lines + ")");
    }
    return out;
}

}  // namespace onemap::gis
