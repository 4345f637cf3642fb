// Reading 国土 TXT boundary-point files (see onemap/gis/guotu_txt.hpp and docs/data-io.md).
#include <proj.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "base/declared_encoding.hpp"
#include "base/handles.hpp"
#include "formats/guotu_txt/guotu_common.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"
#include "onemap/gis/base/text_encoding.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/formats/guotu_txt/guotu_txt.hpp"

namespace onemap::gis {
namespace {

namespace fs = std::filesystem;
using guotu::Datum;
using guotu::Zone;

// Declared and computed areas further apart than this are reported (catches swapped X/Y,
// a wrong zone, square metres or 亩 written as hectares).
constexpr double kAreaTolerance = 0.001;
// Eastings at or above this carry the zone number in front (40 500 000).
constexpr double kPrefixedEasting = 1e6;
constexpr double kMaxNorthing = 1e7;
// A land-use approval's file is kilobytes; a whole county's parcels some tens of MB.
constexpr std::uintmax_t kMaxFileBytes = 256u << 20;
constexpr double kMaxEasting = 61e6;

struct Line {
    std::size_t number = 0;
    std::string text;
};

struct PointLine {
    std::size_t line = 0;
    long ring = 0;
    double northing = 0;  // X
    double easting = 0;   // Y, as written (zone prefix included)
};

struct Parcel {
    std::size_t line = 0;
    std::vector<std::string> fields;  // without the final "@"
    std::vector<PointLine> points;
};

struct HeaderValue {
    std::string value;
    std::size_t line = 0;
};

// One ring of a parcel: its points without the closing repeat.
struct Ring {
    std::vector<Point> points;  // x = easting, y = northing
    std::size_t firstLine = 0;
    double area = 0;  // |shoelace|
    int parent = -1;  // smallest ring containing it
    int depth = 0;    // number of rings containing it
};

std::string trim(std::string_view s) {
    const auto isSpace = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    };
    std::size_t b = 0, e = s.size();
    while (b < e && isSpace(s[b])) ++b;
    while (e > b && isSpace(s[e - 1])) --e;
    // A full-width space (U+3000) is as blank as an ASCII one to the people typing these.
    std::string out(s.substr(b, e - b));
    const std::string ideo = "\xE3\x80\x80";
    while (out.rfind(ideo, 0) == 0) out.erase(0, ideo.size());
    while (out.size() >= ideo.size() &&
           out.compare(out.size() - ideo.size(), ideo.size(), ideo) == 0)
        out.erase(out.size() - ideo.size());
    return out;
}

std::vector<std::string> splitFields(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto comma = s.find(',', start);
        out.push_back(trim(std::string_view(s).substr(start, comma - start)));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::optional<double> number(const std::string& text) {
    std::string_view t = text;
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    if (t.empty()) return std::nullopt;
    double v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::optional<long> integer(const std::string& text) {
    long v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
        return std::nullopt;
    return v;
}

// Decimals written after the point ("1.2340" → 4): the rounding the producer applied.
int decimalsOf(const std::string& text) {
    const auto dot = text.find('.');
    return dot == std::string::npos ? 0 : static_cast<int>(text.size() - dot - 1);
}

std::string formatFixed(double v, int decimals) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    return std::string(buf, r.ptr);
}

double shoelace(const std::vector<Point>& ring) {
    double s = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const Point& a = ring[i];
        const Point& b = ring[(i + 1) % n];
        s += (a.x - ring[0].x) * (b.y - ring[0].y) - (b.x - ring[0].x) * (a.y - ring[0].y);
    }
    return s / 2;
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
        buildGeometries();
        decideCrs();
        transformDatum();
        compareAreas();
        return assemble();
    }

