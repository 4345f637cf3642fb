#include "onemap/core/report/report_writer.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>
#include <tuple>

#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/terminal_text.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "report/json_text.hpp"

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

std::string quoteCsv(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

bool isNumber(const std::string& s) {
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

// Text that a spreadsheet would run as a formula (=, +, -, @, or a leading tab/CR, which
// some strip first) gets a leading ' and is quoted. A number ("-12.5" as an id) cannot run
// and stays as it is.
std::string csvText(const std::string& s) {
    if (s.empty() || std::string_view("=+-@\t\r").find(s.front()) == std::string_view::npos ||
        isNumber(s))
        return quoteCsv(s);
    std::string out = "\"'";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string numberOrEmpty(const std::optional<double>& v, int decimals) {
    if (!v) return "";
    return fixedDecimals(round(*v, decimals), decimals);
}

// Ids and names come from user files: a terminal shows their control characters.
using gis::escapeControl;

// Rounding and JSON form by unit (docs/check-json.md).
int decimals(Unit u) {
    switch (u) {
        case Unit::SquareMetres:
        case Unit::Metres:
            return 2;
        case Unit::Fraction:
            return 6;
        default:
            return -1;
    }
}

Json valueJson(const gis::Value& v) {
    if (gis::isNull(v)) return nullptr;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return std::get<std::string>(v);
}

// "<x>_m2" → "<x>"; measures with alsoMuHa carry <x>_mu and <x>_ha beside.
std::string stem(const std::string& name) {
    return name.size() > 3 && name.compare(name.size() - 3, 3, "_m2") == 0
               ? name.substr(0, name.size() - 3)
               : name;
}

void putJson(Json& j, const Measure& m) {
    switch (m.unit) {
        case Unit::List:
            j[m.name] = m.items;
            return;
        case Unit::Breakdown: {
            Json by = Json::object();
            for (const auto& [cls, m2] : m.breakdown) by[cls] = round(m2, 2);
            j[m.name] = std::move(by);
            return;
        }
        default:
            break;
    }
    const int d = decimals(m.unit);
    const auto n = m.number();
    j[m.name] = d >= 0 ? (n ? Json(round(*n, d)) : Json(nullptr)) : valueJson(m.value);
    if (m.unit == Unit::SquareMetres && m.alsoMuHa && n) {
        j[stem(m.name) + "_mu"] = round(gis::toMu(*n), 4);
        j[stem(m.name) + "_ha"] = round(gis::toHectares(*n), 6);
    }
}

// One CSV column from the measures, or "" when the rule has no such measure.
std::string csvCell(const RuleResult& r, const std::string& column) {
    if (const Measure* m = r.measure(column)) {
        switch (m->unit) {
            case Unit::List:
                return csvText(join(m->items, ";"));
            case Unit::Breakdown: {
                std::vector<std::string> parts;
                for (const auto& [cls, m2] : m->breakdown)
                    parts.push_back(cls + "=" + numberOrEmpty(m2, 2));
                return csvText(join(parts, ";"));
            }
            case Unit::Text:
                return csvText(gis::toString(m->value));
            default:
                break;
        }
        if (const int d = decimals(m->unit); d >= 0) return numberOrEmpty(m->number(), d);
        if (std::holds_alternative<std::string>(m->value)) return csvText(gis::toString(m->value));
        return gis::toString(m->value);  // a number as it is, NULL as empty
    }
    for (const auto& [suffix, factor, d] :
         {std::tuple{"_mu", 1.0 / gis::kSquareMetresPerMu, 4},
          std::tuple{"_ha", 1.0 / gis::kSquareMetresPerHectare, 6}}) {
        const std::string s = suffix;
        if (column.size() <= s.size() || column.compare(column.size() - s.size(), s.size(), s))
            continue;
        const Measure* m = r.measure(column.substr(0, column.size() - s.size()) + "_m2");
        if (m && m->alsoMuHa && m->number()) return numberOrEmpty(*m->number() * factor, d);
    }
    return "";
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

std::string describeMeasure(const RuleResult& r) { return r.summary; }

std::string reportText(const Report& report) {
    std::ostringstream out;
    out << report.planName << "  —  " << report.sites.size() << " sites from " << report.sitesPath
        << "\n";
    if (!report.asOf.empty()) {
        out << "as of " << report.asOf << (report.versions.empty() ? "" : ":");
        for (const auto& v : report.versions)
            out << "  " << escapeControl(v.layer) << " from " << v.from
                << (v.doc.empty() ? "" : " (" + escapeControl(v.doc) + ")");
        out << "\n";
        for (const auto& a : report.absent) out << "  ! " << escapeControl(a) << "\n";
    }
    std::size_t titleWidth = 0;
    for (const auto& s : report.sites)
        for (const auto& r : s.rules) titleWidth = std::max(titleWidth, displayWidth(r.title));
    for (const auto& s : report.sites) {
        out << "\n"
            << escapeControl(s.id) << "  " << escapeControl(s.name) << "  ["
            << toString(s.verdict()) << "]\n";
        out << "  area " << describeArea(s.areaM2);
        if (!s.admin.empty()) {
            std::vector<std::string> parts;
            for (const auto& a : s.admin)
                parts.push_back(escapeControl(a.name) + " " + formatNumber(a.fraction * 100, 1) +
                                "%");
            out << "   city " << join(parts, " / ");
            if (s.crossBoundary()) out << "  (cross-boundary 跨界)";
        }
        out << "\n";
        for (const auto& w : s.warnings) out << "  ! " << escapeControl(w) << "\n";
        if (!s.error.empty()) out << "  ! could not be checked: " << escapeControl(s.error) << "\n";
        for (const auto& r : s.rules) {
            out << "  " << padRight(r.title, titleWidth) << "  "
                << padRight(toString(r.verdict()), 4) << "  " << escapeControl(r.summary) << "\n";
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

namespace {

Json siteJson(const SiteReport& s) {
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
        for (const auto& m : r.measures) putJson(j, m);
        site["rules"].push_back(std::move(j));
    }
    return site;
}

// False when a rule would repeat a key (a tree keeps the first place and the last value,
// which the text writer does not copy): such a site takes the tree.
bool keysUnique(const SiteReport& s) {
    std::vector<std::string_view> keys;
    const auto unique = [&keys] {
        std::sort(keys.begin(), keys.end());
        return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
    };
    for (const auto& r : s.rules) {
        keys = {"id", "title", "kind", "severity", "verdict", "layer"};
        std::vector<std::string> stems;
        for (const auto& m : r.measures) {
            keys.push_back(m.name);
            if (m.unit == Unit::SquareMetres && m.alsoMuHa) {
                stems.push_back(stem(m.name) + "_mu");
                stems.push_back(stem(m.name) + "_ha");
            }
        }
        for (const auto& k : stems) keys.push_back(k);
        if (!unique()) return false;
        for (const auto& m : r.measures) {
            keys.clear();
            for (const auto& [cls, m2] : m.breakdown) keys.push_back(cls);
            if (!unique()) return false;
        }
    }
    return true;
}

void putText(JsonText& w, const Measure& m) {
    w.key(m.name);
    switch (m.unit) {
        case Unit::List:
            w.strings(m.items);
            return;
        case Unit::Breakdown:
            w.beginObject();
            for (const auto& [cls, m2] : m.breakdown) {
                w.key(cls);
                w.number(round(m2, 2));
            }
            w.endObject();
            return;
        default:
            break;
    }
    const int d = decimals(m.unit);
    const auto n = m.number();
    if (d >= 0) {
        n ? w.number(round(*n, d)) : w.null();
    } else if (gis::isNull(m.value)) {
        w.null();
    } else if (const auto* i = std::get_if<std::int64_t>(&m.value)) {
        w.integer(*i);
    } else if (const auto* v = std::get_if<double>(&m.value)) {
        w.number(*v);
    } else {
        w.string(std::get<std::string>(m.value));
    }
    if (m.unit == Unit::SquareMetres && m.alsoMuHa && n) {
        w.key(stem(m.name) + "_mu");
        w.number(round(gis::toMu(*n), 4));
        w.key(stem(m.name) + "_ha");
        w.number(round(gis::toHectares(*n), 6));
    }
}

// The same document as siteJson(s).dump(2), written without the tree.
void siteText(JsonText& w, const SiteReport& s) {
    w.beginObject();
    w.key("id"), w.string(s.id);
    w.key("name"), w.string(s.name);
    w.key("verdict"), w.string(toString(s.verdict()));
    if (!s.error.empty()) w.key("error"), w.string(s.error);
    w.key("area_m2"), w.number(round(s.areaM2, 2));
    w.key("area_mu"), w.number(round(gis::toMu(s.areaM2), 4));
    w.key("area_ha"), w.number(round(gis::toHectares(s.areaM2), 6));
    w.key("admin"), w.strings(adminNames(s));
    w.key("cross_boundary"), w.boolean(s.crossBoundary());
    w.key("warnings"), w.strings(s.warnings);
    w.key("rules");
    w.beginArray();
    for (const auto& r : s.rules) {
        w.beginObject();
        w.key("id"), w.string(r.ruleId);
        w.key("title"), w.string(r.title);
        w.key("kind"), w.string(r.kind);
        w.key("severity"), w.string(toString(r.severity));
        w.key("verdict"), w.string(toString(r.verdict()));
        if (!r.layer.empty()) w.key("layer"), w.string(r.layer);
        for (const auto& m : r.measures) putText(w, m);
        w.endObject();
    }
    w.endArray();
    w.endObject();
}

// One site as an element of the report's "sites" array (two levels deep).
void appendSite(std::string& out, const SiteReport& s) {
    const std::size_t start = out.size();
    if (keysUnique(s)) {
        try {
            // A site of four rules is about 1.5 kB; sites share a chunk's string.
            if (out.capacity() < start + 4096)
                out.reserve(std::max(2 * out.capacity(), start + 4096));
            out.append(4, ' ');
            JsonText w(out, 2);
            siteText(w, s);
            return;
        } catch (const JsonText::NotUtf8&) {
            out.resize(start);  // the tree below gives nlohmann's own error
        }
    }
    const std::string text = siteJson(s).dump(2);
    out += "    ";
    for (const char c : text) {
        out += c;
        if (c == '\n') out += "    ";
    }
}

}  // namespace

std::string siteCheckJson(const SiteReport& site) { return siteJson(site).dump(); }

std::string reportJson(const Report& report, const std::string& version) {
    Json root;
    root["plan"] = report.planName;
    root["crs"] = report.crs;
    root["onemap"] = version;
    root["inputs"] = Json::object();
    for (const auto& [path, hash] : report.inputs) root["inputs"][path] = hash;
    if (!report.asOf.empty()) {
        root["as_of"] = report.asOf;
        root["versions"] = Json::object();
        for (const auto& v : report.versions)
            root["versions"][v.layer] = {{"from", v.from}, {"doc", v.doc}};
    }
    root["summary"] = {{"sites", report.sites.size()},
                       {"pass", report.count(Verdict::Pass)},
                       {"warn", report.count(Verdict::Warn)},
                       {"fail", report.count(Verdict::Fail)},
                       {"unchecked", report.count(Verdict::Unchecked)}};
    root["warnings"] = report.warnings;
    if (report.sites.empty()) {
        root["sites"] = Json::array();
        return root.dump(2) + "\n";
    }
    // Sites are written in chunks of 64 (in parallel), straight to text, and spliced into the
    // document: a whole-document tree of 10,000 sites costs more to build than the check,
    // and a string per site cost 10,000 allocations.
    const std::size_t n = report.sites.size();
    constexpr std::size_t kChunk = 64;
    std::vector<std::string> chunks((n + kChunk - 1) / kChunk);
    tbb::parallel_for(std::size_t{0}, chunks.size(), [&](std::size_t c) {
        for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
            appendSite(chunks[c], report.sites[i]);
            chunks[c] += i + 1 < n ? ",\n" : "\n";
        }
    });
    std::size_t total = 0;
    for (const auto& chunk : chunks) total += chunk.size();
    std::string out = root.dump(2);
    out.resize(out.size() - 2);  // "\n}"
    out.reserve(out.size() + total + 64);
    out += ",\n  \"sites\": [\n";
    for (const auto& chunk : chunks) out += chunk;
    out += "  ]\n}\n";
    return out;
}

// The measure columns of the CSV, in the order docs/check-json.md lists them; a rule
// without a measure leaves its cell empty, and its summary is in the last column.
const std::vector<std::string> kMeasureColumns{
    "overlap_m2", "overlap_mu", "overlap_ha", "inside_fraction", "outside_m2",
    "distance_m", "nearest",    "value",      "features",        "distance_method"};

std::string reportCsv(const Report& report) {
    std::ostringstream out;
    // A UTF-8 BOM, so Excel on a Chinese Windows reads the Chinese text right.
    out << "\xEF\xBB\xBF";
    out << "site_id,site_name,site_verdict,area_m2,area_mu,admin,rule_id,rule_title,kind,severity,"
           "verdict";
    for (const auto& c : kMeasureColumns) out << "," << c;
    // Warnings last, so the columns before keep their places: the site's own (a declared
    // area its coordinates disagree with) and the run's (what the readers decided).
    out << ",summary,site_warnings,warnings\n";
    const auto warningsCell = [](const std::vector<std::string>& items) {
        std::string joined;
        for (const auto& w : items) joined += (joined.empty() ? "" : " | ") + w;
        for (char& c : joined)
            if (c == '\n' || c == '\r') c = ' ';  // one row per line
        return csvText(joined);
    };
    const std::string runWarnings = warningsCell(report.warnings);
    for (const auto& s : report.sites) {
        const std::string siteWarnings = warningsCell(s.warnings);
        for (const auto& r : s.rules) {
            std::vector<std::string> row{
                csvText(s.id),
                csvText(s.name),
                toString(s.verdict()),
                numberOrEmpty(s.areaM2, 2),
                numberOrEmpty(gis::toMu(s.areaM2), 4),
                csvText(join(adminNames(s), ";")),
                csvText(r.ruleId),
                csvText(r.title),
                r.kind,
                toString(r.severity),
                toString(r.verdict()),
            };
            for (const auto& c : kMeasureColumns) row.push_back(csvCell(r, c));
            row.push_back(csvText(r.summary));
            row.push_back(siteWarnings);
            row.push_back(runWarnings);
            for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << row[i];
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
