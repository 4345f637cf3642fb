#pragma once
// The plan file: one "one map" (一张图) — its layers and its rules — read from TOML.
// Parsing validates everything it can without opening data; errors name file:line.
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "onemap/gis/crs.hpp"

namespace onemap::core {

struct LayerStyle {
    std::string fill;  ///< "#rrggbb[aa]", "none" or "" (default by role)
    std::string stroke;
    double strokeWidth = -1;  ///< px; < 0 = default
    double opacity = 1.0;
    std::string dash;       ///< "solid", "dash", "dot" or ""
    std::string hatch;      ///< "", "diagonal", "cross"
    double pointSize = -1;  ///< px; < 0 = default
};

struct LayerSpec {
    std::string id;
    std::string title;
    std::string source;  ///< resolved: absolute path, or a GDAL connection string
    std::string table;
    std::string role;     ///< "" or "admin"
    std::string label;    ///< label field
    std::string idField;  ///< feature id field ("" = fid)
    std::string filter;
    std::string encoding;
    std::string crs;  ///< CRS to assume when the source has none
    bool visible = true;
    LayerStyle style;
    int line = 0;  ///< where it is declared in the plan file
};

enum class Severity { Error, Warning };

/// A rule parameter as written in the plan: a number, text, a flag or a small table.
using ParamValue = std::variant<double, std::string, bool, std::map<std::string, std::string>>;

struct RuleSpec {
    std::string id;
    std::string title;
    std::string kind;
    Severity severity = Severity::Error;
    std::map<std::string, ParamValue> params;  ///< validated against the kind; defaults filled in
    int line = 0;

    [[nodiscard]] double number(const std::string& name) const;
    [[nodiscard]] std::string text(const std::string& name) const;  ///< "" if absent
    [[nodiscard]] bool has(const std::string& name) const { return params.count(name) > 0; }
};

class Plan {
  public:
    std::string name;
    std::string description;
    std::string attribution;
    gis::Crs crs;
    std::string crsText;  ///< as written, e.g. "EPSG:4549"
    std::string path;     ///< the plan file ("" when parsed from text)
    std::string text;     ///< the file's content, kept for the audit trail
    std::vector<LayerSpec> layers;
    std::vector<RuleSpec> rules;

    /// Reads and validates a plan file. Throws InputError "file:line: message".
    static Plan load(const std::string& path);
    /// Parses plan text; `path` names it in messages and anchors relative sources.
    static Plan parse(const std::string& text, const std::string& path);

    [[nodiscard]] const LayerSpec* layer(const std::string& id) const;
    [[nodiscard]] const RuleSpec* rule(const std::string& id) const;
    [[nodiscard]] const LayerSpec* adminLayer() const;
    /// Every file this plan reads: the plan file and each layer source (connection strings
    /// included; callers skip what is not a file). Outputs may never be one of them.
    [[nodiscard]] std::vector<std::string> files() const;
};

/// The bundled G60 one map: $ONEMAP_SAMPLE_PLAN if set, else the sample-data/g60.toml
/// this build was made from, else the installed copy.
std::string defaultPlanPath();
/// The bundled sample sites next to the default plan.
std::string defaultSitesPath();

[[nodiscard]] const char* toString(Severity s);

}  // namespace onemap::core
