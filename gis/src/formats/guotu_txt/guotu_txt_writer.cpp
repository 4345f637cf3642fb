// Writing 国土 TXT boundary-point files (see onemap/gis/guotu_txt.hpp and docs/data-io.md).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

#include "formats/guotu_txt/guotu_common.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/calendar.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/formats/guotu_txt/guotu_txt.hpp"
#include "onemap/gis/text/text_encoding.hpp"

namespace onemap::gis {
namespace {

// The fixed header fields after 地块名称 and 记录图形属性: positions 6, 7, 8 (1-based).
const char* const kNamedFields[] = {"图幅号", "地块用途", "地类编码"};

std::string fixed(double v, int decimals) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    return std::string(buf, r.ptr);
}

double parse(const std::string& s) {
    double v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

// A ring as written: coordinates as text (rounded), without the closing repeat.
struct WrittenRing {
    std::vector<std::pair<std::string, std::string>> xy;  // (X northing, Y easting)
    double area = 0;                                      // planar, of the rounded points
};

// Survey convention: exterior clockwise, holes counter-clockwise (seen with north up), each
// starting at its north-west vertex (the one nearest the NW corner of its envelope).
WrittenRing writeRing(std::vector<Point> ring, bool hole, int decimals) {
    if (ring.size() > 1 && ring.front().x == ring.back().x && ring.front().y == ring.back().y)
        ring.pop_back();
    WrittenRing out;
    std::vector<Point> rounded;
    for (const auto& p : ring) {
        std::pair<std::string, std::string> t{fixed(p.y, decimals), fixed(p.x, decimals)};
        if (!out.xy.empty() && out.xy.back() == t) continue;  // collapsed by rounding
        out.xy.push_back(t);
        rounded.push_back({parse(t.second), parse(t.first)});
    }
    while (out.xy.size() > 1 && out.xy.back() == out.xy.front()) {
        out.xy.pop_back();
        rounded.pop_back();
    }
    if (out.xy.size() < 3) return out;
    const double a = guotu::signedArea(rounded);
    if ((a > 0) != hole) {  // counter-clockwise exterior, or clockwise hole: reverse
        std::reverse(out.xy.begin(), out.xy.end());
        std::reverse(rounded.begin(), rounded.end());
    }
    double minx = rounded[0].x, maxy = rounded[0].y;
    for (const auto& p : rounded) {
        minx = std::min(minx, p.x);
        maxy = std::max(maxy, p.y);
    }
    std::size_t start = 0;
    double best = 0;
    for (std::size_t i = 0; i < rounded.size(); ++i) {
        const double d = std::hypot(rounded[i].x - minx, rounded[i].y - maxy);
        if (i == 0 || d < best) {
            best = d;
            start = i;
        }
    }
    std::rotate(out.xy.begin(), out.xy.begin() + static_cast<std::ptrdiff_t>(start), out.xy.end());
    out.area = std::abs(a);
    return out;
}

class Writer {
  public:
    Writer(const VectorLayer& layer, const GuotuWriteOptions& options)
        : layer_(layer), options_(options) {}

    std::string text() {
        const auto zone = zoneOf();
        const std::string eol = options_.crlf ? "\r\n" : "\n";
        if (options_.decimals < 0 || options_.decimals > 9)
            throw InputError("国土 TXT: coordinate decimals must be 0–9");
        if (layer_.features.empty())
            throw InputError("国土 TXT: layer '" + layer_.name + "' has no parcels to write");
        const std::string type = layer_.geometryType;
        if (type.find("Point") != std::string::npos || type.find("Line") != std::string::npos)
            throw InputError("国土 TXT: layer '" + layer_.name + "' holds " + type +
                             " features; the format holds parcels (polygons) only");
        std::string out;
        const auto line = [&](const std::string& s) { out += s + eol; };
        line("[属性描述]");
        line("格式版本号=1.01");
        line("数据产生单位=" + checkedText(options_.producer, "数据产生单位"));
        line("数据产生日期=" +
             checkedText(options_.date.empty() ? todayIso() : options_.date, "数据产生日期"));
        line(std::string("坐标系=") + guotu::headerName(zone.datum));
        line("几度分带=" + std::to_string(zone.width));
        line("投影类型=高斯克吕格");
        line("计量单位=米");
        line("带号=" + std::to_string(zone.number));
        line("精度=" + fixed(std::pow(10.0, -options_.decimals), options_.decimals));
        line("转换参数=,,,,,,");
        line("[地块坐标]");
        extraColumns();
        for (std::size_t i = 0; i < layer_.features.size(); ++i) parcel(i, line);
        if (options_.encoding == "UTF-8") return out;
        const auto gbk = utf8ToGbk(out);
        if (!gbk) throw InputError("国土 TXT: the text cannot be written in GBK");
        return *gbk;
    }

  private:
    guotu::Zone zoneOf() const {
        const auto code = layer_.crs.isKnown() ? layer_.crs.epsg() : std::nullopt;
        const auto zone = code ? guotu::zoneOfEpsg(*code) : std::nullopt;
        if (!zone)
            throw InputError(
                "国土 TXT: layer '" + layer_.name + "' is in " +
                (layer_.crs.isKnown() ? layer_.crs.label() : std::string("no known CRS")) +
                ", which the format cannot state; it holds CGCS2000 (or 1980西安, 1954北京) "
                "Gauss-Kruger 3- or 6-degree zones: reproject first, e.g. --crs EPSG:4549 "
                "(3-degree CM 120°E) or EPSG:4528 (zone 40 with the prefix)");
        if (options_.encoding != "GBK" && options_.encoding != "UTF-8")
            throw InputError("国土 TXT: encoding must be GBK or UTF-8, not " + options_.encoding);
        return *zone;
    }

    // Text as it will be written: one field, in the file's encoding.
    std::string checkedText(const std::string& s, const std::string& where) const {
        if (s.find_first_of(",\r\n") != std::string::npos)
            throw InputError("国土 TXT: " + where + ": '" + s +
                             "' holds a comma or line break, which the format cannot hold");
        if (s == "@") throw InputError("国土 TXT: " + where + ": '@' would end the parcel line");
        if (options_.encoding == "GBK" && !utf8ToGbk(s))
            throw InputError("国土 TXT: " + where + ": '" + s +
                             "' has a character GBK lacks "
                             "(write with --encoding UTF-8)");
        return s;
    }

    // Fields named 字段N (N ≥ 9) go to position N of the parcel line.
    void extraColumns() {
        for (std::size_t c = 0; c < layer_.fields.size(); ++c) {
            const std::string& n = layer_.fields[c].name;
            const std::string prefix = "字段";
            if (n.rfind(prefix, 0) != 0) continue;
            int pos = 0;
            const char* b = n.data() + prefix.size();
            const auto r = std::from_chars(b, n.data() + n.size(), pos);
            if (r.ec != std::errc() || r.ptr != n.data() + n.size() || pos < 9 || pos > 999)
                continue;
            extras_[pos] = c;
        }
    }

    std::string value(std::size_t feature, std::initializer_list<const char*> names) const {
        for (const char* n : names)
            if (const auto idx = layer_.fieldIndex(n))
                return toString(layer_.features[feature].values[*idx]);
        return "";
    }

    template <class Line>
    void parcel(std::size_t i, const Line& line) {
        const Feature& f = layer_.features[i];
        // The layer and the feature's fid as its source numbers it (what ogrinfo/QGIS show),
        // in every error of the writer.
        const std::string who = "layer '" + layer_.name + "' feature " + std::to_string(f.fid);
        if (f.geometry.isEmpty() || f.geometry.kind() != GeometryKind::Polygon)
            throw InputError("国土 TXT: " + who + " is a " + f.geometry.typeName() +
                             "; the format holds parcels (polygons) only");
        std::string id = value(i, {"地块编号", "id"});
        if (id.empty()) id = std::to_string(f.fid);
        std::vector<std::string> fields{
            checkedText(id, who + " 地块编号"),
            checkedText(value(i, {"地块名称", "name"}), who + " 地块名称"), "面"};
        for (const char* n : kNamedFields)
            fields.push_back(checkedText(value(i, {n}), who + " " + n));
        const int last = extras_.empty() ? 8 : extras_.rbegin()->first;
        for (int pos = 9; pos <= last; ++pos) {
            const auto it = extras_.find(pos);
            fields.push_back(it == extras_.end()
                                 ? std::string()
                                 : checkedText(toString(f.values[it->second]),
                                               who + " " + layer_.fields[it->second].name));
        }
        std::vector<std::string> points;
        double area = 0;
        int label = 0, ringNo = 0;
        const auto polygons = f.geometry.polygons();
        for (std::size_t part = 0; part < polygons.size(); ++part) {
            const auto& polygon = polygons[part];
            for (std::size_t r = 0; r < polygon.size(); ++r) {
                const WrittenRing ring = writeRing(polygon[r], r > 0, options_.decimals);
                if (ring.xy.size() < 3) {
                    if (r == 0) {
                        const auto c = Geometry::polygon({polygon[r]}).envelope();
                        char at[96];
                        std::snprintf(at, sizeof at, "near %.3f, %.3f", c.minx, c.miny);
                        throw InputError(
                            "国土 TXT: " + who + " (地块编号 '" + id + "'): part " +
                            std::to_string(part + 1) + " of " + std::to_string(polygons.size()) +
                            " (" + at + ") has fewer than 3 distinct corners at " +
                            std::to_string(options_.decimals) +
                            " decimals (a sliver narrower than the precision); remove or merge "
                            "that part in the source, and export again");
                    }
                    continue;  // a hole rounded to nothing is no hole
                }
                area += r == 0 ? ring.area : -ring.area;
                ++ringNo;
                const std::string first = "J" + std::to_string(label + 1);
                for (const auto& [x, y] : ring.xy)
                    points.push_back("J" + std::to_string(++label) + "," + std::to_string(ringNo) +
                                     "," + x + "," + y);
                points.push_back(first + "," + std::to_string(ringNo) + "," + ring.xy[0].first +
                                 "," + ring.xy[0].second);
            }
        }
        std::string head = std::to_string(points.size()) + "," + fixed(toHectares(area), 4);
        for (const auto& s : fields) head += "," + s;
        line(head + ",@");
        for (const auto& p : points) line(p);
    }

    const VectorLayer& layer_;
    const GuotuWriteOptions& options_;
    std::map<int, std::size_t> extras_;  // position → field index
};

}  // namespace

std::string formatGuotuTxt(const VectorLayer& layer, const GuotuWriteOptions& options) {
    return Writer(layer, options).text();
}

void writeGuotuTxt(const std::string& path, const VectorLayer& layer,
                   const GuotuWriteOptions& options) {
    writeFileAtomically(path, formatGuotuTxt(layer, options));
}

}  // namespace onemap::gis
