#include "onemap/core/report/json_report.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "report/json_text.hpp"
#include "report/report_fields.hpp"

namespace onemap::core {
namespace {

using Json = nlohmann::ordered_json;

Json valueJson(const gis::Value& v) {
    if (gis::isNull(v)) return nullptr;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return std::get<std::string>(v);
}

void putJson(Json& j, const Measure& m) {
    switch (m.unit) {
        case Unit::List:
            j[m.name] = m.items;
            return;
        case Unit::Breakdown: {
            Json by = Json::object();
            for (const auto& [cls, m2] : m.breakdown) by[cls] = roundTo(m2, 2);
            j[m.name] = std::move(by);
            return;
        }
        default:
            break;
    }
    const int d = unitDecimals(m.unit);
    const auto n = m.number();
    j[m.name] = d >= 0 ? (n ? Json(roundTo(*n, d)) : Json(nullptr)) : valueJson(m.value);
    if (m.unit == Unit::SquareMetres && m.alsoMuHa && n) {
        j[areaStem(m.name) + "_mu"] = roundTo(gis::toMu(*n), 4);
        j[areaStem(m.name) + "_ha"] = roundTo(gis::toHectares(*n), 6);
    }
}

// The rules of a partial site not checked on it (not those --rules left out: the report's
// top level names those).
std::vector<std::string> notCheckedIds(const SiteReport& s) {
    std::vector<std::string> ids;
    for (const auto& r : s.rules)
        if (!r.checked()) ids.push_back(r.ruleId);
    return ids;
}

Json siteJson(const SiteReport& s) {
    Json site;
    site["id"] = s.id;
    site["name"] = s.name;
    site["verdict"] = verdictText(s);
    if (!s.error.empty()) site["error"] = s.error;
    if (s.partial()) site["not_checked"] = notCheckedIds(s);
    site["area_m2"] = roundTo(s.areaM2, 2);
    site["area_mu"] = roundTo(gis::toMu(s.areaM2), 4);
    site["area_ha"] = roundTo(gis::toHectares(s.areaM2), 6);
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
        j["verdict"] = ruleVerdictText(r);
        if (!r.checked()) j["reason"] = r.notChecked.both();
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
        keys = {"id", "title", "kind", "severity", "verdict", "reason", "layer"};
        std::vector<std::string> stems;
        for (const auto& m : r.measures) {
            keys.push_back(m.name);
            if (m.unit == Unit::SquareMetres && m.alsoMuHa) {
                stems.push_back(areaStem(m.name) + "_mu");
                stems.push_back(areaStem(m.name) + "_ha");
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
                w.number(roundTo(m2, 2));
            }
            w.endObject();
            return;
        default:
            break;
    }
    const int d = unitDecimals(m.unit);
    const auto n = m.number();
    if (d >= 0) {
        n ? w.number(roundTo(*n, d)) : w.null();
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
        w.key(areaStem(m.name) + "_mu");
        w.number(roundTo(gis::toMu(*n), 4));
        w.key(areaStem(m.name) + "_ha");
        w.number(roundTo(gis::toHectares(*n), 6));
    }
}

// The same document as siteJson(s).dump(2), written without the tree.
void siteText(JsonText& w, const SiteReport& s) {
    w.beginObject();
    w.key("id"), w.string(s.id);
    w.key("name"), w.string(s.name);
    w.key("verdict"), w.string(verdictText(s));
    if (!s.error.empty()) w.key("error"), w.string(s.error);
    if (s.partial()) w.key("not_checked"), w.strings(notCheckedIds(s));
    w.key("area_m2"), w.number(roundTo(s.areaM2, 2));
    w.key("area_mu"), w.number(roundTo(gis::toMu(s.areaM2), 4));
    w.key("area_ha"), w.number(roundTo(gis::toHectares(s.areaM2), 6));
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
        w.key("verdict"), w.string(ruleVerdictText(r));
        if (!r.checked()) w.key("reason"), w.string(r.notChecked.both());
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
        root["not_in_force"] = Json::object();
        for (const auto& l : report.notInForce)
            root["not_in_force"][l.layer] = {
                {"title", l.title},
                {"first_from", l.firstFrom},
                {"reason",
                 reasonNotInForce(l.title.empty() ? l.layer : l.title, report.asOf).both()}};
    }
    root["rules_not_applied"] = Json::array();
    for (const auto& r : report.notApplied)
        root["rules_not_applied"].push_back({{"id", r.id}, {"title", r.title}});
    root["summary"] = {{"sites", report.sites.size()},
                       {"pass", report.countWhole(Verdict::Pass)},
                       {"warn", report.countWhole(Verdict::Warn)},
                       {"partial", report.countPartial()},
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

}  // namespace onemap::core
