// DXF drawings as a site format: the adapter the registry lists (cad_sites.hpp has the reader
// it calls).
#include "onemap/gis/formats/cad/cad_sites.hpp"
#include "onemap/gis/formats/site_format.hpp"
#include "onemap/gis/formats/site_format_registry.hpp"

namespace onemap::gis {
namespace {

class CadFormat final : public SiteFormat {
  public:
    [[nodiscard]] std::string_view name() const override { return "cad"; }
    [[nodiscard]] std::string_view description() const override {
        return "site boundaries drawn in CAD (DXF): closed polylines and hatches";
    }
    [[nodiscard]] std::vector<std::string> extensions() const override { return {".dxf"}; }

    [[nodiscard]] Identified identify(const std::string& path,
                                      std::string_view /*head*/) const override {
        return SiteFormatRegistry::extensionOf(path) == ".dxf" ? Identified::Yes : Identified::No;
    }

    // The drawing's notes (its code page, texts naming sites) are about the file.
    [[nodiscard]] std::optional<SiteRead> read(const std::string& path,
                                               const SiteReadOptions& options) const override {
        SiteRead out;
        out.layer = cadSites(readDrawing(path), path, options.table);
        out.fileNotes = std::move(out.layer.notes);
        out.layer.notes.clear();
        return out;
    }
};

}  // namespace

const SiteFormat& cadSiteFormat() {
    static const CadFormat format;
    return format;
}

}  // namespace onemap::gis
