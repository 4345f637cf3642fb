#include "onemap/core/plan/plan.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "onemap/core/rules/rule_kind.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/web_map_datum.hpp"
#include "onemap/gis/layer/layer_reader.hpp"

namespace onemap::core {
namespace fs = std::filesystem;
namespace {

// Every message is "file:line: what", the one line a planner needs to find the fault.
class PlanReader {
  public:
    PlanReader(std::string path) : path_(std::move(path)) {}

    [[noreturn]] void fail(const toml::node* at, int fallbackLine, const std::string& msg) const {
        int line = fallbackLine;
        if (at && at->source().begin.line > 0) line = static_cast<int>(at->source().begin.line);
        throw InputError(path_ + ":" + std::to_string(line) + ": " + msg);
    }

    static int lineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

    void allowOnly(const toml::table& t, const std::set<std::string>& keys,
                   const std::string& where) const {
        for (const auto& [k, v] : t) {
            if (!keys.count(std::string(k.str()))) {
                std::string list;
                for (const auto& key : keys) list += (list.empty() ? "" : ", ") + key;
                fail(&v, lineOf(t),
                     where + ": unknown key '" + std::string(k.str()) +
                         "' (expected one of: " + list + ")");
            }
        }
    }

    std::string text(const toml::table& t, const std::string& key, bool required,
                     const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) {
            if (required) fail(&t, lineOf(t), where + ": missing required key '" + key + "'");
            return "";
        }
        if (!n->is_string()) fail(n, lineOf(t), where + ": '" + key + "' must be text");
        return std::string(*n->value<std::string>());
    }

    std::optional<double> number(const toml::table& t, const std::string& key,
                                 const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) return std::nullopt;
        if (!n->is_number()) fail(n, lineOf(t), where + ": '" + key + "' must be a number");
        const double v = *n->value<double>();
        if (!std::isfinite(v))
            fail(n, lineOf(t), where + ": '" + key + "' must be a finite number");
        return v;
    }

    LayerStyle style(const toml::table& t, const std::string& where) const {
        allowOnly(t, {"fill", "stroke", "stroke_width", "opacity", "dash", "hatch", "point_size"},
                  where + " style");
        LayerStyle s;
        s.fill = text(t, "fill", false, where);
        s.stroke = text(t, "stroke", false, where);
        for (const auto& [key, value] :
             {std::pair{"fill", &s.fill}, std::pair{"stroke", &s.stroke}}) {
            if (!value->empty() && *value != "none" && !validColour(*value))
                fail(t.get(key), lineOf(t),
                     where + ": '" + key + "' must be #rrggbb, #rrggbbaa or \"none\"");
        }
        s.strokeWidth = number(t, "stroke_width", where).value_or(-1);
        s.opacity = number(t, "opacity", where).value_or(1.0);
        if (s.opacity < 0 || s.opacity > 1)
            fail(t.get("opacity"), lineOf(t), where + ": 'opacity' must be in [0, 1]");
        s.dash = text(t, "dash", false, where);
        if (!s.dash.empty() && s.dash != "solid" && s.dash != "dash" && s.dash != "dot")
            fail(t.get("dash"), lineOf(t), where + ": 'dash' must be solid, dash or dot");
        s.hatch = text(t, "hatch", false, where);
        if (!s.hatch.empty() && s.hatch != "diagonal" && s.hatch != "cross")
            fail(t.get("hatch"), lineOf(t), where + ": 'hatch' must be diagonal or cross");
        s.pointSize = number(t, "point_size", where).value_or(-1);
        return s;
    }

    static bool validColour(const std::string& c) {
        if (c.size() != 7 && c.size() != 9) return false;
        if (c[0] != '#') return false;
        return std::all_of(c.begin() + 1, c.end(),
                           [](unsigned char ch) { return std::isxdigit(ch); });
    }

