// KML/KMZ (and Ovital's .ovkml/.ovkmz) as a site format: the adapter the registry lists
// (kml_sites.hpp has the reader it calls).
#include "onemap/gis/formats/kml/kml_sites.hpp"
#include "onemap/gis/formats/site_format.hpp"
#include "onemap/gis/formats/site_format_registry.hpp"

namespace onemap::gis {
namespace {

class KmlFormat final : public SiteFormat {
  public:
    [[nodiscard]] std::string_view name() const override { return "kml"; }
    [[nodiscard]] std::string_view description() const override {
        return "KML/KMZ placemarks, from Google Earth or Chinese map apps (奥维 .ovkml/.ovkmz)";
    }
    [[nodiscard]] std::vector<std::string> extensions() const override {
        return {".kml", ".kmz", ".ovkml", ".ovkmz"};
    }
    [[nodiscard]] SiteFormatTraits traits() const override {
        SiteFormatTraits t;
        t.mayHoldWebMapOffset = true;  // KML means WGS84; Chinese map apps write GCJ-02
        return t;
    }

    [[nodiscard]] Identified identify(const std::string& path,
                                      std::string_view /*head*/) const override {
        return isKmlFile(path) ? Identified::Yes : Identified::No;
    }

    [[nodiscard]] std::optional<SiteRead> read(const std::string& path,
                                               const SiteReadOptions& options) const override {
        SiteRead out;
        out.layer = readKmlSites(path, options.table, out.fileNotes);
        return out;
    }

    [[nodiscard]] WebMapOrigin webMapOrigin(const std::string& path) const override {
        auto origin = kmlOrigin(path);
        return {std::move(origin.from), std::move(origin.evidence)};
    }
};

}  // namespace

const SiteFormat& kmlSiteFormat() {
    static const KmlFormat format;
    return format;
}

}  // namespace onemap::gis
