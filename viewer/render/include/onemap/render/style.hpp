#pragma once
// How things look on every map and in every document: layer styles resolved from the plan
// with defaults by role, and the verdict colours. Pure functions: any thread may call them.
#include <QBrush>
#include <QColor>
#include <QPen>
#include <QString>
#include <utility>
#include <vector>

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

/// Verdict colours: pass green, warn amber, fail crimson, not checked (and partial) grey-blue.
/// These and the colours below are kept apart from every default layer colour and from the
/// bundled plan's styles (ΔE*ab > 20; tests/render checks): a failing site is never mistaken
/// for an approved project, nor lost land for the red line.
QColor verdictColour(core::Verdict v);
/// A verdict's colour for text on white (tables, lists): the same hue, dark enough to read.
QColor verdictTextColour(core::Verdict v);
/// The colour for a verdict of "not checked" or "pass (partial)".
QColor notCheckedColour();
/// A site's conflict areas (cross-hatched).
QColor conflictColour();
/// Free land in `find` reports.
QColor freeLandColour();
/// A diff's land gained (teal) and lost (plum), on the map and in its legend.
QColor gainedColour();
QColor lostColour();

/// The legend's words for the colours above, Chinese first (one table, for the phrase table).
enum class LegendPhrase { Pass, Warn, Fail, NotChecked, Conflict, FreeLand, Gained, Lost };
QString legendPhrase(LegendPhrase phrase);
/// The verdicts a map legend lists, in order, with their words.
std::vector<std::pair<core::Verdict, QString>> legendVerdicts();

}  // namespace onemap::render
