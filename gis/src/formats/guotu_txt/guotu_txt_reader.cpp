// Reading 国土 TXT boundary-point files (see onemap/gis/guotu_txt.hpp and docs/data-io.md).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "formats/guotu_txt/guotu_common.hpp"
#include "formats/guotu_txt/guotu_crs.hpp"
#include "formats/guotu_txt/guotu_fields.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/formats/guotu_txt/guotu_txt.hpp"
#include "onemap/gis/text/text_encoding.hpp"
#include "text/declared_encoding.hpp"

namespace onemap::gis {
namespace {

namespace fs = std::filesystem;
using guotu::formatFixed;
using guotu::HeaderValue;
using guotu::integer;
using guotu::Line;
using guotu::number;
using guotu::Parcel;
using guotu::PointLine;
using guotu::splitFields;
using guotu::trim;

// Declared and computed areas further apart than this are reported (catches swapped X/Y,
// a wrong zone, square metres or 亩 written as hectares).
constexpr double kAreaTolerance = 0.001;
constexpr double kMaxNorthing = 1e7;
// A land-use approval's file is kilobytes; a whole county's parcels some tens of MB.
constexpr std::uintmax_t kMaxFileBytes = 256u << 20;
constexpr double kMaxEasting = 61e6;

// One ring of a parcel: its points without the closing repeat.
struct Ring {
    std::vector<Point> points;  // x = easting, y = northing
    std::size_t firstLine = 0;
    double area = 0;  // |shoelace|
    int parent = -1;  // smallest ring containing it
    int depth = 0;    // number of rings containing it
};

// 地块面积 as written, without the unit a web exporter adds ("0.7655公顷"): hectares.
std::string withoutUnit(const std::string& text) {
    for (const std::string unit : {"公顷", "ha"})
        if (text.size() > unit.size() &&
            text.compare(text.size() - unit.size(), unit.size(), unit) == 0)
            return trim(std::string_view(text).substr(0, text.size() - unit.size()));
    return text;
}

// Decimals written after the point ("1.2340" → 4): the rounding the producer applied.
int decimalsOf(const std::string& text) {
    const auto dot = text.find('.');
    return dot == std::string::npos ? 0 : static_cast<int>(text.size() - dot - 1);
}

// 1 inside, 0 on the boundary, -1 outside (crossing number).
int locate(const Point& p, const std::vector<Point>& ring) {
    bool inside = false;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const Point& a = ring[i];
        const Point& b = ring[(i + 1) % n];
        const double cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        if (cross == 0 && p.x >= std::min(a.x, b.x) && p.x <= std::max(a.x, b.x) &&
            p.y >= std::min(a.y, b.y) && p.y <= std::max(a.y, b.y))
            return 0;
        if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y))
            inside = !inside;
    }
    return inside ? 1 : -1;
}

// Whether ring a lies inside ring b: smaller, no vertex outside, and something of it
// strictly inside (a hole may touch its exterior at a vertex).
bool inside(const Ring& a, const Ring& b) {
    if (a.area >= b.area) return false;
    bool strictly = false;
    for (const auto& p : a.points) {
        const int where = locate(p, b.points);
        if (where < 0) return false;
        strictly = strictly || where > 0;
    }
    if (strictly) return true;
    Point c{0, 0};
    for (const auto& p : a.points) c = {c.x + p.x, c.y + p.y};
    const auto n = static_cast<double>(a.points.size());
    return locate({c.x / n, c.y / n}, b.points) > 0;
}

class Reader {
  public:
    Reader(std::string path, GuotuReadOptions options)
        : path_(std::move(path)), options_(std::move(options)) {}

    VectorLayer read() {
        load();
        parse();
        if (parcels_.empty())
            throw InputError(path_ + ": [地块坐标] holds no parcel (a line ending in ',@')");
        if (!unclosedLines_.empty()) notes_.push_back(closedRingsNote());
        buildGeometries();
        crs_ = guotu::decideCrs(path_, options_, header_, parcels_, geometries_, notes_);
        compareAreas();
        return assemble();
    }

  private:
    [[nodiscard]] InputError at(std::size_t line, const std::string& what) const {
        return InputError(path_ + ":" + std::to_string(line) + ": " + what);
    }

