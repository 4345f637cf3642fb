#pragma once
// A VectorLayer as one binary file: schema, features (fid, values, WKB geometry) and their
// boxes, with a checksum of every 1 MiB block. What the prepared-layer cache stores: reading one
// back skips OGR, reprojection and validity checks, and can take only the features near some
// boxes without parsing the others.
//
// Layout (little-endian, native doubles): magic, size, the checksum of the block sums; a
// caller's metadata text and the schema; the values and WKB blobs; fid, box and offset arrays;
// the block sums and a trailer that locates everything. A read verifies the blocks it uses.
// Threads: any; each call stands alone.
#include <optional>
#include <string>
#include <vector>

#include "onemap/gis/geom/envelope.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::gis {

/// Writes `layer` with `meta` (opaque text, e.g. JSON) to `path`: to a temporary sibling, then
/// renamed, so a concurrent reader sees the old file or the new one, never a part. Throws
/// Error when the file cannot be written (the caller decides whether that matters).
void writeLayerSnapshot(const std::string& path, const VectorLayer& layer, const std::string& meta);

struct LayerSnapshot {
    std::string meta;
    VectorLayer layer;
    std::size_t total = 0;  ///< features in the file (layer holds fewer after a near read)
};

/// Reads a snapshot back: every feature, or with `near` only those whose boxes meet one of
/// the boxes (the layer then carries fullExtent, as a near read of a source does). Returns
/// nullopt when there is no such file, or when it is not whole (size, checksum, offsets or
/// any geometry wrong): a damaged snapshot is never half used.
[[nodiscard]] std::optional<LayerSnapshot> readLayerSnapshot(const std::string& path,
                                                             const std::vector<Envelope>& near);

}  // namespace onemap::gis
