#include "plan/plan_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/web_map_datum.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/raster/colour_ramps.hpp"
#include "plan/toml_reader.hpp"

namespace onemap::core {
namespace fs = std::filesystem;
namespace {

// Every message is "file:line: what", the one line a planner needs to find the fault.
class PlanReader : public TomlReader {
  public:
    using TomlReader::TomlReader;

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
        if (p.is_relative() && !path().empty()) p = fs::path(path()).parent_path() / p;
        return p.lexically_normal().string();
    }

    // A layer's or a version's filter and CRS, checked before any data is opened.
    void checkFilter(const toml::table& t, int line, const std::string& where,
                     const std::string& filter) const {
        try {
            gis::checkAttributeFilter(filter);
        } catch (const InputError& e) {
            fail(t.get("filter"), line, where + ": " + e.what());
        }
    }

    void checkCrs(const toml::table& t, int line, const std::string& where,
                  const std::string& crs) const {
        if (crs.empty() || gis::parseWebMapDatum(crs)) return;
        try {
            (void)gis::Crs::fromUserInput(crs);
        } catch (const InputError& e) {
            fail(t.get("crs"), line, where + ": " + e.what());
        }
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
                   "encoding", "crs", "visible", "public", "style", "versions", "date_field"},
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
        checkFilter(t, line, where, l.filter);
        l.encoding = text(t, "encoding", false, where);
        l.crs = text(t, "crs", false, where);
        checkCrs(t, line, where, l.crs);
        if (const toml::node* v = t.get("visible")) {
            if (!v->is_boolean()) fail(v, line, where + ": 'visible' must be true or false");
            l.visible = *v->value<bool>();
        }
        if (const toml::node* v = t.get("public")) {
            if (!v->is_boolean()) fail(v, line, where + ": 'public' must be true or false");
            l.isPublic = *v->value<bool>();
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
            checkFilter(t, v.line, vw, v.filter);
            v.encoding = t.get("encoding") ? text(t, "encoding", false, vw) : l.encoding;
            v.crs = t.get("crs") ? text(t, "crs", false, vw) : l.crs;
            checkCrs(t, v.line, vw, v.crs);
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
        const RuleKind& kind = kindOf(t, r, where);
        const std::string severity = text(t, "severity", false, where);
        if (severity == "warning")
            r.severity = Severity::Warning;
        else if (!severity.empty() && severity != "error")
            fail(t.get("severity"), line, where + ": severity must be \"error\" or \"warning\"");

        std::set<std::string> allowed{"id", "title", "kind", "severity"};
        for (const auto& p : kind.params) allowed.insert(p.name);
        allowOnly(t, allowed, where + " (" + r.kind + ")");
        readParams(t, kind, layers, where, r);
        return r;
    }

    const RuleKind& kindOf(const toml::table& t, const RuleSpec& r,
                           const std::string& where) const {
        const RuleKind* kind = RuleRegistry::instance().find(r.kind);
        if (!kind) {
            std::string list;
            for (const auto& n : RuleRegistry::instance().names())
                list += (list.empty() ? "" : ", ") + n;
            fail(t.get("kind"), r.line,
                 where + ": unknown kind '" + r.kind + "' (known: " + list + ")");
        }
        return *kind;
    }

