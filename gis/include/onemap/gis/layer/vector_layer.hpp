#pragma once
// VectorLayer: a layer held in memory (schema, CRS, features), owned by whoever read or made
// it. Read from any number of threads at once; changed by one, with no readers.
#include <optional>
#include <string>
#include <vector>

#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/layer/feature.hpp"

namespace onemap::gis {

/// A layer held in memory: schema, CRS and features. What readers return and writers take.
class VectorLayer {
  public:
    std::string name;
    Crs crs;
    std::string geometryType;  ///< e.g. "MultiPolygon", as declared by the source
    std::vector<Field> fields;
    std::vector<Feature> features;
    std::string encoding;  ///< text encoding the source was read with ("UTF-8", "CP936", ...)
    std::vector<std::string> notes;  ///< what the reader decided (encoding guesses, CRS fixes)
    /// Set when only the features near some boxes were read (ReadOptions::near): the whole
    /// layer's extent, as its source declares it.
    std::optional<Envelope> fullExtent;
    /// Set when a near read was asked for and the layer was read whole instead: why.
    std::string readWholeBecause;

    [[nodiscard]] std::optional<std::size_t> fieldIndex(const std::string& name) const;
    [[nodiscard]] Envelope extent() const;
    /// The value of `field` for feature i, NULL if the field does not exist.
    [[nodiscard]] Value value(std::size_t feature, const std::string& field) const;
};

}  // namespace onemap::gis
