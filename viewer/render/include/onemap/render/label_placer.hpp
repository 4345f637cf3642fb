#pragma once
// Label placement for one map frame, in the spirit of QGIS's PAL: each feature offers candidate
// boxes (eight around a point symbol, then farther out with a leader line; positions inside a
// polygon), and labels are placed greedily in priority order, each candidate tested against
// the frame, the labels and leaders already placed and the obstacles (symbols, scale bar).
// A label that fits nowhere is omitted. One placer per frame; not shared between threads.
#include <QColor>
#include <QFont>
#include <QLineF>
#include <QRectF>
#include <QString>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace onemap::render {

/// A feature asking for a label. Either `symbol` (a point symbol or a small shape: the label
/// goes around it) or `interior` (a polygon: the label is centred on one of these positions,
/// best first; `inside` may reject a candidate box not wholly in the polygon).
struct LabelRequest {
    QString text;
    QFont font;
    QColor colour;
    int priority = 0;   ///< lower is placed first; ties keep the order of the requests
    std::string layer;  ///< layer id, or "sites"
    std::optional<QRectF> symbol;
    std::vector<QPointF> interior;
    std::function<bool(const QRectF&)> inside;  ///< tested on a candidate box
    /// A looser test for a second pass when no candidate passes `inside` (a small polygon:
    /// its name centred in it, spilling over its edge).
    std::function<bool(const QRectF&)> insideLoosely;
};

/// A label as placed: its box (text plus a 2 px halo margin, on whole pixels) and, when it
/// was moved away from its symbol, the leader line drawn to it.
struct PlacedLabel {
    QString text;
    std::string layer;
    QRectF box;
    QFont font;
    QColor colour;
    std::optional<QLineF> leader;
    /// The text's baseline origin inside `box`.
    [[nodiscard]] QPointF origin() const;
};

class LabelPlacer {
  public:
    /// Labels must lie wholly inside `frame` (pixels).
    explicit LabelPlacer(const QRectF& frame);

    /// A box no label may cover (a station's symbol, a site marker, the scale bar).
    void addObstacle(const QRectF& box);
    /// Places the requests; returns the labels placed, in placing order.
    std::vector<PlacedLabel> place(std::vector<LabelRequest> requests);

    /// The box a label of `text` in `font` takes, top-left at (0, 0): measured with the
    /// font's real metrics, plus the halo margin, rounded up to whole pixels.
    static QSizeF labelSize(const QString& text, const QFont& font);

  private:
    struct Box {
        QRectF rect;
        bool symbol;  ///< an obstacle a leader may start from
    };
    [[nodiscard]] bool free(const QRectF& r) const;
    [[nodiscard]] bool lineFree(const QLineF& line, const QRectF& own) const;
    void occupy(const QRectF& r, bool symbol);
    template <class F>
    void forCells(const QRectF& r, F&& f) const;

    QRectF frame_;
    int columns_ = 1, rows_ = 1;
    std::vector<Box> boxes_;
    std::vector<std::vector<std::size_t>> cells_;
    std::vector<QLineF> leaders_;
};

}  // namespace onemap::render
