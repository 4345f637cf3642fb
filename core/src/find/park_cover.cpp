#include "find/park_cover.hpp"

#include "onemap/core/check/one_map.hpp"

namespace onemap::core {

ParkCover::Result ParkCover::of(const gis::Geometry& plot) const {
    Result out;
    if (!layer_) return out;
    for (const auto j : layer_->pieceIndex().query(plot.envelope())) {
        const gis::Geometry& piece = layer_->piece(j);
        if (!piece.intersects(plot)) continue;
        if (!piece.covers(plot)) return {Fit::Across, "", false};
        const std::size_t f = layer_->pieceFeature(j);
        out.fit = Fit::Inside;
        out.park = layer_->featureId(f);
        out.matches =
            !value_ ||
            (field_ && gis::toString(layer_->data().features[f].values[*field_]) == *value_);
    }
    return out;
}

}  // namespace onemap::core
