#include "onemap/gis/crs.hpp"

#include <cctype>
#include <cmath>
#include <map>
#include <regex>

#include "handles.hpp"
#include "onemap/gis/error.hpp"

namespace onemap::gis {
namespace {

using detail::proj;

PJ* pjOf(const Crs& c) { return static_cast<PJ*>(const_cast<void*>(c.handle())); }

std::shared_ptr<void> share(PJ* p) {
    return std::shared_ptr<void>(p, [](void* q) { proj_destroy(static_cast<PJ*>(q)); });
}

}  // namespace

namespace {

std::string lowerAscii(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Chinese and common names a planner writes, documented in docs/data-io.md.
const std::map<std::string, std::string>& crsAliases() {
    static const std::map<std::string, std::string> aliases = {
        {"cgcs2000", "EPSG:4490"}, {"2000国家大地坐标系", "EPSG:4490"},
        {"国家2000", "EPSG:4490"}, {"wgs84", "EPSG:4326"},
        {"wgs 84", "EPSG:4326"},   {"wgs-84", "EPSG:4326"}};
    return aliases;
}

// Forms that name a CRS exactly: an authority code, WKT, a PROJ string or PROJJSON. Anything
// else goes to PROJ's name lookup, which matches loosely ("lol" finds a US State Plane CRS in
// feet), so it is accepted only when the CRS found carries exactly the name given.
bool isExactForm(const std::string& t) {
    static const std::regex code(
        R"(^\s*(urn:ogc:def:crs:\S+|[A-Za-z][A-Za-z0-9_]*:[A-Za-z0-9_.]+)\s*$)");
    static const std::regex wkt(R"(^\s*[A-Za-z_]+\s*\[)");
    const auto first = t.find_first_not_of(" \t\r\n");
    return std::regex_match(t, code) || std::regex_search(t, wkt) ||
           t.find("+proj=") != std::string::npos || t.rfind("proj=", 0) == 0 ||
           (first != std::string::npos && t[first] == '{');
}

}  // namespace

Crs Crs::fromUserInput(const std::string& given) {
    const auto alias = crsAliases().find(lowerAscii(given));
    const std::string text = alias != crsAliases().end() ? alias->second : given;
    PJ* p = proj_create(proj(), text.c_str());
    if (p && !isExactForm(text)) {
        const char* found = proj_get_name(p);
        if (!found || lowerAscii(found) != lowerAscii(text)) {
            const std::string guess = found ? found : "";
            proj_destroy(p);
            throw InputError("unknown CRS '" + text.substr(0, 80) +
                             "': give an authority code such as EPSG:4549, WKT or a PROJ string" +
                             (guess.empty() ? "" : " (PROJ would guess '" + guess + "')"));
        }
    }
    if (!p) {
        const int err = proj_context_errno(proj());
        throw InputError("unknown CRS '" + text.substr(0, 80) +
                         "': " + proj_context_errno_string(proj(), err));
    }
    const auto type = proj_get_type(p);
    if (type == PJ_TYPE_BOUND_CRS) {  // a +towgs84 wrapper: keep the CRS itself
        PJ* base = proj_get_source_crs(proj(), p);
        proj_destroy(p);
        p = base;
    } else if (!proj_is_crs(p)) {
        proj_destroy(p);
        throw InputError("'" + text.substr(0, 80) + "' is not a coordinate reference system" +
                         (text.find("+proj=") != std::string::npos ? " (add +type=crs)" : ""));
    }
    Crs c;
    c.pj_ = share(p);
    return c;
}

Crs Crs::fromEpsg(int code) { return fromUserInput("EPSG:" + std::to_string(code)); }

bool Crs::isProjected() const { return pj_ && proj_get_type(pjOf(*this)) == PJ_TYPE_PROJECTED_CRS; }

bool Crs::hasMetreUnits() const {
    if (!pj_) return false;
    PJ* cs = proj_crs_get_coordinate_system(proj(), pjOf(*this));
    if (!cs) return false;
    bool metres = proj_cs_get_axis_count(proj(), cs) > 0;
    for (int i = 0; metres && i < proj_cs_get_axis_count(proj(), cs); ++i) {
        double toMetre = 0;
        proj_cs_get_axis_info(proj(), cs, i, nullptr, nullptr, nullptr, &toMetre, nullptr, nullptr,
                              nullptr);
        metres = std::abs(toMetre - 1.0) < 1e-12;
    }
    proj_destroy(cs);
    return metres;
}

bool Crs::isGeographic() const {
    if (!pj_) return false;
    const auto t = proj_get_type(pjOf(*this));
    return t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
}

std::string Crs::name() const {
    if (!pj_) return "unknown";
    const char* n = proj_get_name(pjOf(*this));
    return n ? n : "unnamed";
}

std::optional<int> Crs::epsg() const {
    if (!pj_) return std::nullopt;
    const char* auth = proj_get_id_auth_name(pjOf(*this), 0);
    const char* code = proj_get_id_code(pjOf(*this), 0);
    if (auth && code && std::string(auth) == "EPSG") return std::stoi(code);
    // No identifier (e.g. an ESRI .prj): ask PROJ which EPSG CRS it matches.
    int* confidence = nullptr;
    PJ_OBJ_LIST* matches = proj_identify(proj(), pjOf(*this), "EPSG", nullptr, &confidence);
    std::optional<int> best;
    if (matches) {
        int bestConfidence = 0;
        for (int i = 0; i < proj_list_get_count(matches); ++i) {
            if (confidence[i] < 70 || confidence[i] <= bestConfidence) continue;
            PJ* m = proj_list_get(proj(), matches, i);
            const char* c = proj_get_id_code(m, 0);
            if (c) {
                best = std::stoi(c);
                bestConfidence = confidence[i];
            }
            proj_destroy(m);
        }
        proj_list_destroy(matches);
        proj_int_list_destroy(confidence);
    }
    return best;
}

std::string Crs::wkt() const {
    if (!pj_) return "";
    const char* w = proj_as_wkt(proj(), pjOf(*this), PJ_WKT2_2019, nullptr);
    return w ? w : "";
}

std::string Crs::wkt1Esri() const {
    if (!pj_) return "";
    const char* w = proj_as_wkt(proj(), pjOf(*this), PJ_WKT1_ESRI, nullptr);
    return w ? w : "";
}

std::string Crs::label() const {
    if (!pj_) return "unknown";
    if (auto code = epsg()) return "EPSG:" + std::to_string(*code);
    return name();
}

Envelope Crs::areaOfUse() const {
    Envelope e;
    if (!pj_) return e;
    double w = 0, s = 0, east = 0, n = 0;
    if (proj_get_area_of_use(proj(), pjOf(*this), &w, &s, &east, &n, nullptr) && w > -1000) {
        e.expand(w, s);
        e.expand(east, n);
    }
    return e;
}

Crs Crs::geographic() const {
    if (!pj_) throw Error("unknown CRS has no geographic CRS");
    PJ* g = proj_crs_get_geodetic_crs(proj(), pjOf(*this));
    if (!g) throw Error("CRS " + label() + " has no geodetic CRS");
    Crs c;
    c.pj_ = share(g);
    return c;
}

bool Crs::isEquivalentTo(const Crs& other) const {
    if (!pj_ || !other.pj_) return !pj_ && !other.pj_;
    return proj_is_equivalent_to(pjOf(*this), pjOf(other),
                                 PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) == 1;
}

struct CoordinateTransform::Impl {
    detail::PjPtr pj;
};

CoordinateTransform::CoordinateTransform(const Crs& from, const Crs& to)
    : impl_(std::make_unique<Impl>()) {
    if (!from.isKnown() || !to.isKnown()) throw InputError("cannot transform: CRS unknown");
    identity_ = from.isEquivalentTo(to);
    if (identity_) return;
    PJ* op = proj_create_crs_to_crs_from_pj(proj(), pjOf(from), pjOf(to), nullptr, nullptr);
    if (!op) throw InputError("no transformation from " + from.label() + " to " + to.label());
    PJ* norm = proj_normalize_for_visualization(proj(), op);
    proj_destroy(op);
    if (!norm) throw Error("cannot normalise axis order for " + from.label() + " → " + to.label());
    impl_->pj.reset(norm);
}
CoordinateTransform::~CoordinateTransform() = default;
CoordinateTransform::CoordinateTransform(CoordinateTransform&&) noexcept = default;
CoordinateTransform& CoordinateTransform::operator=(CoordinateTransform&&) noexcept = default;

void CoordinateTransform::apply(double& x, double& y) const {
    if (identity_) return;
    PJ_COORD c = proj_coord(x, y, 0, 0);
    c = proj_trans(impl_->pj.get(), PJ_FWD, c);
    if (c.xy.x == HUGE_VAL || !std::isfinite(c.xy.x)) {
        throw InputError("coordinate (" + std::to_string(x) + ", " + std::to_string(y) +
                         ") cannot be transformed (outside the CRS's domain?)");
    }
    x = c.xy.x;
    y = c.xy.y;
}

Point CoordinateTransform::apply(Point p) const {
    apply(p.x, p.y);
    return p;
}

Geometry CoordinateTransform::apply(const Geometry& g) const {
    if (identity_) return g;
    return g.mapCoordinates([this](double& x, double& y) { apply(x, y); });
}

Envelope CoordinateTransform::apply(const Envelope& e) const {
    if (identity_ || e.isEmpty()) return e;
    Envelope out;
    constexpr int kSteps = 20;  // densify the edges: straight lines bend under projection
    for (int i = 0; i <= kSteps; ++i) {
        const double t = static_cast<double>(i) / kSteps;
        const double x = e.minx + t * e.width();
        const double y = e.miny + t * e.height();
        for (Point p : {Point{x, e.miny}, Point{x, e.maxy}, Point{e.minx, y}, Point{e.maxx, y}}) {
            p = apply(p);
            out.expand(p.x, p.y);
        }
    }
    return out;
}

}  // namespace onemap::gis
