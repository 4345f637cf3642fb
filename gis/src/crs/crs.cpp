#include "onemap/gis/crs/crs.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <regex>

#include "base/handles.hpp"
#include "crs/crs_object.hpp"
#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::gis {

struct Crs::Facts {
    std::string definition;
    std::string name;
    std::optional<int> epsg;
    bool projected = false;
    bool geographic = false;
    double unitToMetre = 0;  // of the first axis; 0 if unknown
    std::string unitName;
    Envelope areaOfUse;
};

namespace detail {
PJ* pjOf(const Crs& c) { return c.isKnown() ? crsObject(c.definition()) : nullptr; }
}  // namespace detail

namespace {

using detail::pjOf;
using detail::PjPtr;
using detail::proj;

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// The forms of CRS text we accept as they are (see Crs::fromUserInput).
bool isDefinitionSyntax(const std::string& t) {
    static const std::regex authority(R"(^[A-Za-z][A-Za-z0-9_]*:[A-Za-z0-9_.\-]+$)");
    static const std::regex wkt(R"(^[A-Za-z][A-Za-z0-9_]*\s*[\[(])");
    const std::string l = asciiLower(t);
    return std::regex_match(t, authority) || std::regex_search(t, wkt) || t.front() == '+' ||
           t.front() == '{' || l.rfind("proj=", 0) == 0 || l.rfind("urn:ogc:def:", 0) == 0 ||
           l.rfind("http://www.opengis.net/def/", 0) == 0;
}

// Chinese and common names a planner writes (docs/data-io.md) that PROJ's database does
// not spell this way.
const char* alias(const std::string& t) {
    const std::string l = asciiLower(t);
    if (l == "cgcs2000" || l == "2000国家大地坐标系" || l == "国家2000") return "EPSG:4490";
    if (l == "wgs84" || l == "wgs 84" || l == "wgs-84") return "EPSG:4326";
    return nullptr;
}

std::string authorityId(const PJ* p) {
    const char* auth = proj_get_id_auth_name(p, 0);
    const char* code = proj_get_id_code(p, 0);
    return auth && code ? std::string(auth) + ":" + code : "";
}

std::optional<int> identifyEpsg(PJ* p) {
    const char* auth = proj_get_id_auth_name(p, 0);
    const char* code = proj_get_id_code(p, 0);
    int value = 0;
    if (auth && code && std::string(auth) == "EPSG" &&
        std::from_chars(code, code + std::strlen(code), value).ec == std::errc{})
        return value;
    // No identifier (e.g. an ESRI .prj): ask PROJ which EPSG CRS it matches.
    int* confidence = nullptr;
    PJ_OBJ_LIST* matches = proj_identify(proj(), p, "EPSG", nullptr, &confidence);
    std::optional<int> best;
    if (matches) {
        int bestConfidence = 0;
        for (int i = 0; i < proj_list_get_count(matches); ++i) {
            if (confidence[i] < 70 || confidence[i] <= bestConfidence) continue;
            PjPtr m(proj_list_get(proj(), matches, i));
            const char* c = m ? proj_get_id_code(m.get(), 0) : nullptr;
            if (c && std::from_chars(c, c + std::strlen(c), value).ec == std::errc{}) {
                best = value;
                bestConfidence = confidence[i];
            }
        }
        proj_list_destroy(matches);
        proj_int_list_destroy(confidence);
    }
    return best;
}

}  // namespace

// Builds the facts of a CRS object made on this thread; the object itself is dropped.
struct CrsAccess {
    static Crs make(PjPtr p) {
        auto f = std::make_shared<Crs::Facts>();
        const auto type = proj_get_type(p.get());
        f->projected = type == PJ_TYPE_PROJECTED_CRS;
        f->geographic = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
        const char* n = proj_get_name(p.get());
        f->name = n ? n : "unnamed";
        f->epsg = identifyEpsg(p.get());
        double w = 0, s = 0, e = 0, north = 0;
        if (proj_get_area_of_use(proj(), p.get(), &w, &s, &e, &north, nullptr) && w > -1000) {
            f->areaOfUse.expand(w, s);
            f->areaOfUse.expand(e, north);
        }
        if (PjPtr cs{proj_crs_get_coordinate_system(proj(), p.get())}) {
            double factor = 0;
            const char* unit = nullptr;
            if (proj_cs_get_axis_info(proj(), cs.get(), 0, nullptr, nullptr, nullptr, &factor,
                                      &unit, nullptr, nullptr)) {
                f->unitToMetre = factor;
                f->unitName = unit ? unit : "";
            }
        }
        // The definition: the authority code when it rebuilds the same CRS, else WKT2.
        if (const std::string id = authorityId(p.get()); !id.empty()) {
            PjPtr byId(proj_create(proj(), id.c_str()));
            if (byId && proj_is_equivalent_to(byId.get(), p.get(), PJ_COMP_EQUIVALENT) == 1)
                f->definition = id;
        }
        if (f->definition.empty()) {
            const char* w2 = proj_as_wkt(proj(), p.get(), PJ_WKT2_2019, nullptr);
            const char* json = w2 ? nullptr : proj_as_projjson(proj(), p.get(), nullptr);
            if (!w2 && !json) throw InputError("CRS '" + f->name + "' cannot be written as WKT");
            f->definition = w2 ? w2 : json;
        }
        Crs c;
        c.facts_ = std::move(f);
        return c;
    }
};

