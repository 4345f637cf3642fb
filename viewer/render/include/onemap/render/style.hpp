#pragma once
#include <QBrush>
#include <QColor>
#include <QPen>

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

}  // namespace onemap::render
