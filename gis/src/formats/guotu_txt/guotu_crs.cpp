// Deciding the CRS of a 国土 TXT and shifting 1980西安 / 1954北京 coordinates to CGCS2000
// (see onemap/gis/formats/guotu_txt/guotu_txt.hpp and docs/data-io.md).
#include "formats/guotu_txt/guotu_crs.hpp"

#include <proj.h>

#include <cmath>
#include <locale>
#include <optional>
#include <sstream>

#include "base/handles.hpp"
#include "formats/guotu_txt/guotu_common.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::gis::guotu {
namespace {

// Eastings at or above this carry the zone number in front (40 500 000).
constexpr double kPrefixedEasting = 1e6;

class CrsDecider {
  public:
    CrsDecider(const std::string& path, const GuotuReadOptions& options, const Header& header,
               const std::vector<Parcel>& parcels, std::vector<std::string>& notes)
        : path_(path), options_(options), header_(header), parcels_(parcels), notes_(notes) {}

    Crs run(std::vector<Geometry>& geometries) {
        decideCrs();
        transformDatum(geometries);
        return crs_;
    }

  private:
    [[nodiscard]] InputError at(std::size_t line, const std::string& what) const {
        return InputError(path_ + ":" + std::to_string(line) + ": " + what);
    }

    [[nodiscard]] const HeaderValue* headerValue(const std::string& key) const {
        const auto it = header_.find(key);
        return it == header_.end() || it->second.value.empty() ? nullptr : &it->second;
    }
    [[nodiscard]] std::size_t headerLineOf(const std::string& key) const {
        const auto it = header_.find(key);
        return it == header_.end() ? 0 : it->second.line;
    }

    // 几度分带=3, or as an ArcGIS Engine exporter writes it, 分带=3度带 (分带=3, 分带=6度带).
    // Both given and disagreeing is ambiguous, so refused.
    std::optional<int> zoneWidth() {
        std::optional<int> width;
        for (const char* key : {"几度分带", "分带"}) {
            const auto* v = headerValue(key);
            if (!v) continue;
            std::string text = v->value;
            for (const std::string unit : {"度带", "度"})
                if (text.size() > unit.size() &&
                    text.compare(text.size() - unit.size(), unit.size(), unit) == 0) {
                    text = trim(std::string_view(text).substr(0, text.size() - unit.size()));
                    break;
                }
            const auto w = integer(text);
            if (!w || (*w != 3 && *w != 6))
                throw at(v->line, std::string(key) + " '" + v->value + "' must be 3 or 6");
            if (width && *width != *w)
                throw at(v->line, "分带 '" + v->value + "' disagrees with 几度分带 (line " +
                                      std::to_string(widthLine_) + ")");
            if (!width) widthLine_ = v->line;
            width = static_cast<int>(*w);
        }
        return width;
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
        std::optional<int> width = zoneWidth();
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
            throw at(prefixed ? widthLine_ : headerLineOf("带号"),
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

    void transformDatum(std::vector<Geometry>& geometries_) const {
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

    const std::string& path_;
    const GuotuReadOptions& options_;
    const Header& header_;
    const std::vector<Parcel>& parcels_;
    std::vector<std::string>& notes_;
    Zone zone_;
    std::size_t widthLine_ = 0;  // the line of 几度分带 (or 分带)
    Crs crs_;
    std::string pipeline_;
};

}  // namespace

Crs decideCrs(const std::string& path, const GuotuReadOptions& options, const Header& header,
              const std::vector<Parcel>& parcels, std::vector<Geometry>& geometries,
              std::vector<std::string>& notes) {
    return CrsDecider(path, options, header, parcels, notes).run(geometries);
}

}  // namespace onemap::gis::guotu