Crs Crs::fromUserInput(const std::string& input) {
    std::string text = trim(input);
    const std::string shown = text.size() > 60 ? text.substr(0, 57) + "..." : text;
    const char* aliased = alias(text);
    if (aliased) text = aliased;
    const bool syntax = !text.empty() && isDefinitionSyntax(text);
    PjPtr p(text.empty() ? nullptr : proj_create(proj(), text.c_str()));
    // A bare name is accepted only when PROJ's database has a CRS of exactly that name:
    // proj_create would otherwise fuzzy-match any word to some CRS.
    std::string guess;
    if (p && !syntax && !aliased) {
        const char* n = proj_get_name(p.get());
        if (!n || asciiLower(n) != asciiLower(text)) {
            guess = n ? n : "";
            p.reset();
        }
    }
    if (!p)
        throw InputError("unknown CRS '" + shown +
                         "': give an authority code such as EPSG:4549, WKT or a PROJ string" +
                         (guess.empty() ? "" : " (PROJ would guess '" + guess + "')"));
    if (proj_get_type(p.get()) == PJ_TYPE_BOUND_CRS) {  // a +towgs84 wrapper: keep the CRS itself
        p.reset(proj_get_source_crs(proj(), p.get()));
        if (!p) throw InputError("unknown CRS '" + shown + "': its base CRS is unreadable");
    } else if (!proj_is_crs(p.get())) {
        throw InputError("'" + shown + "' is not a coordinate reference system");
    }
    return CrsAccess::make(std::move(p));
}

Crs Crs::fromEpsg(int code) { return fromUserInput("EPSG:" + std::to_string(code)); }

bool Crs::isProjected() const { return facts_ && facts_->projected; }
bool Crs::isGeographic() const { return facts_ && facts_->geographic; }
bool Crs::isMetric() const { return isProjected() && facts_->unitToMetre == 1.0; }
std::string Crs::unitName() const { return facts_ ? facts_->unitName : ""; }
std::string Crs::name() const { return facts_ ? facts_->name : "unknown"; }
std::optional<int> Crs::epsg() const { return facts_ ? facts_->epsg : std::nullopt; }

const std::string& Crs::definition() const {
    static const std::string none;
    return facts_ ? facts_->definition : none;
}

std::string Crs::wkt() const {
    if (!facts_) return "";
    const char* w = proj_as_wkt(proj(), pjOf(*this), PJ_WKT2_2019, nullptr);
    return w ? w : "";
}

std::string Crs::wkt1Esri() const {
    if (!facts_) return "";
    const char* w = proj_as_wkt(proj(), pjOf(*this), PJ_WKT1_ESRI, nullptr);
    return w ? w : "";
}

std::string Crs::label() const {
    if (!facts_) return "unknown";
    if (facts_->epsg) return "EPSG:" + std::to_string(*facts_->epsg);
    return facts_->name;
}

Envelope Crs::areaOfUse() const { return facts_ ? facts_->areaOfUse : Envelope{}; }

Crs Crs::geographic() const {
    if (!facts_) throw Error("unknown CRS has no geographic CRS");
    PjPtr g(proj_crs_get_geodetic_crs(proj(), pjOf(*this)));
    if (!g) throw Error("CRS " + label() + " has no geodetic CRS");
    return CrsAccess::make(std::move(g));
}

bool Crs::isEquivalentTo(const Crs& other) const {
    if (!facts_ || !other.facts_) return !facts_ && !other.facts_;
    if (facts_->definition == other.facts_->definition) return true;
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
const CoordinateTransform& CoordinateTransform::forThisThread(const Crs& from, const Crs& to) {
    auto& slot =
        detail::threadProjObject("transform " + from.definition() + "\n" + to.definition());
    if (!slot) slot = std::make_shared<CoordinateTransform>(from, to);
    return *static_cast<const CoordinateTransform*>(slot.get());
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
