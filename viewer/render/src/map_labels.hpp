#pragma once
// The labels one frame asks for: each labelled layer's features (`label` field) and the site
// ids, with their priorities, and the symbols no label may cover. Internal to the renderer;
// built and consumed on the thread that draws the frame.
#include <QRectF>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/render/label_placer.hpp"
#include "onemap/render/view_transform.hpp"

namespace onemap::render {

/// Lower is placed first: the site a report page is about, then city names, stations,
/// site ids and the other layers' names.
enum LabelPriority : int {
    kHighlightedSiteLabel = 0,
    kAdminLabel = 1,
    kPointLabel = 2,
    kSiteLabel = 3,
    kOtherLabel = 4
};

struct FrameLabels {
    std::vector<LabelRequest> requests;
    std::vector<QRectF> obstacles;
};

/// The labels of a layer's features inside the view (none if the layer has no `label`
/// field), and its point symbols as obstacles. Features under 30 px are not named.
void addLayerLabels(FrameLabels& out, const ViewTransform& view, const core::MapLayer& layer);

}  // namespace onemap::render
