#pragma once
// How things look on every map and in every document: layer styles resolved from the plan
// with defaults by role, and the verdict colours. Pure functions: any thread may call them.
#include <QBrush>
#include <QColor>
#include <QPen>

#include "onemap/core/check/report.hpp"
#include "onemap/core/plan/plan.hpp"

namespace onemap::render {

/// A layer's look, resolved from the plan's style with defaults by role: farmland yellow,
/// red line red hatching, development boundary purple dashed, rail black-and-white, ...
struct ResolvedStyle {
    QBrush fill{Qt::NoBrush};
    QBrush hatch{Qt::NoBrush};
    QPen stroke{Qt::NoPen};
    double opacity = 1;
    double pointSize = 6;
    bool railway = false;  ///< draw lines as black with white dashes inside
    bool bold = false;     ///< e.g. the corridor axis: wider, with a light casing
};

/// "#rrggbb" or "#rrggbbaa" (the plan's format; Qt reads #aarrggbb) → colour; invalid if bad.
QColor parseColour(const std::string& text);
ResolvedStyle resolveStyle(const core::LayerSpec& layer);

/// Verdict colours: pass green, warn orange, fail red, unchecked grey.
QColor verdictColour(core::Verdict v);
/// A diff's land gained (green) and lost (red), on the map and in its legend.
QColor gainedColour();
QColor lostColour();

}  // namespace onemap::render
