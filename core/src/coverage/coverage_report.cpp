// A service coverage as text (Chinese labels), JSON, CSV and a layer of uncovered cells.
#include "onemap/core/coverage/coverage_report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::core {
namespace {

bool isWhole(double v) { return std::floor(v) == v && std::fabs(v) < 9e15; }

// "1234567" or "1234.5" (shortest exact decimal for counts that are not whole).
std::string plain(double v) {
    char buf[64];
    if (isWhole(v))
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// "1,234,567" for the text tables.
std::string grouped(double v) {
    std::string digits = plain(v);
    const auto dot = digits.find('.');
    const std::string tail = dot == std::string::npos ? "" : digits.substr(dot);
    digits = digits.substr(0, dot);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out + tail;
}

std::string metres(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string percent(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
    return buf;
}

// The row's role and the name a reader sees.
bool isOutside(const UnitCoverage& u) { return u.name == CoverageResult::kOutsideUnit; }
bool isTotal(const UnitCoverage& u, const CoverageResult& r) { return &u == &r.units.back(); }
std::string zhName(const UnitCoverage& u, const CoverageResult& r) {
    if (isTotal(u, r)) return "合计";
    if (isOutside(u)) return "单元之外";
    return u.name;
}
std::string role(const UnitCoverage& u, const CoverageResult& r) {
    return isTotal(u, r) ? "total" : isOutside(u) ? "outside" : "unit";
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::string coverageText(const CoverageResult& r) {
    std::ostringstream out;
    const bool network = r.mode == DistanceMode::Network;
    out << "公共服务覆盖 (" << (network ? "沿街步行距离" : "直线距离")
        << "; 人口网格按中心点计: 中心点在设施的距离层级之内即为覆盖)\n";
    out << "设施 " << r.facilities << " 处, 人口网格 " << r.cells << " 个; 距离层级:";
    for (const double t : r.tiers) out << " " << metres(t) << " m";
    out << "\n";
    if (network && r.offNetworkCells)
        out << "离街网过远 (最近节点超过最大层级) 的人口网格 " << r.offNetworkCells
            << " 个, 计为未覆盖\n";
    for (const auto& u : r.units) {
        const double residents = u.kinds.empty() || u.kinds.front().tiers.empty()
                                     ? 0
                                     : u.kinds.front().tiers.front().residents;
        out << "\n"
            << zhName(u, r) << " (人口网格 " << u.cells << " 个, 人口 " << grouped(residents)
            << " 人)\n";
        // Columns aligned in a terminal (Chinese characters are two columns wide); a tab
        // would be shown escaped by a terminal-safe writer.
        std::vector<std::array<std::string, 5>> rows{
            {"类别", "距离", "覆盖人口", "覆盖率", "未覆盖人口"}};
        for (const auto& k : u.kinds)
            for (const auto& t : k.tiers)
                rows.push_back({k.kind == "all" ? "全部设施" : k.kind, metres(t.tier) + " m",
                                grouped(t.covered), percent(t.share()),
                                grouped(t.residents - t.covered)});
        std::array<std::size_t, 5> width{};
        for (const auto& row : rows)
            for (std::size_t c = 0; c < row.size(); ++c)
                width[c] = std::max(width[c], gis::displayWidth(row[c]));
        for (const auto& row : rows) {
            std::string line = " ";
            for (std::size_t c = 0; c < row.size(); ++c)
                line += " " + gis::padToWidth(row[c], width[c], /*right=*/c > 0);
            out << line << "\n";
        }
    }
    return out.str();
}

std::string coverageJson(const CoverageResult& r) {
    nlohmann::ordered_json j;
    j["distance"] = toString(r.mode);
    j["tiers_m"] = r.tiers;
    j["kinds"] = r.kinds;
    j["facilities"] = r.facilities;
    j["cells"] = r.cells;
    if (r.mode == DistanceMode::Network) j["off_network_cells"] = r.offNetworkCells;
    auto& units = j["units"] = nlohmann::ordered_json::array();
    for (const auto& u : r.units) {
        nlohmann::ordered_json ju;
        ju["name"] = u.name;
        ju["role"] = role(u, r);
        ju["cells"] = u.cells;
        auto& kinds = ju["kinds"] = nlohmann::ordered_json::array();
        for (const auto& k : u.kinds) {
            nlohmann::ordered_json jk;
            jk["kind"] = k.kind;
            auto& tiers = jk["tiers"] = nlohmann::ordered_json::array();
            for (const auto& t : k.tiers)
                tiers.push_back({{"tier_m", t.tier},
                                 {"residents", t.residents},
                                 {"covered", t.covered},
                                 {"share", t.share()}});
            kinds.push_back(std::move(jk));
        }
        units.push_back(std::move(ju));
    }
    j["uncovered_cells"] = r.uncovered.size();
    return j.dump(2) + "\n";
}

std::string coverageCsv(const CoverageResult& r) {
    std::ostringstream out;
    out << "unit,role,kind,tier_m,residents,covered,share,distance\n";
    for (const auto& u : r.units)
        for (const auto& k : u.kinds)
            for (const auto& t : k.tiers) {
                char share[32];
                std::snprintf(share, sizeof share, "%.6f", t.share());
                out << csvField(u.name) << "," << role(u, r) << "," << csvField(k.kind) << ","
                    << metres(t.tier) << "," << plain(t.residents) << "," << plain(t.covered) << ","
                    << share << "," << toString(r.mode) << "\n";
            }
    return out.str();
}

gis::VectorLayer uncoveredLayer(const CoverageResult& r, const gis::Crs& crs) {
    gis::VectorLayer layer;
    layer.name = "uncovered";
    layer.crs = crs;
    layer.geometryType = "Point";
    bool whole = true;
    for (const auto& c : r.uncovered) whole = whole && isWhole(c.residents);
    layer.fields = {{"cell_fid", gis::FieldType::Integer},
                    {"pop", whole ? gis::FieldType::Integer : gis::FieldType::Real},
                    {"unit", gis::FieldType::String},
                    {"kind", gis::FieldType::String},
                    {"tier_m", gis::FieldType::Real},
                    {"nearest_m", gis::FieldType::Real},
                    {"distance", gis::FieldType::String}};
    std::int64_t fid = 0;
    for (const auto& c : r.uncovered) {
        gis::Feature f;
        f.fid = ++fid;
        f.values = {
            c.fid,
            whole ? gis::Value(static_cast<std::int64_t>(c.residents)) : gis::Value(c.residents),
            zhName(r.units.at(c.unit), r),
            r.kinds.at(c.kind),
            r.tiers.back(),
            std::isfinite(c.nearest) ? gis::Value(c.nearest) : gis::Value(),
            std::string(toString(r.mode))};
        f.geometry = gis::Geometry::point(c.x, c.y);
        layer.features.push_back(std::move(f));
    }
    return layer;
}

}  // namespace onemap::core
