#pragma once
// The plan file: one "one map" (一张图) — its layers and its rules — read from TOML.
// Parsing validates everything it can without opening data; errors name file:line. A Plan is
// a value: its owner may read it from any thread; RuleRegistry is read-only (any thread).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/raster/density_kernel.hpp"

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

/// One version of a layer's data, in force from `from` until the next version's `from`
/// (a revised development boundary, an adjusted farmland layer).
struct LayerVersion {
    std::string from;    ///< YYYY-MM-DD, the first day in force
    std::string source;  ///< resolved like a layer's source
    std::string table;
    std::string filter;
    std::string encoding;
    std::string crs;
    std::string doc;  ///< the approving document, "" if not given
    int line = 0;     ///< where it is declared in the plan file
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
    /// A text field of YYYY-MM-DD dates (the register's "approved"): on a day, only the
    /// features dated that day or before are in force; a record without a real date is an
    /// error naming it. "" = every feature, always.
    std::string dateField;
    bool visible = true;
    /// `public = false`: the layer's geometry (tiles, identify, exports, conflict areas) is not
    /// shown to the public role of `onemap serve`; verdicts on it still are.
    bool isPublic = true;
    LayerStyle style;
    int line = 0;  ///< where it is declared in the plan file
    /// Versions by ascending date; empty = always in force. In a plan taken on a date
    /// (Plan::load, Plan::inForceOn) source, table, filter, encoding and crs are the version's
    /// in force that day, and `inForce` holds it (empty for an unversioned layer).
    std::vector<LayerVersion> versions;
    std::optional<LayerVersion> inForce;
};

enum class Severity { Error, Warning };

/// How two layers of a plan must stand to each other ([[consistency]], 三线冲突检测).
enum class Relation {
    Disjoint,  ///< no feature of a may overlap a feature of b by more than the tolerance
    Within,    ///< each feature of a lies inside b, up to the tolerance outside it
};

/// One [[consistency]] entry: a pair of layers `onemap validate` checks against each other
/// (permanent farmland outside the development boundary, approved projects inside it).
struct ConsistencySpec {
    std::string id;
    std::string title;
    std::string a;  ///< layer ids
    std::string b;
    Relation relation = Relation::Disjoint;
    double toleranceM2 = 0;  ///< per pair of features (disjoint) or per feature of a (within)
    int line = 0;
};

/// One [[heatmaps]] entry: a kernel density of one of the plan's point layers (公共服务热力
/// 分布图), drawn on request by `onemap render --heatmap`, `onemap heat --heatmap` and the viewer
/// (core::PlanHeatmap computes it; docs/heat.md).
struct HeatmapSpec {
    std::string id;
    std::string title;
    std::string layer;       ///< the layer whose points are counted
    std::string where;       ///< an attribute filter on it (SQL), "" = every feature
    std::string weight;      ///< a numeric field, "" = every point weighs 1
    bool centroids = false;  ///< lines and polygons count at their centroids
    gis::Kernel kernel = gis::Kernel::Quartic;
    std::optional<double> radius;  ///< metres; nullopt = the spatial Silverman rule
    std::optional<double> cell;    ///< metres; nullopt = the extent's shorter side / 250
    std::string ramp = "heat";     ///< a name of gis::rampStops
    double opacity = 0.85;         ///< of the heat under the layers, in [0, 1]
    int line = 0;                  ///< where it is declared in the plan file
};

/// The language a plan's reports are written in. Chinese first: the default of every plan.
enum class Lang { Zh, En };

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
    Lang language = Lang::Zh;  ///< the language of its reports (`language = "zh"|"en"`)
    gis::Crs crs;
    std::string crsText;            ///< as written, e.g. "EPSG:4549"
    std::string path;               ///< the plan file ("" when parsed from text)
    std::string text;               ///< the file's content, kept for the audit trail
    std::vector<LayerSpec> layers;  ///< in force on `asOf`, in file order
    std::vector<RuleSpec> rules;    ///< those whose layers are all in force on `asOf`
    /// The [[consistency]] entries whose two layers are in force on `asOf`, in file order.
    std::vector<ConsistencySpec> consistency;
    /// The [[heatmaps]] whose layer is in force on `asOf`, in file order.
    std::vector<HeatmapSpec> heatmaps;
    std::string asOf;  ///< the day the layers are taken on (YYYY-MM-DD)
    /// Layers not in force that day, and the rules left out with them: one line each.
    std::vector<std::string> notes;
    /// The same as data: layers with no version in force on `asOf` (as declared), and the rules
    /// reading them, each with the layer it misses. A check reports those rules not checked.
    std::vector<LayerSpec> layersNotInForce;
    std::vector<std::pair<RuleSpec, std::string>> rulesNotInForce;

    /// Reads and validates a plan file, taken on today's date. Throws InputError
    /// "file:line: message".
    static Plan load(const std::string& path);
    /// Parses plan text; `path` names it in messages and anchors relative sources.
    static Plan parse(const std::string& text, const std::string& path);
    /// The same plan taken on `date` (YYYY-MM-DD; InputError naming `what` otherwise): each
    /// versioned layer in its version in force that day; a layer before its first version is
    /// left out, with every rule that uses it, and `notes` says so.
    [[nodiscard]] Plan inForceOn(const std::string& date,
                                 const std::string& what = "--as-of") const;
    /// True when some layer has versions or a date field: then outputs name the day and the
    /// versions they used.
    [[nodiscard]] bool hasVersions() const;
    /// Every layer as declared, whatever the day (versioned ones with their versions).
    [[nodiscard]] const std::vector<LayerSpec>& declaredLayers() const { return declaredLayers_; }

    [[nodiscard]] const LayerSpec* layer(const std::string& id) const;
    [[nodiscard]] const RuleSpec* rule(const std::string& id) const;
    [[nodiscard]] const HeatmapSpec* heatmap(const std::string& id) const;
    [[nodiscard]] const LayerSpec* adminLayer() const;
    /// Every file this plan reads: the plan file and each layer source (connection strings
    /// included; callers skip what is not a file). Outputs may never be one of them.
    [[nodiscard]] std::vector<std::string> files() const;

  private:
    // Everything as declared, whatever the date: what inForceOn() starts from.
    std::vector<LayerSpec> declaredLayers_;
    std::vector<RuleSpec> declaredRules_;
    std::vector<ConsistencySpec> declaredConsistency_;
    std::vector<HeatmapSpec> declaredHeatmaps_;
};

/// True for a real calendar date written YYYY-MM-DD.
[[nodiscard]] bool isIsoDate(const std::string& text);

/// The bundled G60 one map: $ONEMAP_SAMPLE_PLAN if set, else the sample-data/g60.toml
/// this build was made from, else the installed copy.
std::string defaultPlanPath();
/// The bundled sample sites next to the default plan.
std::string defaultSitesPath();

[[nodiscard]] const char* toString(Severity s);
/// "disjoint" or "within", as the plan file writes it.
[[nodiscard]] const char* toString(Relation r);

/// "zh" or "en".
[[nodiscard]] const char* toString(Lang lang);
/// "zh" / "en" (also "zh-CN", "cn", "en-US"…); InputError naming `where` otherwise.
[[nodiscard]] Lang parseLang(std::string_view text, const std::string& where);

}  // namespace onemap::core