    // The words of the one warning for the rings closed here (Chinese first, English beside).
    [[nodiscard]] std::string closedRingsNote() const {
        const std::string n = std::to_string(unclosedLines_.size());
        std::string lines;
        for (std::size_t i = 0; i < unclosedLines_.size() && i < 5; ++i)
            lines += (i ? ", " : "") + std::to_string(unclosedLines_[i]);
        if (unclosedLines_.size() > 5) lines += ", …";
        const bool one = unclosedLines_.size() == 1;
        return n + " 个圈未闭合，已自动闭合 / " + n +
               (one ? " ring was not closed and was closed"
                    : " rings were not closed and were closed") +
               " (last point on line " + lines + ")";
    }

    // Line by line, never the whole file at once: a NUL byte (a binary file, a disk image
    // renamed .txt) stops the read at its line. UTF-8 when every line is; otherwise GBK,
    // decoded line by line so that a line neither can read is named.
    void load() {
        std::error_code ec;
        if (!fs::is_regular_file(path_, ec))
            throw InputError(path_ + ": not a regular file (missing, a folder or a device)");
        const auto size = fs::file_size(path_, ec);
        if (!ec && size > kMaxFileBytes)
            throw InputError(path_ + ": over " + std::to_string(kMaxFileBytes >> 20) +
                             " MB; not a 国土 TXT boundary-point file (split it by parcel)");
        std::ifstream in(path_, std::ios::binary);
        if (!in) throw InputError(path_ + ": cannot be read");
        // First a pass in blocks for a NUL byte: a binary tail holds no line end, and reading
        // it as one line would take all of it into memory before looking.
        {
            char block[1 << 16];
            std::size_t lineNo = 1;
            while (in.read(block, sizeof block), in.gcount() > 0) {
                const auto n = static_cast<std::size_t>(in.gcount());
                const char* nul = static_cast<const char*>(std::memchr(block, '\0', n));
                const char* end = nul ? nul : block + n;
                lineNo += static_cast<std::size_t>(
                    std::count(static_cast<const char*>(block), end, '\n'));
                if (nul) throw at(lineNo, "holds a NUL byte (binary data, not a text file)");
                // Before any line is stored: 10⁷ lines take gigabytes as strings.
                limits::checkLinesPerPointFile(lineNo, [&] { return path_; });
            }
            in.clear();
            in.seekg(0);
        }
        std::vector<std::pair<std::size_t, std::string>> raws;
        std::size_t firstNotUtf8 = 0;  // its line number; 0: every line is UTF-8
        std::size_t number = 1, total = 0;
        for (std::string raw; std::getline(in, raw); ++number) {
            total += raw.size() + 1;
            if (total > kMaxFileBytes)  // grew while being read
                throw at(number, "the file is over " + std::to_string(kMaxFileBytes >> 20) +
                                     " MB; not a 国土 TXT boundary-point file");
            if (number == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw.erase(0, 3);
            if (raw.find('\0') != std::string::npos)
                throw at(number, "holds a NUL byte (binary data, not a text file)");
            if (firstNotUtf8 == 0 && !isValidUtf8(raw)) firstNotUtf8 = number;
            raws.emplace_back(number, std::move(raw));
        }
        const bool utf8 = firstNotUtf8 == 0;
        if (!utf8) refuseMixedEncodings(raws, firstNotUtf8);
        encoding_ = utf8 ? "UTF-8" : "GBK";
        lines_.reserve(raws.size());
        for (auto& [n, raw] : raws) {
            if (!utf8) {
                auto text = gbkToUtf8(raw);
                if (!text) throw at(n, "text is neither UTF-8 nor GBK");
                raw = std::move(*text);
            }
            lines_.push_back({n, trim(raw)});
            std::string().swap(raw);
        }
    }

    // A GBK file's lines are all read as GBK; but a line that is Chinese in UTF-8 (and, read
    // as GBK, fails or gives rarer characters) says the file mixes encodings (a line pasted
    // from another editor). Read whole as GBK, that line would be garbled; the line to blame
    // is the first that is not UTF-8, not the UTF-8 one GBK cannot read.
    void refuseMixedEncodings(const std::vector<std::pair<std::size_t, std::string>>& raws,
                              std::size_t firstNotUtf8) const {
        for (const auto& [n, raw] : raws) {
            text::Utf8Evidence line;
            line.add(raw);
            if (line.saysUtf8(/*strict=*/true))
                throw at(firstNotUtf8, "text is not UTF-8, but line " + std::to_string(n) +
                                           " is Chinese in UTF-8: the file mixes encodings "
                                           "(GBK and UTF-8); save it in one");
        }
    }

    void parse() {
        std::string section;
        for (const auto& line : lines_) {
            const std::string& t = line.text;
            if (t.empty()) continue;
            if (t.front() == '[' && t.back() == ']') {
                section = trim(std::string_view(t).substr(1, t.size() - 2));
                if (section != "属性描述" && section != "地块坐标" && section != "扩展信息")
                    throw at(line.number, "unknown section '" + t +
                                              "' (a 国土 TXT has [属性描述], [地块坐标] and "
                                              "[扩展信息])");
                if (!seen_.insert(section).second)
                    throw at(line.number, "section " + t + " appears twice");
                continue;
            }
            if (section.empty())
                throw at(line.number, "text before the first section ([属性描述])");
            if (section == "属性描述")
                headerLine(line);
            else if (section == "地块坐标")
                coordinateLine(line);
            else
                extensions_.push_back(t);  // [扩展信息]: free text, kept as a note
        }
        if (!seen_.count("地块坐标"))
            throw InputError(path_ + ": no [地块坐标] section; is this a 国土 TXT file?");
        if (!parcels_.empty()) finishParcel();
    }

    void headerLine(const Line& line) {
        auto eq = line.text.find('=');
        if (eq == std::string::npos)
            throw at(line.number, "'" + line.text + "' is not KEY=VALUE in [属性描述]");
        const std::string key = trim(std::string_view(line.text).substr(0, eq));
        const std::string value = trim(std::string_view(line.text).substr(eq + 1));
        if (key.empty()) throw at(line.number, "a [属性描述] line without a key");
        if (header_.count(key)) throw at(line.number, key + " is given twice");
        header_[key] = {value, line.number};
    }

    void coordinateLine(const Line& line) {
        const std::string& t = line.text;
        auto fields = splitFields(t);
        const bool fullWidth = t.find("\xEF\xBC\x8C") != std::string::npos;  // '，'
        const std::string hint =
            fullWidth ? " (it has a full-width comma '，': fields are separated by ',')" : "";
        if (fields.back() == "@") {
            if (!parcels_.empty()) finishParcel();
            fields.pop_back();
            // A web exporter (ArcGIS API for JavaScript) writes no 界址点数:
            // "0.7655公顷,,地块1,面,,,,@". Read so only when the line says it twice: the first
            // field is no whole number, and 面 (记录图形属性) stands one place early.
            if (fields.size() >= 4 && !integer(fields[0]) && fields[3] == "面")
                fields.insert(fields.begin(), std::string());
            if (fields.size() < 4)
                throw at(line.number,
                         "a parcel line needs at least 界址点数,地块面积,地块编号,"
                         "地块名称 before '@'" +
                             hint);
            parcels_.push_back({line.number, std::move(fields), {}});
            return;
        }
        if (fields.size() != 4)
            throw at(line.number,
                     "expected a point '点号,圈号,X,Y' or a parcel line ending in ',@', found " +
                         std::to_string(fields.size()) + " field(s)" + hint);
        if (parcels_.empty()) throw at(line.number, "a point before the first parcel line (…,@)");
        if (fields[0].empty()) throw at(line.number, "the point has no 点号");
        const auto ring = integer(fields[1]);
        if (!ring || *ring < 1)
            throw at(line.number, "圈号 '" + fields[1] + "' is not a whole number from 1");
        const auto x = number(fields[2]);
        const auto y = number(fields[3]);
        if (!x) throw at(line.number, "X '" + fields[2] + "' is not a number");
        if (!y) throw at(line.number, "Y '" + fields[3] + "' is not a number");
        // Gauss-Kruger in China: northings of 0–10 000 km, eastings below zone 60's prefix.
        if (*x <= 0 || *x >= kMaxNorthing)
            throw at(line.number, "X " + fields[2] + " is no Gauss-Kruger northing in China");
        if (*y <= 0 || *y >= kMaxEasting)
            throw at(line.number, "Y " + fields[3] + " is no Gauss-Kruger easting");
        parcels_.back().points.push_back({line.number, *ring, *x, *y});
        const auto here = [&] { return path_ + ":" + std::to_string(line.number); };
        limits::checkPointsPerParcel(parcels_.back().points.size(), here);
        limits::checkPointsPerFile(++points_, here);
    }

    // Splits the parcel's points into rings and checks the count. A ring ends where its 圈号
    // changes or where a point repeats its first (producers that number every ring 1 close
    // each); a 圈号 that comes back after another ring starts a new ring (an ArcGIS Engine
    // exporter writes each part's holes, 圈号 2…, before its shell, 圈号 1, part after part).
    // A ring whose last point does not repeat its first is closed here, as every exporter that
    // leaves the repeat out (loops to PointCount - 1) means, and counted for one warning.
    void finishParcel() {
        Parcel& p = parcels_.back();
        if (p.points.empty()) throw at(p.line, "the parcel has no points");
        struct Run {
            std::vector<const PointLine*> points;  // with the closing repeat, if written
            bool closed = false;
        };
        std::vector<Run> runs;
        for (const auto& pt : p.points) {
            if (runs.empty() || runs.back().closed || pt.ring != runs.back().points.front()->ring) {
                runs.emplace_back();
                limits::checkRingsPerParcel(runs.size(),
                                            [&] { return path_ + ":" + std::to_string(pt.line); });
            }
            Run& run = runs.back();
            run.closed = !run.points.empty() && pt.northing == run.points.front()->northing &&
                         pt.easting == run.points.front()->easting;
            run.points.push_back(&pt);
        }
        std::size_t corners = 0;
        const PointLine* firstOpen = nullptr;  // the last line of the first unclosed ring
        for (const auto& run : runs) {
            corners += run.points.size() - (run.closed ? 1 : 0);
            if (!run.closed && !firstOpen) firstOpen = run.points.back();
        }
        checkPointCount(p, runs.size(), corners, firstOpen);
        std::vector<Ring> out;
        for (const auto& run : runs) {
            const PointLine& first = *run.points.front();
            const PointLine& last = *run.points.back();
            Ring ring;
            ring.firstLine = first.line;
            for (std::size_t i = 0; i + (run.closed ? 1 : 0) < run.points.size(); ++i)
                ring.points.push_back({run.points[i]->easting, run.points[i]->northing});
            // Ambiguous: with fewer than 3 distinct corners a ring holds no area, and whether a
            // line was lost or a stray one added cannot be told from the file.
            if (distinct(ring.points) < 3)
                throw at(last.line, "圈号 " + std::to_string(first.ring) + " (from line " +
                                        std::to_string(first.line) + ") has " +
                                        std::to_string(distinct(ring.points)) +
                                        " distinct point(s); a ring needs at least 3 corners");
            ring.area = std::abs(guotu::signedArea(ring.points));
            // Ambiguous: corners on one line enclose nothing; which corner is wrong is unknown.
            if (ring.area == 0)
                throw at(first.line, "圈号 " + std::to_string(first.ring) + " encloses no area");
            if (!run.closed) unclosedLines_.push_back(last.line);
            out.push_back(std::move(ring));
        }
        rings_.push_back(std::move(out));
    }

    static std::size_t distinct(std::vector<Point> points) {
        std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) {
            return a.x != b.x ? a.x < b.x : a.y < b.y;
        });
        return static_cast<std::size_t>(
            std::unique(points.begin(), points.end(),
                        [](const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }) -
            points.begin());
    }

    // 界址点数 counts the point lines, or the corners without closing repeats, or the corners
    // with one repeat a ring (what an exporter that leaves the repeat out still counts); a web
    // exporter writes none. Any other count is ambiguous: a point line lost or added.
    void checkPointCount(const Parcel& p, std::size_t rings, std::size_t corners,
                         const PointLine* firstOpen) const {
        if (p.fields[0].empty()) return;
        const auto declared = integer(p.fields[0]);
        if (!declared || *declared < 1)
            throw at(p.line, "界址点数 '" + p.fields[0] + "' is not a whole number from 1");
        const auto n = static_cast<std::size_t>(*declared);
        if (n == p.points.size() || n == corners || n == corners + rings) return;
        // The count fits if an unclosed ring's last point were its closing repeat: mistyped.
        if (firstOpen && (n + 1 == corners || n + 1 == corners + rings))
            throw at(firstOpen->line, "圈号 " + std::to_string(firstOpen->ring) +
                                          " does not end on its first point, and 界址点数 (line " +
                                          std::to_string(p.line) + ") counts " + p.fields[0] +
                                          " points as if this line repeated it: a mistyped "
                                          "closing point?");
        throw at(p.line, "界址点数 says " + p.fields[0] + " points, but the parcel has " +
                             std::to_string(p.points.size()) + " point lines (" +
                             std::to_string(corners) + " corners in " + std::to_string(rings) +
                             " ring(s))");
    }

    // 圈号 2+ means a hole to some producers and another part to others: decided here by
    // where the ring lies. Even depth = exterior of a part, odd = hole of its parent.
    void buildGeometries() {
        for (auto& rings : rings_) {
            for (std::size_t i = 0; i < rings.size(); ++i)
                for (std::size_t j = 0; j < rings.size(); ++j) {
                    if (i == j || !inside(rings[i], rings[j])) continue;
                    ++rings[i].depth;
                    if (rings[i].parent < 0 ||
                        rings[j].area < rings[static_cast<std::size_t>(rings[i].parent)].area)
                        rings[i].parent = static_cast<int>(j);
                }
            std::vector<Geometry> parts;
            for (std::size_t i = 0; i < rings.size(); ++i) {
                if (rings[i].depth % 2 != 0) continue;
                std::vector<std::vector<Point>> polygon{rings[i].points};
                for (const auto& r : rings)
                    if (r.depth % 2 != 0 && r.parent == static_cast<int>(i))
                        polygon.push_back(r.points);
                parts.push_back(Geometry::polygon(polygon));
            }
            geometries_.push_back(parts.size() == 1 ? parts.front() : Geometry::collect(parts));
            double area = 0;
            for (const auto& r : rings) area += r.depth % 2 == 0 ? r.area : -r.area;
            planarAreas_.push_back(area);
        }
    }

    [[nodiscard]] const HeaderValue* headerValue(const std::string& key) const {
        const auto it = header_.find(key);
        return it == header_.end() || it->second.value.empty() ? nullptr : &it->second;
    }

    // The declared 地块面积 against the planar area of the file's own coordinates (what
    // 坐标解析法 gives; onemap writes that) and, for producers who declare it, the
    // ellipsoidal one. Only a value far from both is reported.
    void compareAreas() {
        double precision = 0;  // 精度: coordinate precision, in m or as a number of decimals
        if (const auto* v = headerValue("精度")) {
            if (const auto p = number(v->value); p && *p > 0)
                precision = *p >= 1 && std::floor(*p) == *p ? std::pow(10.0, -*p) : *p;
        }
        std::optional<EllipsoidalMeasure> measure;
        if (crs_.isKnown() && crs_.isProjected()) measure.emplace(crs_);
        for (std::size_t i = 0; i < parcels_.size(); ++i) {
            const Parcel& p = parcels_[i];
            const std::string text = withoutUnit(p.fields[1]);
            if (text.empty()) continue;
            const auto ha = number(text);
            if (!ha || *ha < 0)
                throw at(p.line, "地块面积 '" + text + "' is not an area in hectares");
            declared_.push_back({i, *ha});
            const double declared = *ha * kSquareMetresPerHectare;
            const double planar = planarAreas_[i];
            double perimeter = 0;
            for (const auto& r : rings_[i])
                for (std::size_t j = 0; j < r.points.size(); ++j) {
                    const Point& a = r.points[j];
                    const Point& b = r.points[(j + 1) % r.points.size()];
                    perimeter += std::hypot(b.x - a.x, b.y - a.y);
                }
            const double tolerance =
                std::max({kAreaTolerance * planar,
                          0.5 * std::pow(10.0, -decimalsOf(text)) * kSquareMetresPerHectare,
                          precision * perimeter});
            if (std::abs(declared - planar) <= tolerance) continue;
            std::optional<double> ellipsoidal;
            try {
                if (measure) ellipsoidal = measure->area(geometries_[i]);
            } catch (const Error&) {  // an invalid parcel: SiteSet repairs and says so
            }
            if (ellipsoidal && std::abs(declared - *ellipsoidal) <= tolerance) continue;
            const double apart = 100.0 * std::abs(declared - planar) / std::max(planar, 1e-9);
            notes_.push_back("地块面积 of feature " + std::to_string(i + 1) + " (地块编号 '" +
                             p.fields[2] + "', line " + std::to_string(p.line) + ") is " + text +
                             " ha, but its coordinates give " + formatFixed(toHectares(planar), 4) +
                             " ha on the Gauss-Kruger plane" +
                             (ellipsoidal ? " (" + formatFixed(toHectares(*ellipsoidal), 4) +
                                                " ha on the ellipsoid)"
                                          : std::string()) +
                             ", " + formatFixed(apart, 2) +
                             " % apart: check the X/Y order, the zone and the area unit");
        }
    }

    VectorLayer assemble() {
        VectorLayer layer;
        layer.name = fs::path(path_).stem().string();
        layer.crs = crs_;
        layer.encoding = encoding_;
        std::size_t width = 8;
        for (const auto& p : parcels_) width = std::max(width, p.fields.size());
        layer.fields = {{"id", FieldType::String},       {"name", FieldType::String},
                        {"地块面积", FieldType::Real},   {"图幅号", FieldType::String},
                        {"地块用途", FieldType::String}, {"地类编码", FieldType::String}};
        for (std::size_t c = 8; c < width; ++c)
            layer.fields.push_back({"字段" + std::to_string(c + 1), FieldType::String});
        bool multi = false;
        std::map<std::size_t, double> declared(declared_.begin(), declared_.end());
        for (std::size_t i = 0; i < parcels_.size(); ++i) {
            const Parcel& p = parcels_[i];
            const auto field = [&](std::size_t c) {
                return c < p.fields.size() ? p.fields[c] : std::string();
            };
            if (const std::string kind = field(4); !kind.empty() && kind != "面")
                throw at(p.line, "记录图形属性 '" + kind +
                                     "': onemap reads parcels (面) only, not lines or points");
            Feature f;
            f.fid = static_cast<std::int64_t>(i + 1);
            f.values = {field(2), field(3)};
            const auto d = declared.find(i);
            f.values.push_back(d == declared.end() ? Value{} : Value{d->second});
            for (std::size_t c = 5; c < width; ++c) {
                const std::string v = field(c);
                f.values.push_back(v.empty() ? Value{} : Value{v});
            }
            f.geometry = geometries_[i];
            multi = multi || f.geometry.typeName() == "MultiPolygon";
            layer.features.push_back(std::move(f));
        }
        layer.geometryType = multi ? "MultiPolygon" : "Polygon";
        layer.notes = notes_;
        if (encoding_ == "GBK") layer.notes.push_back("text read as GBK");
        if (!extensions_.empty())
            layer.notes.push_back("[扩展信息] has " + std::to_string(extensions_.size()) +
                                  " line(s), not read");
        return layer;
    }

    std::string path_;
    GuotuReadOptions options_;
    std::string encoding_;
    std::vector<Line> lines_;
    std::set<std::string> seen_;
    guotu::Header header_;
    std::vector<Parcel> parcels_;
    std::uint64_t points_ = 0;  // point lines so far
    std::vector<std::vector<Ring>> rings_;
    std::vector<Geometry> geometries_;
    std::vector<double> planarAreas_;
    std::vector<std::pair<std::size_t, double>> declared_;
    std::vector<std::string> extensions_;
    std::vector<std::size_t> unclosedLines_;  // the last line of each ring closed here
    std::vector<std::string> notes_;
    Crs crs_;
};

}  // namespace

VectorLayer readGuotuTxt(const std::string& path, const GuotuReadOptions& options) {
    return Reader(path, options).read();
}

bool looksLikeGuotuTxt(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::error_code ec;
    if (ext != ".txt" || !fs::is_regular_file(path, ec)) return false;
    std::ifstream in(path, std::ios::binary);
    std::string head(64 * 1024, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return guotu::holdsSectionMarker(head);
}

}  // namespace onemap::gis
