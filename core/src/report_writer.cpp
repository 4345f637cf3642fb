#include "onemap/core/report_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

#include "onemap/gis/atomic_file.hpp"
#include "onemap/gis/geodesic.hpp"
#include "onemap/gis/vector_io.hpp"

namespace onemap::core {
namespace {

using Json = nlohmann::ordered_json;

double round(double v, int decimals) {
    const double f = std::pow(10.0, decimals);
    const double r = std::round(v * f) / f;
    return r == 0 ? 0.0 : r;  // no "-0"
}

std::string join(const std::vector<std::string>& items, const std::string& sep,
                 std::size_t max = 0) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (max && i == max) {
            out += sep + "… (+" + std::to_string(items.size() - max) + ")";
            break;
        }
        out += (i ? sep : "") + items[i];
    }
    return out;
}

std::vector<std::string> adminNames(const SiteReport& s) {
    std::vector<std::string> names;
    for (const auto& a : s.admin) names.push_back(a.name);
    return names;
}

std::string padRight(const std::string& s, std::size_t width) {
    const std::size_t w = displayWidth(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

// Fixed-point text with a dot whatever the process locale (Qt sets LC_ALL from the
// environment; printf under de_DE would write decimal commas).
std::string fixedDecimals(double v, int decimals) {
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    return r.ec == std::errc{} ? std::string(buf, r.ptr) : std::string("nan");
}

bool isNumber(const std::string& s) {
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

// A text cell a spreadsheet would run as a formula (=, +, -, @, or a leading tab/CR) gets a
// leading apostrophe; numbers (negative ones too) stay numbers.
std::string csvField(std::string s) {
    if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos &&
        !isNumber(s))
        s.insert(0, "'");
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string numberOrEmpty(const std::optional<double>& v, int decimals) {
    if (!v) return "";
    return fixedDecimals(round(*v, decimals), decimals);
}

}  // namespace

std::size_t displayWidth(const std::string& s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        char32_t cp = c;
        std::size_t len = 1;
        if (c >= 0xF0)
            len = 4, cp = c & 0x07;
        else if (c >= 0xE0)
            len = 3, cp = c & 0x0F;
        else if (c >= 0xC0)
            len = 2, cp = c & 0x1F;
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (s[i + k] & 0x3F);
        i += len;
        // East Asian Wide/Fullwidth ranges that matter here: CJK, Hangul, fullwidth forms.
        const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                          (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                          (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                          (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

std::string formatNumber(double value, int decimals) {
    std::string digits = fixedDecimals(round(std::abs(value), decimals), decimals);
    const auto dot = digits.find('.');
    std::string intPart = digits.substr(0, dot);
    const std::string frac = dot == std::string::npos ? "" : digits.substr(dot);
    for (int i = static_cast<int>(intPart.size()) - 3; i > 0; i -= 3)
        intPart.insert(static_cast<std::size_t>(i), ",");
    return (value < 0 && round(value, decimals) != 0 ? "-" : "") + intPart + frac;
}

std::string describeArea(double m2) {
    return formatNumber(m2, 2) + " m² (" + formatNumber(gis::toMu(m2), 2) + " 亩, " +
           formatNumber(gis::toHectares(m2), 4) + " ha)";
}

std::string describeMeasure(const RuleResult& r) {
    std::string s;
    if (r.overlapM2) {
        s = "overlap " + describeArea(*r.overlapM2);
        if (!r.byClass.empty()) {
            std::vector<std::string> parts;
            for (const auto& [cls, m2] : r.byClass)
                parts.push_back(cls + " " + formatNumber(gis::toMu(m2), 2) + " 亩");
            s += " [" + join(parts, ", ") + "]";
        }
    } else if (r.insideFraction) {
        s = "inside " + formatNumber(*r.insideFraction * 100, 1) + "% (min " +
            formatNumber(*r.limit * 100, 0) + "%), outside " +
            describeArea(r.outsideM2.value_or(0));
    } else if (r.kind == "max_distance" || r.kind == "min_distance") {
        const std::string cmp = r.kind == "max_distance" ? " ≤ " : " ≥ ";
        s = r.distanceM ? formatNumber(*r.distanceM, 1) + " m to " + r.nearest + " (need" + cmp +
                              formatNumber(*r.limit, 0) + " m)"
                        : "layer is empty";
    } else if (r.value) {
        s = gis::isNull(*r.value) ? std::string("value missing (NULL)")
                                  : "value " + gis::toString(*r.value);
        if (r.limit) s += " (limit " + gis::toString(gis::Value{*r.limit}) + ")";
    }
    if (r.overlapM2 && !r.features.empty()) s += "; " + join(r.features, ", ", 5);
    return s;
}

std::string reportText(const Report& report) {
    std::ostringstream out;
    out << report.planName << "  —  " << report.sites.size() << " sites from " << report.sitesPath
        << "\n";
    std::size_t titleWidth = 0;
    for (const auto& s : report.sites)
        for (const auto& r : s.rules) titleWidth = std::max(titleWidth, displayWidth(r.title));
    for (const auto& s : report.sites) {
        out << "\n" << s.id << "  " << s.name << "  [" << toString(s.verdict()) << "]\n";
        out << "  area " << describeArea(s.areaM2);
        if (!s.admin.empty()) {
            std::vector<std::string> parts;
            for (const auto& a : s.admin)
                parts.push_back(a.name + " " + formatNumber(a.fraction * 100, 1) + "%");
            out << "   city " << join(parts, " / ");
            if (s.crossBoundary()) out << "  (cross-boundary 跨界)";
        }
        out << "\n";
        for (const auto& w : s.warnings) out << "  ! " << w << "\n";
        if (!s.error.empty()) out << "  ! could not be checked: " << s.error << "\n";
        for (const auto& r : s.rules) {
            out << "  " << padRight(r.title, titleWidth) << "  "
                << padRight(toString(r.verdict()), 4) << "  " << describeMeasure(r) << "\n";
        }
    }
    out << "\nSummary: " << report.sites.size() << " sites — " << report.count(Verdict::Pass)
        << " pass, " << report.count(Verdict::Warn) << " warn, " << report.count(Verdict::Fail)
        << " fail";
    if (const auto n = report.count(Verdict::Unchecked))
        out << ", " << n << " could not be checked";
    out << "\n";
    if (!report.warnings.empty())
        out << report.warnings.size() << " data warning(s); see --format json\n";
    return out.str();
}

std::string reportJson(const Report& report, const std::string& version) {
    Json root;
    root["plan"] = report.planName;
    root["crs"] = report.crs;
    root["onemap"] = version;
    root["inputs"] = Json::object();
    for (const auto& [path, hash] : report.inputs) root["inputs"][path] = hash;
    root["summary"] = {{"sites", report.sites.size()},
                       {"pass", report.count(Verdict::Pass)},
                       {"warn", report.count(Verdict::Warn)},
                       {"fail", report.count(Verdict::Fail)},
                       {"unchecked", report.count(Verdict::Unchecked)}};
    root["warnings"] = report.warnings;
    root["sites"] = Json::array();
    for (const auto& s : report.sites) {
        Json site;
        site["id"] = s.id;
        site["name"] = s.name;
        site["verdict"] = toString(s.verdict());
        if (!s.error.empty()) site["error"] = s.error;
        site["area_m2"] = round(s.areaM2, 2);
        site["area_mu"] = round(gis::toMu(s.areaM2), 4);
        site["area_ha"] = round(gis::toHectares(s.areaM2), 6);
        site["admin"] = adminNames(s);
        site["cross_boundary"] = s.crossBoundary();
        site["warnings"] = s.warnings;
        site["rules"] = Json::array();
        for (const auto& r : s.rules) {
            Json j;
            j["id"] = r.ruleId;
            j["title"] = r.title;
            j["kind"] = r.kind;
            j["severity"] = toString(r.severity);
            j["verdict"] = toString(r.verdict());
            if (!r.layer.empty()) j["layer"] = r.layer;
            if (r.overlapM2) {
                j["overlap_m2"] = round(*r.overlapM2, 2);
                j["overlap_mu"] = round(gis::toMu(*r.overlapM2), 4);
                j["overlap_ha"] = round(gis::toHectares(*r.overlapM2), 6);
                if (!r.byClass.empty()) {
                    Json by = Json::object();
                    for (const auto& [cls, m2] : r.byClass) by[cls] = round(m2, 2);
                    j["by_m2"] = by;
                }
            }
            if (r.insideFraction) {
                j["inside_fraction"] = round(*r.insideFraction, 6);
                j["inside_m2"] = round(r.insideM2.value_or(0), 2);
                j["outside_m2"] = round(r.outsideM2.value_or(0), 2);
            }
            if (r.kind == "max_distance" || r.kind == "min_distance") {
                j["distance_m"] = r.distanceM ? Json(round(*r.distanceM, 2)) : Json(nullptr);
                j["nearest"] = r.nearest;
            }
            if (r.value) {
                const gis::Value& v = *r.value;
                if (gis::isNull(v))
                    j["value"] = nullptr;
                else if (const auto* i = std::get_if<std::int64_t>(&v))
                    j["value"] = *i;
                else if (const auto* d = std::get_if<double>(&v))
                    j["value"] = *d;
                else
                    j["value"] = std::get<std::string>(v);
            }
            if (r.limit) j["limit"] = *r.limit;
            if (r.kind == "must_not_overlap" || r.kind == "must_be_within")
                j["features"] = r.features;
            site["rules"].push_back(j);
        }
        root["sites"].push_back(site);
    }
    return root.dump(2) + "\n";
}

std::string reportCsv(const Report& report) {
    std::ostringstream out;
    // A UTF-8 BOM, so Excel on a Chinese Windows reads the Chinese text right.
    out << "\xEF\xBB\xBF";
    out << "site_id,site_name,site_verdict,area_m2,area_mu,admin,rule_id,rule_title,kind,severity,"
           "verdict,"
           "overlap_m2,overlap_mu,overlap_ha,inside_fraction,outside_m2,distance_m,nearest,value,"
           "features\n";
    for (const auto& s : report.sites) {
        for (const auto& r : s.rules) {
            std::vector<std::string> row{
                s.id,
                s.name,
                toString(s.verdict()),
                numberOrEmpty(s.areaM2, 2),
                numberOrEmpty(gis::toMu(s.areaM2), 4),
                join(adminNames(s), ";"),
                r.ruleId,
                r.title,
                r.kind,
                toString(r.severity),
                toString(r.verdict()),
                numberOrEmpty(r.overlapM2, 2),
                r.overlapM2 ? numberOrEmpty(gis::toMu(*r.overlapM2), 4) : "",
                r.overlapM2 ? numberOrEmpty(gis::toHectares(*r.overlapM2), 6) : "",
                numberOrEmpty(r.insideFraction, 6),
                numberOrEmpty(r.outsideM2, 2),
                numberOrEmpty(r.distanceM, 2),
                r.nearest,
                r.value ? gis::toString(*r.value) : "",
                join(r.features, ";")};
            for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csvField(row[i]);
            out << "\n";
        }
    }
    return out.str();
}

void writeConflicts(const Report& report, const gis::Crs& crs, const std::string& path) {
    gis::VectorLayer layer;
    layer.name = "conflicts";
    layer.crs = crs;
    layer.geometryType = "MultiPolygon";
    using gis::FieldType;
    layer.fields = {{"site_id", FieldType::String},     {"site_name", FieldType::String},
                    {"rule_id", FieldType::String},     {"rule_title", FieldType::String},
                    {"verdict", FieldType::String},     {"layer", FieldType::String},
                    {"features", FieldType::String},    {"area_m2", FieldType::Real, 0, 2},
                    {"area_mu", FieldType::Real, 0, 4}, {"area_ha", FieldType::Real, 0, 6}};
    const gis::EllipsoidalMeasure measure(crs);
    std::int64_t fid = 1;
    for (const auto& s : report.sites) {
        for (const auto& r : s.rules) {
            if (r.conflict.isEmpty()) continue;
            const double m2 = measure.area(r.conflict);
            gis::Feature f;
            f.fid = fid++;
            f.geometry = r.conflict;
            f.values = {s.id,
                        s.name,
                        r.ruleId,
                        r.title,
                        std::string(toString(r.verdict())),
                        r.layer,
                        join(r.features, ";"),
                        round(m2, 2),
                        round(gis::toMu(m2), 4),
                        round(gis::toHectares(m2), 6)};
            layer.features.push_back(std::move(f));
        }
    }
    gis::writeLayer(path, layer);
}

}  // namespace onemap::core
