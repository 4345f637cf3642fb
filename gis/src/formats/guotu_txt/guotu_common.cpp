#include "formats/guotu_txt/guotu_common.hpp"

#include "onemap/gis/text/text_encoding.hpp"

namespace onemap::gis::guotu {
namespace {

// First code of each run of EPSG codes: zones 25–45 (3°) or 13–23 (6°), in zone order.
struct Run {
    Datum datum;
    int width;
    bool prefixed;
    int first;
};
// Checked against PROJ's database (projinfo EPSG:N: lon_0, x_0, ellps) in test_guotu_txt.
constexpr Run kRuns[] = {
    {Datum::Cgcs2000, 3, true, 4513},     {Datum::Cgcs2000, 3, false, 4534},
    {Datum::Cgcs2000, 6, true, 4491},     {Datum::Cgcs2000, 6, false, 4502},
    {Datum::Xian1980, 3, true, 2349},     {Datum::Xian1980, 3, false, 2370},
    {Datum::Xian1980, 6, true, 2327},     {Datum::Xian1980, 6, false, 2338},
    {Datum::Beijing1954, 3, true, 2401},  {Datum::Beijing1954, 3, false, 2422},
    {Datum::Beijing1954, 6, true, 21413}, {Datum::Beijing1954, 6, false, 21453},
};

int firstZone(int width) { return width == 3 ? 25 : 13; }
int lastZone(int width) { return width == 3 ? 45 : 23; }

}  // namespace

bool zoneInRange(int width, int number) {
    return (width == 3 || width == 6) && number >= firstZone(width) && number <= lastZone(width);
}

std::optional<int> epsgOf(const Zone& zone) {
    if (!zoneInRange(zone.width, zone.number)) return std::nullopt;
    for (const auto& r : kRuns)
        if (r.datum == zone.datum && r.width == zone.width && r.prefixed == zone.prefixed)
            return r.first + zone.number - firstZone(zone.width);
    return std::nullopt;
}

std::optional<Zone> zoneOfEpsg(int code) {
    for (const auto& r : kRuns) {
        const int n = code - r.first + firstZone(r.width);
        if (n >= firstZone(r.width) && n <= lastZone(r.width))
            return Zone{r.datum, r.width, n, r.prefixed};
    }
    return std::nullopt;
}

double centralMeridian(const Zone& zone) {
    return zone.width == 3 ? 3.0 * zone.number : 6.0 * zone.number - 3.0;
}

double falseEasting(const Zone& zone) {
    return 500000.0 + (zone.prefixed ? zone.number * 1e6 : 0.0);
}

const char* headerName(Datum datum) {
    switch (datum) {
        case Datum::Xian1980:
            return "1980西安坐标系";
        case Datum::Beijing1954:
            return "1954北京坐标系";
        case Datum::Cgcs2000:
            break;
    }
    return "2000国家大地坐标系";
}

const char* englishName(Datum datum) {
    switch (datum) {
        case Datum::Xian1980:
            return "Xi'an 1980";
        case Datum::Beijing1954:
            return "Beijing 1954";
        case Datum::Cgcs2000:
            break;
    }
    return "CGCS2000";
}

const char* ellipsoid(Datum datum) {
    switch (datum) {
        case Datum::Xian1980:
            return "IAU76";
        case Datum::Beijing1954:
            return "krass";
        case Datum::Cgcs2000:
            break;
    }
    return "GRS80";
}

bool holdsSectionMarker(std::string_view bytes) {
    for (const char* marker : {"[属性描述]", "[地块坐标]"}) {
        if (bytes.find(marker) != std::string_view::npos) return true;
        const auto gbk = utf8ToGbk(marker);
        if (gbk && bytes.find(*gbk) != std::string_view::npos) return true;
    }
    return false;
}

double signedArea(const std::vector<Point>& ring) {
    double s = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const Point& a = ring[i];
        const Point& b = ring[(i + 1) % n];
        s += (a.x - ring[0].x) * (b.y - ring[0].y) - (b.x - ring[0].x) * (a.y - ring[0].y);
    }
    return s / 2;
}

}  // namespace onemap::gis::guotu
