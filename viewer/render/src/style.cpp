#include "onemap/render/style.hpp"

namespace onemap::render {

QColor verdictColour(core::Verdict v) {
    switch (v) {
        case core::Verdict::Pass:
            return QColor(0x1a, 0x98, 0x50);  // #1a9850 green
        case core::Verdict::Warn:
            return QColor(0xff, 0xbf, 0x00);  // #ffbf00 amber
        case core::Verdict::Unchecked:
            return notCheckedColour();
        default:
            return QColor(0x99, 0x00, 0x33);  // #990033 crimson
    }
}

QColor verdictTextColour(core::Verdict v) {
    // Amber and grey-blue are light; text in them is darkened to a contrast of about 4.5:1.
    const QColor c = verdictColour(v);
    return v == core::Verdict::Warn        ? c.darker(175)
           : v == core::Verdict::Unchecked ? c.darker(140)
                                           : c;
}

QColor notCheckedColour() { return QColor(0x7a, 0x8c, 0xb4); }  // #7a8cb4 grey-blue

QColor conflictColour() { return QColor(0xe7, 0x29, 0x8a); }  // #e7298a magenta

QColor freeLandColour() { return QColor(0xa6, 0xdb, 0xa0); }  // #a6dba0 pale green

QColor gainedColour() { return QColor(0x01, 0xa0, 0xa0); }  // #01a0a0 teal

QColor lostColour() { return QColor(0x40, 0x00, 0x4b); }  // #40004b plum

QString legendPhrase(LegendPhrase phrase) {
    switch (phrase) {
        case LegendPhrase::Pass:
            return QStringLiteral("合规 pass");
        case LegendPhrase::Warn:
            return QStringLiteral("警示 warn");
        case LegendPhrase::Fail:
            return QStringLiteral("不合规 fail");
        case LegendPhrase::NotChecked:
            return QStringLiteral("未审查 not checked");
        case LegendPhrase::Conflict:
            return QStringLiteral("冲突区域 conflict");
        case LegendPhrase::FreeLand:
            return QStringLiteral("可用地 free land");
        case LegendPhrase::Gained:
            return QStringLiteral("增加 gained");
        case LegendPhrase::Lost:
            return QStringLiteral("减少 lost");
    }
    return {};
}

std::vector<std::pair<core::Verdict, QString>> legendVerdicts() {
    return {{core::Verdict::Pass, legendPhrase(LegendPhrase::Pass)},
            {core::Verdict::Warn, legendPhrase(LegendPhrase::Warn)},
            {core::Verdict::Fail, legendPhrase(LegendPhrase::Fail)},
            {core::Verdict::Unchecked, legendPhrase(LegendPhrase::NotChecked)}};
}

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
