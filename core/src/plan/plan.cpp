#include "onemap/core/plan/plan.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/calendar.hpp"
#include "onemap/gis/base/error.hpp"
#include "plan/plan_reader.hpp"

namespace onemap::core {
namespace fs = std::filesystem;

double RuleSpec::number(const std::string& name) const {
    const auto it = params.find(name);
    if (it == params.end()) return 0;
    if (const auto* d = std::get_if<double>(&it->second)) return *d;
    return 0;
}

std::string RuleSpec::text(const std::string& name) const {
    const auto it = params.find(name);
    if (it == params.end()) return "";
    if (const auto* s = std::get_if<std::string>(&it->second)) return *s;
    return "";
}

Plan Plan::load(const std::string& path) {
    return parse(gis::readRegularFile(path, "plan file"), path);
}

Plan Plan::parse(const std::string& text, const std::string& path) {
    Plan declared = readPlan(text, path);
    declared.declaredLayers_ = declared.layers;
    declared.declaredRules_ = declared.rules;
    declared.declaredConsistency_ = declared.consistency;
    declared.declaredHeatmaps_ = declared.heatmaps;
    return declared.inForceOn(gis::todayIso(), "today's date");
}

Plan Plan::inForceOn(const std::string& date, const std::string& what) const {
    if (!isIsoDate(date))
        throw InputError(what + ": '" + date + "' is not a date; write YYYY-MM-DD");
    Plan p = *this;
    p.asOf = date;
    p.layers.clear();
    p.rules.clear();
    p.consistency.clear();
    p.heatmaps.clear();
    p.notes.clear();
    p.layersNotInForce.clear();
    p.rulesNotInForce.clear();
    std::set<std::string> absent;
    for (const auto& declared : declaredLayers_) {
        LayerSpec l = declared;
        l.inForce.reset();
        if (!l.versions.empty()) {
            const LayerVersion* in = nullptr;
            for (const auto& v : l.versions)
                if (v.from <= date) in = &v;  // ISO dates order as text
            if (!in) {
                absent.insert(l.id);
                p.layersNotInForce.push_back(l);
                p.notes.push_back("layer '" + l.id + "' (" + l.title + ") is not in force on " +
                                  date + ": its first version is from " + l.versions.front().from);
                continue;
            }
            l.source = in->source;
            l.table = in->table;
            l.filter = in->filter;
            l.encoding = in->encoding;
            l.crs = in->crs;
            l.inForce = *in;
        }
        p.layers.push_back(std::move(l));
    }
    for (const auto& r : declaredRules_) {
        std::string missing;
        if (const RuleKind* kind = RuleRegistry::instance().find(r.kind))
            for (const auto& param : kind->params)
                if (param.type == ParamType::Layer && absent.count(r.text(param.name)))
                    missing = r.text(param.name);
        if (!missing.empty()) {
            p.notes.push_back("rule '" + r.id + "' is left out on " + date + ": its layer '" +
                              missing + "' is not in force");
            p.rulesNotInForce.emplace_back(r, missing);
            continue;
        }
        p.rules.push_back(r);
    }
    for (const auto& c : declaredConsistency_) {
        const std::string& missing = absent.count(c.a) ? c.a : c.b;
        if (absent.count(missing)) {
            p.notes.push_back("consistency '" + c.id + "' is left out on " + date +
                              ": its layer '" + missing + "' is not in force");
            continue;
        }
        p.consistency.push_back(c);
    }
    for (const auto& h : declaredHeatmaps_) {
        if (absent.count(h.layer)) {
            p.notes.push_back("heatmap '" + h.id + "' is left out on " + date + ": its layer '" +
                              h.layer + "' is not in force");
            continue;
        }
        p.heatmaps.push_back(h);
    }
    return p;  // possibly without layers: OneMap::load says so, after --as-of had its say
}

bool Plan::hasVersions() const {
    return std::any_of(declaredLayers_.begin(), declaredLayers_.end(), [](const LayerSpec& l) {
        return !l.versions.empty() || !l.dateField.empty();
    });
}

bool isIsoDate(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (const std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    const std::chrono::year_month_day ymd{
        std::chrono::year{std::stoi(s.substr(0, 4))},
        std::chrono::month{static_cast<unsigned>(std::stoi(s.substr(5, 2)))},
        std::chrono::day{static_cast<unsigned>(std::stoi(s.substr(8, 2)))}};
    return ymd.ok();
}

std::vector<std::string> Plan::files() const {
    std::vector<std::string> out;
    if (!path.empty()) out.push_back(path);
    // Every version's source too: an output may not replace any day's data.
    for (const auto& l : declaredLayers_.empty() ? layers : declaredLayers_) {
        if (l.versions.empty()) out.push_back(l.source);
        for (const auto& v : l.versions) out.push_back(v.source);
    }
    return out;
}

const LayerSpec* Plan::layer(const std::string& id) const {
    for (const auto& l : layers)
        if (l.id == id) return &l;
    return nullptr;
}

const RuleSpec* Plan::rule(const std::string& id) const {
    for (const auto& r : rules)
        if (r.id == id) return &r;
    return nullptr;
}

const HeatmapSpec* Plan::heatmap(const std::string& id) const {
    for (const auto& h : heatmaps)
        if (h.id == id) return &h;
    return nullptr;
}

const LayerSpec* Plan::adminLayer() const {
    for (const auto& l : layers)
        if (l.role == "admin") return &l;
    return nullptr;
}

std::string defaultPlanPath() {
    if (const char* env = std::getenv("ONEMAP_SAMPLE_PLAN"); env && *env) return env;
    // Beside the running program: <prefix>/bin/onemap → <prefix>/share/onemap/sample-data
    // once installed; build/cli/onemap → build/share/onemap/sample-data in the build tree.
    std::error_code ec;
    const fs::path program = fs::read_symlink("/proc/self/exe", ec).parent_path();
    if (!ec) {
        for (const char* up : {"..", "../.."}) {
            const fs::path plan = program / up / "share/onemap/sample-data/g60.toml";
            if (fs::exists(plan, ec)) return fs::weakly_canonical(plan, ec).string();
        }
    }
    throw InputError(
        "no plan given and the bundled G60 sample is not installed beside this program "
        "(share/onemap/sample-data/g60.toml); give a plan file or set ONEMAP_SAMPLE_PLAN");
}

std::string defaultSitesPath() {
    return (fs::path(defaultPlanPath()).parent_path() / "sites.gpkg").string();
}

const char* toString(Severity s) { return s == Severity::Error ? "error" : "warning"; }

const char* toString(Relation r) { return r == Relation::Disjoint ? "disjoint" : "within"; }

const char* toString(Lang lang) { return lang == Lang::Zh ? "zh" : "en"; }

Lang parseLang(std::string_view text, const std::string& where) {
    const std::string t = gis::asciiLower(std::string(text));
    if (t == "zh" || t == "zh-cn" || t == "zh_cn" || t == "cn" || t == "chinese") return Lang::Zh;
    if (t == "en" || t == "en-us" || t == "en-gb" || t == "en_us" || t == "english")
        return Lang::En;
    throw InputError(where + ": language '" + std::string(text) +
                     "' is not one onemap writes; use \"zh\" (中文) or \"en\" (English)");
}

}  // namespace onemap::core
