// What a site format does when it declares nothing else.
#include "onemap/gis/formats/site_format.hpp"

#include "onemap/gis/base/error.hpp"

namespace onemap::gis {

WebMapOrigin SiteFormat::webMapOrigin(const std::string& /*path*/) const { return {}; }

void SiteFormat::write(const std::string& path, const VectorLayer& /*layer*/,
                       const SiteWriteOptions& /*options*/) const {
    throw Error(path + ": onemap does not write " + std::string(name()));
}

}  // namespace onemap::gis