  private:
    [[nodiscard]] InputError at(std::size_t line, const std::string& what) const {
        return InputError(path_ + ":" + std::to_string(line) + ": " + what);
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

    // Splits the parcel's points into rings and checks each is closed and the count.
    void finishParcel() {
        Parcel& p = parcels_.back();
        if (p.points.empty()) throw at(p.line, "the parcel has no points");
        std::vector<std::vector<PointLine>> rings;
        std::vector<long> seenRings;
        for (const auto& pt : p.points) {
            if (rings.empty() || pt.ring != rings.back().front().ring) {
                if (std::find(seenRings.begin(), seenRings.end(), pt.ring) != seenRings.end())
                    throw at(pt.line, "圈号 " + std::to_string(pt.ring) +
                                          " comes back after another ring; a ring's points "
                                          "must follow each other");
                seenRings.push_back(pt.ring);
                rings.emplace_back();
                limits::checkRingsPerParcel(rings.size(),
                                            [&] { return path_ + ":" + std::to_string(pt.line); });
            }
            rings.back().push_back(pt);
        }
        const auto declared = integer(p.fields[0]);
        if (!declared || *declared < 1)
            throw at(p.line, "界址点数 '" + p.fields[0] + "' is not a whole number from 1");
        const auto lines = static_cast<long>(p.points.size());
        const auto corners = lines - static_cast<long>(rings.size());
        // Producers count the closing repeats or leave them out; both are accepted.
        if (*declared != lines && *declared != corners)
            throw at(p.line, "界址点数 says " + p.fields[0] + " points, but the parcel has " +
                                 std::to_string(lines) + " point lines (" +
                                 std::to_string(corners) + " without the closing repeats)");
        std::vector<Ring> out;
        for (const auto& r : rings) {
            const PointLine& first = r.front();
            const PointLine& last = r.back();
            if (r.size() < 4)
                throw at(last.line, "圈号 " + std::to_string(first.ring) + " has " +
                                        std::to_string(r.size()) +
                                        " point(s); a ring needs 3 corners and the repeat of "
                                        "its first point");
            if (first.northing != last.northing || first.easting != last.easting)
                throw at(last.line, "圈号 " + std::to_string(first.ring) +
                                        " is not closed: its last point does not repeat its "
                                        "first (line " +
                                        std::to_string(first.line) + ")");
            Ring ring;
            ring.firstLine = first.line;
            for (std::size_t i = 0; i + 1 < r.size(); ++i)
                ring.points.push_back({r[i].easting, r[i].northing});
            ring.area = std::abs(shoelace(ring.points));
            if (ring.area == 0)
                throw at(first.line, "圈号 " + std::to_string(first.ring) + " encloses no area");
            out.push_back(std::move(ring));
        }
        rings_.push_back(std::move(out));
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
    [[nodiscard]] std::size_t headerLineOf(const std::string& key) const {
        const auto it = header_.find(key);
        return it == header_.end() ? 0 : it->second.line;
    }

    // The CRS the header states, checked against the coordinates' zone prefix.
    void decideCrs() {
        std::optional<Datum> datum;
        if (const auto* v = headerValue("坐标系")) {
            const std::string& s = v->value;
            const auto has = [&](const char* w) { return s.find(w) != std::string::npos; };
            if (has("2000") || has("CGCS") || has("cgcs"))
                datum = Datum::Cgcs2000;
            else if (has("西安") || has("1980") || has("Xian") || has("XIAN") || has("Xi'an"))
                datum = Datum::Xian1980;
            else if (has("北京") || has("1954") || has("Beijing") || has("BEIJING"))
                datum = Datum::Beijing1954;
            else
                throw at(v->line, "坐标系 '" + s +
                                      "' is none onemap knows (2000国家大地坐标系, "
                                      "1980西安坐标系, 1954北京坐标系)");
        }
        if (const auto* v = headerValue("投影类型");
            v && v->value.find("高斯") == std::string::npos)
            throw at(v->line, "投影类型 '" + v->value + "': onemap reads only 高斯克吕格");
        if (const auto* v = headerValue("计量单位");
            v && v->value != "米" && v->value != "m" && v->value != "M")
            throw at(v->line, "计量单位 '" + v->value + "': onemap reads only 米 (metres)");
        std::optional<int> width;
        if (const auto* v = headerValue("几度分带")) {
            const auto w = integer(v->value);
            if (!w || (*w != 3 && *w != 6))
                throw at(v->line, "几度分带 '" + v->value + "' must be 3 or 6");
            width = static_cast<int>(*w);
        }
        std::optional<int> stated;
        if (const auto* v = headerValue("带号")) {
            const auto z = integer(v->value);
            if (!z || *z < 1 || *z > 60) throw at(v->line, "带号 '" + v->value + "' is no zone");
            stated = static_cast<int>(*z);
        }
        // Zone prefix: every easting has one, or none has.
        const PointLine* first = &parcels_.front().points.front();
        const bool prefixed = first->easting >= kPrefixedEasting;
        const int prefix = static_cast<int>(std::floor(first->easting / kPrefixedEasting));
        for (const auto& p : parcels_)
            for (const auto& pt : p.points) {
                const bool has = pt.easting >= kPrefixedEasting;
                if (has != prefixed)
                    throw at(pt.line,
                             "Y " + formatFixed(pt.easting, 3) + (has ? " has" : " has no") +
                                 " zone prefix, unlike line " + std::to_string(first->line) +
                                 "; all eastings must agree");
                if (has && static_cast<int>(std::floor(pt.easting / kPrefixedEasting)) != prefix)
                    throw at(pt.line, "Y " + formatFixed(pt.easting, 3) + " is in zone " +
                                          std::to_string(static_cast<int>(
                                              std::floor(pt.easting / kPrefixedEasting))) +
                                          ", line " + std::to_string(first->line) + " in zone " +
                                          std::to_string(prefix));
            }
        std::optional<int> zone = stated;
        if (prefixed) {
            if (stated && *stated != prefix)
                throw at(headerLineOf("带号"),
                         "带号 " + std::to_string(*stated) + " disagrees with the zone prefix " +
                             std::to_string(prefix) + " of the eastings (line " +
                             std::to_string(first->line) + ")");
            zone = prefix;
        }
        if (zone && !width) {  // the zone ranges of China do not overlap
            if (guotu::zoneInRange(3, *zone)) width = 3;
            if (guotu::zoneInRange(6, *zone)) width = 6;
            if (width)
                notes_.push_back("几度分带 is empty; zone " + std::to_string(*zone) + " is a " +
                                 std::to_string(*width) + "-degree zone");
        }
        if (zone && width && !guotu::zoneInRange(*width, *zone))
            throw at(headerLineOf(prefixed ? "几度分带" : "带号"),
                     "zone " + std::to_string(*zone) + " is no " + std::to_string(*width) +
                         "-degree Gauss-Kruger zone of China (" +
                         (*width == 3 ? "25–45" : "13–23") + ")");

        // What the user gave: a pipeline (datum shift) or a CRS.
        const std::string given = trim(options_.crs);
        const bool pipeline = given.find("proj=pipeline") != std::string::npos;
        std::optional<Crs> givenCrs;
        if (!given.empty() && !pipeline) {
            givenCrs = Crs::fromUserInput(given);
            const std::string name = givenCrs->name();
            Datum givenDatum = Datum::Cgcs2000;
            if (const auto code = givenCrs->epsg())
                if (const auto z = guotu::zoneOfEpsg(*code)) givenDatum = z->datum;
            if (name.find("Xian 1980") != std::string::npos) givenDatum = Datum::Xian1980;
            if (name.find("Beijing 1954") != std::string::npos) givenDatum = Datum::Beijing1954;
            if (givenDatum != Datum::Cgcs2000)
                throw InputError(path_ + ": --sites-crs " + given + " is " + name + "; " +
                                 ballpark(givenDatum));
        }
        if (pipeline) pipeline_ = given;

        if (!datum || !zone || !width) {
            const std::string missing = !datum  ? "坐标系"
                                        : !zone ? "带号 (and the eastings carry "
                                                  "no zone prefix)"
                                                : "几度分带";
            if (datum && *datum != Datum::Cgcs2000)
                throw InputError(path_ + ": " + missing + " is empty: the zone of the " +
                                 guotu::englishName(*datum) +
                                 " coordinates is unknown, so no datum shift can be made");
            if (pipeline)
                throw InputError(path_ +
                                 ": --sites-crs gives a pipeline, but the header states "
                                 "no 1980西安 or 1954北京 zone to shift from");
            if (givenCrs) {
                crs_ = *givenCrs;
                notes_.push_back("[属性描述] states no " + missing + "; the CRS is --sites-crs " +
                                 crs_.label());
            } else {
                notes_.push_back("[属性描述] states no " + missing + "; the CRS is unknown");
            }
            return;
        }
        zone_ = Zone{*datum, *width, *zone, prefixed};
        const auto code = guotu::epsgOf(zone_);
        if (!code) throw InputError(path_ + ": zone has no EPSG code");  // ranges checked above
        if (*datum == Datum::Cgcs2000) {
            crs_ = Crs::fromEpsg(*code);
            if (pipeline)
                throw InputError(path_ + ": the file is already in CGCS2000 (" + crs_.label() +
                                 "); --sites-crs gives a datum-shift pipeline it does not need");
            if (givenCrs && !givenCrs->isEquivalentTo(crs_))
                throw InputError(path_ + ": declares " + crs_.label() + " (" + crs_.name() +
                                 "); --sites-crs " + given +
                                 " disagrees (remove --sites-crs, or fix the file)");
            if (const auto* v = headerValue("转换参数"); v && hasParameters(v->value))
                notes_.push_back("转换参数 ignored: the coordinates are already CGCS2000");
            return;
        }
        if (givenCrs)
            throw InputError(path_ + ": the file is " + guotu::englishName(*datum) + "; " +
                             ballpark(*datum));
        const auto* params = headerValue("转换参数");
        const bool fileParams = params && hasParameters(params->value);
        if (fileParams && pipeline)
            throw at(params->line,
                     "转换参数 and --sites-crs both give the datum shift; remove one of them");
        if (!fileParams && !pipeline)
            throw at(
                params ? params->line : headerLineOf("坐标系"),
                std::string(guotu::headerName(*datum)) + " without 转换参数: " + ballpark(*datum));
        if (fileParams) pipeline_ = sevenParameterPipeline(*params);
        crs_ = Crs::fromEpsg(*guotu::epsgOf(Zone{Datum::Cgcs2000, *width, *zone, prefixed}));
    }

    static bool hasParameters(const std::string& value) {
        for (const auto& f : splitFields(value))
            if (!f.empty()) return true;
        return false;
    }

    // Short: the CLI shows 300 bytes of a message.
    static std::string ballpark(Datum datum) {
        return std::string("PROJ's only ") + guotu::englishName(datum) +
               " → CGCS2000 path is a ballpark one, off by up to ~100 m: fill 转换参数 or pass "
               "--sites-crs '+proj=pipeline …' (docs/data-io.md)";
    }

    // 转换参数 = ΔX,ΔY,ΔZ (m), εX,εY,εZ (″), m (ppm): the Bursa-Wolf model as Chinese
    // standards write it, X2 = ΔX + (1+m)(X1 + εZ·Y1 − εY·Z1) …, i.e. coordinate-frame
    // rotations, from the file's datum to CGCS2000.
    std::string sevenParameterPipeline(const HeaderValue& v) {
        const auto f = splitFields(v.value);
        if (f.size() != 7)
            throw at(v.line, "转换参数 needs 7 numbers (ΔX,ΔY,ΔZ,εX,εY,εZ,m), found " +
                                 std::to_string(f.size()) + " field(s)");
        std::vector<double> p;
        for (const auto& s : f) {
            const auto n = number(s);
            if (!n) throw at(v.line, "转换参数 '" + s + "' is not a number");
            p.push_back(*n);
        }
        notes_.push_back("datum shifted from " + std::string(guotu::englishName(zone_.datum)) +
                         " to CGCS2000 with 转换参数 (line " + std::to_string(v.line) +
                         ": Bursa-Wolf, coordinate-frame rotations)");
        return datumPipeline(p);
    }

    std::string datumPipeline(const std::vector<double>& p) const {
        const auto tmerc = [&](const char* ellps) {
            std::ostringstream s;
            s.imbue(std::locale::classic());
            s.precision(17);
            s << "+proj=tmerc +lat_0=0 +lon_0=" << guotu::centralMeridian(zone_)
              << " +k=1 +x_0=" << guotu::falseEasting(zone_) << " +y_0=0 +ellps=" << ellps;
            return s.str();
        };
        const char* from = guotu::ellipsoid(zone_.datum);
        std::ostringstream s;
        s.imbue(std::locale::classic());
        s.precision(17);
        s << "+proj=pipeline +step +inv " << tmerc(from) << " +step +proj=cart +ellps=" << from
          << " +step +proj=helmert +x=" << p[0] << " +y=" << p[1] << " +z=" << p[2]
          << " +rx=" << p[3] << " +ry=" << p[4] << " +rz=" << p[5] << " +s=" << p[6]
          << " +convention=coordinate_frame +step +inv +proj=cart +ellps=GRS80 +step "
          << tmerc("GRS80");
        return s.str();
    }

    void transformDatum() {
        if (pipeline_.empty()) return;
        detail::PjPtr op(proj_create(detail::proj(), pipeline_.c_str()));
        if (!op || proj_is_crs(op.get()))
            throw InputError(path_ + ": the datum-shift pipeline is not one PROJ can run: " +
                             pipeline_.substr(0, 120));
        if (!options_.crs.empty())
            notes_.push_back("datum shifted from " + std::string(guotu::englishName(zone_.datum)) +
                             " to CGCS2000 with the --sites-crs pipeline");
        std::size_t k = 0;
        for (auto& g : geometries_) {
            const std::size_t line = parcels_[k++].line;
            g = g.mapCoordinates([&](double& x, double& y) {
                PJ_COORD c = proj_trans(op.get(), PJ_FWD, proj_coord(x, y, 0, 0));
                if (!std::isfinite(c.xy.x) || !std::isfinite(c.xy.y) || c.xy.x == HUGE_VAL)
                    throw at(line, "the datum shift fails for the point (" + formatFixed(y, 3) +
                                       ", " + formatFixed(x, 3) + ")");
                x = c.xy.x;
                y = c.xy.y;
            });
        }
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
            const std::string& text = p.fields[1];
            if (text.empty()) continue;
            const auto ha = number(text);
            if (!ha || *ha < 0)
                throw at(p.line, "地块面积 '" + text + "' is not an area in hectares");
            declared_.push_back({i, *ha});
            const double declared = *ha * 1e4;
            const double planar = planarAreas_[i];
            double perimeter = 0;
            for (const auto& r : rings_[i])
                for (std::size_t j = 0; j < r.points.size(); ++j) {
                    const Point& a = r.points[j];
                    const Point& b = r.points[(j + 1) % r.points.size()];
                    perimeter += std::hypot(b.x - a.x, b.y - a.y);
                }
            const double tolerance =
                std::max({kAreaTolerance * planar, 0.5 * std::pow(10.0, -decimalsOf(text)) * 1e4,
                          precision * perimeter});
            if (std::abs(declared - planar) <= tolerance) continue;
            std::optional<double> ellipsoidal;
            try {
                if (measure) ellipsoidal = measure->area(geometries_[i]);
            } catch (const Error&) {  // an invalid parcel: SiteSet repairs and says so
            }
            if (ellipsoidal && std::abs(declared - *ellipsoidal) <= tolerance) continue;
            const double apart = 100.0 * std::abs(declared - planar) / std::max(planar, 1e-9);
            notes_.push_back(
                "地块面积 of feature " + std::to_string(i + 1) + " (地块编号 '" + p.fields[2] +
                "', line " + std::to_string(p.line) + ") is " + text +
                " ha, but its coordinates give " + formatFixed(planar / 1e4, 4) +
                " ha on the Gauss-Kruger plane" +
                (ellipsoidal ? " (" + formatFixed(*ellipsoidal / 1e4, 4) + " ha on the ellipsoid)"
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
    std::map<std::string, HeaderValue> header_;
    std::vector<Parcel> parcels_;
    std::uint64_t points_ = 0;  // point lines so far
    std::vector<std::vector<Ring>> rings_;
    std::vector<Geometry> geometries_;
    std::vector<double> planarAreas_;
    std::vector<std::pair<std::size_t, double>> declared_;
    std::vector<std::string> extensions_;
    std::vector<std::string> notes_;
    Zone zone_;
    Crs crs_;
    std::string pipeline_;
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
    for (const char* marker : {"[属性描述]", "[地块坐标]"}) {
        if (head.find(marker) != std::string::npos) return true;
        const auto gbk = utf8ToGbk(marker);
        if (gbk && head.find(*gbk) != std::string::npos) return true;
    }
    return false;
}

}  // namespace onemap::gis
