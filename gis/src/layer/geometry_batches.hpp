#pragma once
// GeometryBatches: the geometries of features read on one thread made (GEOS, from WKB) on
// others, a batch at a time: reading is serial (OGR), making geometries need not be. Owned by
// the reading thread, which alone calls it; toWkb gives the WKB it takes.
#include <ogr_geometry.h>
#include <tbb/task_group.h>

#include <deque>
#include <exception>
#include <string>
#include <vector>

#include "onemap/gis/layer/feature.hpp"

namespace onemap::gis::detail {

/// Arcs stroked every 0.5°: a regular n-gon loses (2π²/3)/n² of its circle's area, so
/// n = 720 keeps the loss near 0.0013 % (GDAL's default 4° loses 0.08 %).
inline constexpr double kArcStepDegrees = 0.5;

/// ISO WKB of a feature's geometry, 2D and linear (curves stroked); empty for no geometry.
/// Throws InputError for a vertex that is not a number (GEOS would "repair" it away).
std::vector<unsigned char> toWkb(OGRGeometry* g);

class GeometryBatches {
  public:
    /// checkValidity: valid geometries are kept as WKB (ReadOptions::checkValidityIn).
    /// where: the layer, named in errors ("source: layer 'x'").
    GeometryBatches(std::string where, bool checkValidity)
        : where_(std::move(where)), checkValidity_(checkValidity) {}
    ~GeometryBatches() { wait(); }  // an exception while reading: let the tasks end first
    GeometryBatches(const GeometryBatches&) = delete;
    GeometryBatches& operator=(const GeometryBatches&) = delete;

    /// Takes a feature and its WKB; a full batch is handed to a task.
    void add(Feature feature, std::vector<unsigned char> wkb);
    /// Waits for every geometry and appends the features in reading order; throws the
    /// first feature's error.
    void finish(std::vector<Feature>& out);

  private:
    static constexpr std::size_t kBatch = 4096;
    struct Batch {
        std::vector<Feature> features;
        std::vector<std::vector<unsigned char>> wkb;
        std::string error;           ///< of the first feature that failed
        std::exception_ptr failure;  ///< not the data's: keeping the WKB failed
    };
    std::string where_;
    bool checkValidity_;
    std::deque<Batch> batches_;  // a deque: batches stay put while others are added
    tbb::task_group tasks_;
    bool running_ = false;

    void launch(Batch& b);
    void makeGeometries(Batch& b) const;
    static void keepAsWkb(Batch& b, const std::vector<std::size_t>& valid,
                          const std::vector<Envelope>& boxes);
    void wait() {
        if (running_) tasks_.wait();
        running_ = false;
    }
};

}  // namespace onemap::gis::detail