    static bool validId(const std::string& id) {
        return !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
            return std::islower(c) || std::isdigit(c) || c == '_' || c == '-';
        });
    }

    std::string resolve(const std::string& source) const {
        // Connection strings ("PG:...", "/vsi...") pass through; files are relative to the plan.
        if (source.find(':') != std::string::npos && source.find(':') > 1 && !fs::exists(source))
            return source;
        fs::path p(source);
        if (p.is_relative() && !path_.empty()) p = fs::path(path_).parent_path() / p;
        return p.lexically_normal().string();
    }

    LayerSpec layer(const toml::table& t) const {
        const int line = lineOf(t);
        LayerSpec l;
        l.line = line;
        l.id = text(t, "id", true, "layer");
        const std::string where = "layer '" + l.id + "'";
        if (!validId(l.id))
            fail(t.get("id"), line, where + ": id must be lower-case letters, digits, '_' or '-'");
        allowOnly(t,
                  {"id", "title", "source", "table", "role", "label", "id_field", "filter",
                   "encoding", "crs", "visible", "style", "versions", "date_field"},
                  where);
        l.title = text(t, "title", true, where);
        const toml::node* versions = t.get("versions");
        if (versions && t.get("source"))
            fail(t.get("source"), line,
                 where + ": has [[layers.versions]]; give 'source' in each version, not here");
        if (!versions) l.source = resolve(text(t, "source", true, where));
        l.table = text(t, "table", false, where);
        l.role = text(t, "role", false, where);
        if (!l.role.empty() && l.role != "admin")
            fail(t.get("role"), line, where + ": role must be \"admin\"");
        l.label = text(t, "label", false, where);
        l.idField = text(t, "id_field", false, where);
        l.filter = text(t, "filter", false, where);
        try {
            gis::checkAttributeFilter(l.filter);
        } catch (const InputError& e) {
            fail(t.get("filter"), line, where + ": " + e.what());
        }
        l.encoding = text(t, "encoding", false, where);
        l.crs = text(t, "crs", false, where);
        if (!l.crs.empty() && !gis::parseWebMapDatum(l.crs)) {
            try {
                (void)gis::Crs::fromUserInput(l.crs);
            } catch (const InputError& e) {
                fail(t.get("crs"), line, where + ": " + e.what());
            }
        }
        if (const toml::node* v = t.get("visible")) {
            if (!v->is_boolean()) fail(v, line, where + ": 'visible' must be true or false");
            l.visible = *v->value<bool>();
        }
        if (const toml::node* s = t.get("style")) {
            if (!s->is_table()) fail(s, line, where + ": 'style' must be a table");
            l.style = style(*s->as_table(), where);
        }
        l.dateField = text(t, "date_field", false, where);
        if (versions) l.versions = layerVersions(*versions, l, where);
        return l;
    }

    // A date as text ("2021-03-01") or as a TOML date (2021-03-01).
    std::string date(const toml::table& t, const std::string& key, const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) fail(&t, lineOf(t), where + ": missing required key '" + key + "' (YYYY-MM-DD)");
        std::string d;
        if (const auto* v = n->as_date()) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(v->get().year),
                          static_cast<int>(v->get().month), static_cast<int>(v->get().day));
            d = buf;
        } else if (n->is_string()) {
            d = std::string(*n->value<std::string>());
        }
        if (!isIsoDate(d)) fail(n, lineOf(t), where + ": '" + key + "' must be a date, YYYY-MM-DD");
        return d;
    }

    // [[layers.versions]]: each with a date and a source; dates strictly ascending, so that
    // exactly one version is in force on any day from the first.
    std::vector<LayerVersion> layerVersions(const toml::node& n, const LayerSpec& l,
                                            const std::string& where) const {
        if (!n.is_array_of_tables() || n.as_array()->empty())
            fail(&n, l.line, where + ": 'versions' must be [[layers.versions]] tables");
        std::vector<LayerVersion> out;
        for (const auto& item : *n.as_array()) {
            const toml::table& t = *item.as_table();
            const std::string at = where + " version";
            allowOnly(t, {"from", "source", "table", "filter", "encoding", "crs", "doc"}, at);
            LayerVersion v;
            v.line = lineOf(t);
            v.from = date(t, "from", at);
            const std::string vw = where + " version from " + v.from;
            v.source = resolve(text(t, "source", true, vw));
            // Unset keys fall back to the layer's own (a table name shared by every version).
            v.table = t.get("table") ? text(t, "table", false, vw) : l.table;
            v.filter = t.get("filter") ? text(t, "filter", false, vw) : l.filter;
            try {
                gis::checkAttributeFilter(v.filter);
            } catch (const InputError& e) {
                fail(t.get("filter"), v.line, vw + ": " + e.what());
            }
            v.encoding = t.get("encoding") ? text(t, "encoding", false, vw) : l.encoding;
            v.crs = t.get("crs") ? text(t, "crs", false, vw) : l.crs;
            if (!v.crs.empty() && !gis::parseWebMapDatum(v.crs)) {
                try {
                    (void)gis::Crs::fromUserInput(v.crs);
                } catch (const InputError& e) {
                    fail(t.get("crs"), v.line, vw + ": " + e.what());
                }
            }
            v.doc = text(t, "doc", false, vw);
            if (!out.empty() && v.from <= out.back().from)
                fail(t.get("from"), v.line,
                     vw +
                         ": dates must ascend, each after the one before (the previous version "
                         "is from " +
                         out.back().from + ", line " + std::to_string(out.back().line) + ")");
            out.push_back(std::move(v));
        }
        return out;
    }

    ParamValue param(const toml::node& n, const ParamSpec& spec, const std::string& where,
                     int line) const {
        const std::string what = where + ": parameter '" + spec.name + "'";
        switch (spec.type) {
            case ParamType::Number:
                if (!n.is_number()) fail(&n, line, what + " must be a number");
                if (!std::isfinite(*n.value<double>()))
                    fail(&n, line, what + " must be a finite number");
                return *n.value<double>();
            case ParamType::Table: {
                if (!n.is_table())
                    fail(&n, line,
                         what + " must be a table like { site = \"...\", layer = \"...\" }");
                std::map<std::string, std::string> m;
                for (const auto& [k, v] : *n.as_table()) {
                    if (!v.is_string())
                        fail(&v, line, what + ": '" + std::string(k.str()) + "' must be text");
                    m[std::string(k.str())] = *v.value<std::string>();
                }
                return m;
            }
            case ParamType::Text:
            case ParamType::Layer:
            case ParamType::Field:
                if (n.is_string()) return *n.value<std::string>();
                if (spec.type == ParamType::Text && n.is_number()) {
                    if (!std::isfinite(*n.value<double>()))
                        fail(&n, line, what + " must be a finite number");
                    return *n.value<double>();
                }
                if (spec.type == ParamType::Text && n.is_boolean()) return *n.value<bool>();
                fail(&n, line, what + " must be text");
        }
        fail(&n, line, what + ": unsupported type");
    }

    RuleSpec rule(const toml::table& t, const std::vector<LayerSpec>& layers) const {
        const int line = lineOf(t);
        RuleSpec r;
        r.line = line;
        r.id = text(t, "id", true, "rule");
        const std::string where = "rule '" + r.id + "'";
        if (!validId(r.id))
            fail(t.get("id"), line, where + ": id must be lower-case letters, digits, '_' or '-'");
        r.title = text(t, "title", true, where);
        r.kind = text(t, "kind", true, where);
        const RuleKind* kind = RuleRegistry::instance().find(r.kind);
        if (!kind) {
            std::string list;
            for (const auto& n : RuleRegistry::instance().names())
                list += (list.empty() ? "" : ", ") + n;
            fail(t.get("kind"), line,
                 where + ": unknown kind '" + r.kind + "' (known: " + list + ")");
        }
        const std::string severity = text(t, "severity", false, where);
        if (severity == "warning")
            r.severity = Severity::Warning;
        else if (!severity.empty() && severity != "error")
            fail(t.get("severity"), line, where + ": severity must be \"error\" or \"warning\"");

        std::set<std::string> allowed{"id", "title", "kind", "severity"};
        for (const auto& p : kind->params) allowed.insert(p.name);
        allowOnly(t, allowed, where + " (" + r.kind + ")");
        for (const auto& p : kind->params) {
            const toml::node* n = t.get(p.name);
            if (!n) {
                if (p.required)
                    fail(&t, line, where + ": missing parameter '" + p.name + "' (" + p.help + ")");
                if (p.defaultValue) r.params[p.name] = *p.defaultValue;
                continue;
            }
            ParamValue v = param(*n, p, where, line);
            if (p.check) {
                if (const std::string problem = p.check(v); !problem.empty())
                    fail(n, line, where + ": parameter '" + p.name + "' " + problem);
            }
            if (p.type == ParamType::Layer) {
                const auto& id = std::get<std::string>(v);
                const bool found = std::any_of(layers.begin(), layers.end(),
                                               [&](const auto& l) { return l.id == id; });
                if (!found)
                    fail(n, line,
                         where + ": names layer '" + id + "', which the plan does not have");
            }
            r.params[p.name] = std::move(v);
        }
        return r;
    }

    Plan plan(const std::string& content) const {
        toml::table root;
        try {
            root = toml::parse(content, path_);
        } catch (const toml::parse_error& e) {
            throw InputError(path_ + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
        }
        allowOnly(root, {"name", "crs", "description", "attribution", "layers", "rules"}, "plan");
        Plan p;
        p.path = path_;
        p.text = content;
        p.name = text(root, "name", true, "plan");
        p.description = text(root, "description", false, "plan");
        p.attribution = text(root, "attribution", false, "plan");
        p.crsText = text(root, "crs", true, "plan");
        try {
            p.crs = gis::Crs::fromUserInput(p.crsText);
        } catch (const InputError& e) {
            fail(root.get("crs"), 1, std::string("plan: ") + e.what());
        }
        if (!p.crs.isProjected())
            fail(root.get("crs"), 1,
                 "plan: crs " + p.crsText + " is not projected; the working CRS must be in metres");
        if (!p.crs.isMetric())
            fail(root.get("crs"), 1,
                 "plan: crs " + p.crsText + " (" + p.crs.name() +
                     ") is not in metres; areas would be wrong: use a metric CRS such as "
                     "EPSG:4549");

        const toml::node* layers = root.get("layers");
        if (!layers || !layers->is_array_of_tables() || layers->as_array()->empty())
            fail(layers, 1, "plan: needs at least one [[layers]] table");
        std::set<std::string> ids;
        for (const auto& n : *layers->as_array()) {
            LayerSpec l = layer(*n.as_table());
            if (!ids.insert(l.id).second) fail(&n, l.line, "layer '" + l.id + "': id used twice");
            p.layers.push_back(std::move(l));
        }
        if (std::count_if(p.layers.begin(), p.layers.end(),
                          [](const auto& l) { return l.role == "admin"; }) > 1)
            fail(layers, 1, "plan: only one layer may have role = \"admin\"");

        if (const toml::node* rules = root.get("rules")) {
            if (!rules->is_array_of_tables())
                fail(rules, 1, "plan: 'rules' must be [[rules]] tables");
            std::set<std::string> ruleIds;
            for (const auto& n : *rules->as_array()) {
                RuleSpec r = rule(*n.as_table(), p.layers);
                if (!ruleIds.insert(r.id).second)
                    fail(&n, r.line, "rule '" + r.id + "': id used twice");
                p.rules.push_back(std::move(r));
            }
        }
        return p;
    }

  private:
    std::string path_;
};

}  // namespace

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
    Plan declared = PlanReader(path).plan(text);
    declared.declaredLayers_ = declared.layers;
    declared.declaredRules_ = declared.rules;
    return declared.inForceOn(todayDate(), "today's date");
}

Plan Plan::inForceOn(const std::string& date, const std::string& what) const {
    if (!isIsoDate(date))
        throw InputError(what + ": '" + date + "' is not a date; write YYYY-MM-DD");
    Plan p = *this;
    p.asOf = date;
    p.layers.clear();
    p.rules.clear();
    p.notes.clear();
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
            continue;
        }
        p.rules.push_back(r);
    }
    return p;  // possibly without layers: OneMap::load says so, after --as-of had its say
}

bool Plan::hasVersions() const {
    return std::any_of(declaredLayers_.begin(), declaredLayers_.end(), [](const LayerSpec& l) {
        return !l.versions.empty() || !l.dateField.empty();
    });
}

std::string todayDate() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
    return buf;
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

}  // namespace onemap::core