    // The kind's parameters: required ones present, each of its type and passing its check,
    // layers named that the plan has; defaults filled in.
    void readParams(const toml::table& t, const RuleKind& kind,
                    const std::vector<LayerSpec>& layers, const std::string& where,
                    RuleSpec& r) const {
        const int line = r.line;
        for (const auto& p : kind.params) {
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
    }

    Plan plan(const std::string& content) const {
        const toml::table root = parse(content);
        allowOnly(root,
                  {"name", "crs", "description", "attribution", "language", "layers", "rules",
                   "consistency", "heatmaps"},
                  "plan");
        Plan p;
        p.path = path();
        p.text = content;
        p.name = text(root, "name", true, "plan");
        p.description = text(root, "description", false, "plan");
        p.attribution = text(root, "attribution", false, "plan");
        if (const std::string lang = text(root, "language", false, "plan"); !lang.empty()) {
            try {
                p.language = parseLang(lang, "plan");
            } catch (const InputError& e) {
                fail(root.get("language"), 1, e.what());
            }
        }
        p.crsText = text(root, "crs", true, "plan");
        p.crs = workingCrs(root, p.crsText);
        p.layers = readLayers(root);
        if (const toml::node* rules = root.get("rules")) p.rules = readRules(*rules, p.layers);
        if (const toml::node* c = root.get("consistency"))
            p.consistency = readConsistency(*c, p.layers);
        if (const toml::node* h = root.get("heatmaps")) p.heatmaps = readHeatmaps(*h, p.layers);
        return p;
    }

    // The plan's CRS: projected, in metres.
    gis::Crs workingCrs(const toml::table& root, const std::string& crsText) const {
        gis::Crs crs;
        try {
            crs = gis::Crs::fromUserInput(crsText);
        } catch (const InputError& e) {
            fail(root.get("crs"), 1, std::string("plan: ") + e.what());
        }
        if (!crs.isProjected())
            fail(root.get("crs"), 1,
                 "plan: crs " + crsText + " is not projected; the working CRS must be in metres");
        if (!crs.isMetric())
            fail(root.get("crs"), 1,
                 "plan: crs " + crsText + " (" + crs.name() +
                     ") is not in metres; areas would be wrong: use a metric CRS such as "
                     "EPSG:4549");
        return crs;
    }

    std::vector<LayerSpec> readLayers(const toml::table& root) const {
        const toml::node* layers = root.get("layers");
        if (!layers || !layers->is_array_of_tables() || layers->as_array()->empty())
            fail(layers, 1, "plan: needs at least one [[layers]] table");
        std::vector<LayerSpec> out;
        std::set<std::string> ids;
        for (const auto& n : *layers->as_array()) {
            LayerSpec l = layer(*n.as_table());
            if (!ids.insert(l.id).second) fail(&n, l.line, "layer '" + l.id + "': id used twice");
            out.push_back(std::move(l));
        }
        if (std::count_if(out.begin(), out.end(), [](const auto& l) { return l.role == "admin"; }) >
            1)
            fail(layers, 1, "plan: only one layer may have role = \"admin\"");
        return out;
    }

    // [[consistency]]: pairs of layers validate checks against each other.
    ConsistencySpec consistency(const toml::table& t, const std::vector<LayerSpec>& layers) const {
        ConsistencySpec c;
        c.line = lineOf(t);
        c.id = text(t, "id", true, "consistency");
        const std::string where = "consistency '" + c.id + "'";
        if (!validId(c.id))
            fail(t.get("id"), c.line,
                 where + ": id must be lower-case letters, digits, '_' or '-'");
        allowOnly(t, {"id", "title", "a", "b", "relation", "tolerance_m2"}, where);
        c.title = text(t, "title", true, where);
        for (const auto& [key, id] : {std::pair{"a", &c.a}, std::pair{"b", &c.b}}) {
            const std::string named = *id = text(t, key, true, where);
            const bool found = std::any_of(layers.begin(), layers.end(),
                                           [&named](const auto& l) { return l.id == named; });
            if (!found)
                fail(t.get(key), c.line,
                     where + ": '" + key + "' names layer '" + *id +
                         "', which the plan does not have");
        }
        if (c.a == c.b)
            fail(t.get("b"), c.line,
                 where + ": 'a' and 'b' are both layer '" + c.a +
                     "' (overlaps within a layer are what validate checks of every layer)");
        const std::string relation = text(t, "relation", true, where);
        if (relation == "disjoint")
            c.relation = Relation::Disjoint;
        else if (relation == "within")
            c.relation = Relation::Within;
        else
            fail(t.get("relation"), c.line,
                 where + ": unknown relation '" + relation + "' (known: disjoint, within)");
        c.toleranceM2 = number(t, "tolerance_m2", where).value_or(0);
        if (c.toleranceM2 < 0)
            fail(t.get("tolerance_m2"), c.line, where + ": 'tolerance_m2' must be ≥ 0 (m²)");
        return c;
    }

    std::vector<ConsistencySpec> readConsistency(const toml::node& n,
                                                 const std::vector<LayerSpec>& layers) const {
        if (!n.is_array_of_tables())
            fail(&n, 1, "plan: 'consistency' must be [[consistency]] tables");
        std::vector<ConsistencySpec> out;
        std::set<std::string> ids;
        for (const auto& item : *n.as_array()) {
            ConsistencySpec c = consistency(*item.as_table(), layers);
            if (!ids.insert(c.id).second)
                fail(&item, c.line, "consistency '" + c.id + "': id used twice");
            out.push_back(std::move(c));
        }
        return out;
    }

    // [[heatmaps]]: kernel densities of a layer's points, drawn on request (docs/heat.md).
    HeatmapSpec heatmap(const toml::table& t, const std::vector<LayerSpec>& layers) const {
        HeatmapSpec h;
        h.line = lineOf(t);
        h.id = text(t, "id", true, "heatmap");
        const std::string where = "heatmap '" + h.id + "'";
        if (!validId(h.id))
            fail(t.get("id"), h.line,
                 where + ": id must be lower-case letters, digits, '_' or '-'");
        allowOnly(t,
                  {"id", "title", "layer", "where", "weight", "centroids", "kernel", "radius",
                   "cell", "ramp", "opacity"},
                  where);
        h.layer = text(t, "layer", true, where);
        const auto layer = std::find_if(layers.begin(), layers.end(),
                                        [&h](const auto& l) { return l.id == h.layer; });
        if (layer == layers.end())
            fail(t.get("layer"), h.line,
                 where + ": names layer '" + h.layer + "', which the plan does not have");
        h.title = text(t, "title", false, where);
        if (h.title.empty()) h.title = layer->title + " 核密度";
        h.where = text(t, "where", false, where);
        if (!h.where.empty()) try {
                gis::checkAttributeFilter(h.where);
            } catch (const InputError& e) {
                fail(t.get("where"), h.line, where + ": " + e.what());
            }
        h.weight = text(t, "weight", false, where);
        if (const toml::node* v = t.get("centroids")) {
            if (!v->is_boolean()) fail(v, h.line, where + ": 'centroids' must be true or false");
            h.centroids = *v->value<bool>();
        }
        if (const std::string kernel = text(t, "kernel", false, where); !kernel.empty()) {
            const auto parsed = gis::parseKernel(kernel);
            if (!parsed)
                fail(t.get("kernel"), h.line,
                     where + ": kernel '" + kernel + "' is not " + gis::kernelNames());
            h.kernel = *parsed;
        }
        for (const auto& [key, value] :
             {std::pair{"radius", &h.radius}, std::pair{"cell", &h.cell}}) {
            *value = number(t, key, where);
            if (*value && !(**value > 0))
                fail(t.get(key), h.line,
                     where + ": '" + key + "' must be a positive number of metres");
        }
        if (const std::string ramp = text(t, "ramp", false, where); !ramp.empty()) {
            if (!gis::rampStops(ramp))
                fail(t.get("ramp"), h.line,
                     where + ": ramp '" + ramp + "' is not " + gis::rampNames());
            h.ramp = ramp;
        }
        h.opacity = number(t, "opacity", where).value_or(h.opacity);
        if (h.opacity < 0 || h.opacity > 1)
            fail(t.get("opacity"), h.line, where + ": 'opacity' must be in [0, 1]");
        return h;
    }

    std::vector<HeatmapSpec> readHeatmaps(const toml::node& n,
                                          const std::vector<LayerSpec>& layers) const {
        if (!n.is_array_of_tables()) fail(&n, 1, "plan: 'heatmaps' must be [[heatmaps]] tables");
        std::vector<HeatmapSpec> out;
        std::set<std::string> ids;
        for (const auto& item : *n.as_array()) {
            HeatmapSpec h = heatmap(*item.as_table(), layers);
            if (!ids.insert(h.id).second)
                fail(&item, h.line, "heatmap '" + h.id + "': id used twice");
            out.push_back(std::move(h));
        }
        return out;
    }

    std::vector<RuleSpec> readRules(const toml::node& rules,
                                    const std::vector<LayerSpec>& layers) const {
        if (!rules.is_array_of_tables()) fail(&rules, 1, "plan: 'rules' must be [[rules]] tables");
        std::vector<RuleSpec> out;
        std::set<std::string> ruleIds;
        for (const auto& n : *rules.as_array()) {
            RuleSpec r = rule(*n.as_table(), layers);
            if (!ruleIds.insert(r.id).second)
                fail(&n, r.line, "rule '" + r.id + "': id used twice");
            out.push_back(std::move(r));
        }
        return out;
    }
};

}  // namespace

Plan readPlan(const std::string& content, const std::string& path) {
    return PlanReader(path).plan(content);
}

}  // namespace onemap::core
