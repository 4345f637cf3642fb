#include "onemap/render/style.hpp"

namespace onemap::render {

QColor verdictColour(core::Verdict v) {
    switch (v) {
        case core::Verdict::Pass:
            return QColor(26, 152, 80);
        case core::Verdict::Warn:
            return QColor(245, 140, 30);
        case core::Verdict::Unchecked:
            return QColor(110, 110, 110);
        default:
            return QColor(215, 25, 28);
    }
}

QColor gainedColour() { return QColor(26, 152, 80); }

QColor lostColour() { return QColor(215, 25, 28); }

QColor parseColour(const std::string& t) {
    if ((t.size() != 7 && t.size() != 9) || t[0] != '#') return {};
    bool ok = false;
    const unsigned v = QString::fromStdString(t.substr(1)).toUInt(&ok, 16);
    if (!ok) return {};
    if (t.size() == 7) return QColor((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF);
    return QColor((v >> 24) & 0xFF, (v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF);
}

namespace {

bool has(const core::LayerSpec& l, const char* id, const char* title) {
    return l.id.find(id) != std::string::npos || l.title.find(title) != std::string::npos;
}

struct Defaults {
    const char* fill;
    const char* stroke;
    double width;
    const char* dash;
    const char* hatch;
};

Defaults defaultsFor(const core::LayerSpec& l) {
    if (l.role == "admin" || has(l, "city", "城市")) return {"#f7f4ec", "#6b6b6b", 1.5, "", ""};
    if (has(l, "farm", "农田")) return {"#f2d96b", "#b89b2a", 0.3, "", ""};
    if (has(l, "red", "红线")) return {"#e8505b40", "#d7191c", 1.2, "", "diagonal"};
    if (has(l, "dev", "开发边界")) return {"none", "#7b3294", 1.4, "dash", ""};
    if (has(l, "park", "园区")) return {"#9ecae1", "#2171b5", 0.8, "", ""};
    if (has(l, "rail", "铁路")) return {"", "#252525", 2.0, "", ""};
    if (has(l, "axis", "轴线")) return {"", "#e6550d", 4.0, "", ""};
    if (has(l, "station", "站")) return {"#ffffff", "#252525", 1.2, "", ""};
    return {"#cccccc", "#555555", 0.8, "", ""};
}

}  // namespace

ResolvedStyle resolveStyle(const core::LayerSpec& l) {
    const Defaults d = defaultsFor(l);
    const core::LayerStyle& s = l.style;
    ResolvedStyle r;
    const std::string fill = s.fill.empty() ? d.fill : s.fill;
    const std::string stroke = s.stroke.empty() ? d.stroke : s.stroke;
    if (!fill.empty() && fill != "none") r.fill = QBrush(parseColour(fill));
    QColor strokeColour = parseColour(stroke);
    if (stroke != "none" && strokeColour.isValid()) {
        r.stroke = QPen(strokeColour, s.strokeWidth >= 0 ? s.strokeWidth : d.width);
        r.stroke.setJoinStyle(Qt::RoundJoin);
        r.stroke.setCapStyle(Qt::RoundCap);
        const std::string dash = s.dash.empty() ? d.dash : s.dash;
        if (dash == "dash") r.stroke.setStyle(Qt::DashLine);
        if (dash == "dot") r.stroke.setStyle(Qt::DotLine);
    }
    const std::string hatch = s.hatch.empty() ? d.hatch : s.hatch;
    if (!hatch.empty() && strokeColour.isValid())
        r.hatch = QBrush(strokeColour, hatch == "cross" ? Qt::DiagCrossPattern : Qt::BDiagPattern);
    r.opacity = s.opacity;
    r.pointSize = s.pointSize > 0 ? s.pointSize : 7;
    r.railway = has(l, "rail", "铁路");
    r.bold = has(l, "axis", "轴线");
    return r;
}

}  // namespace onemap::render
