// 国土 TXT as a site format: the adapter the registry lists (guotu_txt.hpp has the reader and
// writer it calls).
#include <cmath>

#include "formats/guotu_txt/guotu_common.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/formats/guotu_txt/guotu_txt.hpp"
#include "onemap/gis/formats/site_format.hpp"
#include "onemap/gis/formats/site_format_registry.hpp"

namespace onemap::gis {
namespace {

class GuotuTxtFormat final : public SiteFormat {
  public:
    [[nodiscard]] std::string_view name() const override { return "guotu-txt"; }
    [[nodiscard]] std::string_view description() const override {
        return "国土 TXT boundary-point file (界址点坐标文件) of land surveys and approvals";
    }
    [[nodiscard]] std::vector<std::string> extensions() const override { return {".txt"}; }
    [[nodiscard]] SiteFormatTraits traits() const override {
        SiteFormatTraits t;
        t.appliesSitesCrs = true;  // the CRS comes from the header; --sites-crs may be a pipeline
        return t;
    }

    // A .txt holding "[属性描述]" or "[地块坐标]" in UTF-8 or GBK.
    [[nodiscard]] Identified identify(const std::string& path,
                                      std::string_view head) const override {
        return SiteFormatRegistry::extensionOf(path) == ".txt" && guotu::holdsSectionMarker(head)
                   ? Identified::Yes
                   : Identified::No;
    }

    // Notes on one parcel (a stated area that disagrees) stay with it; the rest are about the
    // file.
    [[nodiscard]] std::optional<SiteRead> read(const std::string& path,
                                               const SiteReadOptions& options) const override {
        SiteRead out;
        out.layer = readGuotuTxt(path, {options.sitesCrs});
        std::vector<std::string> mine;
        for (auto& note : out.layer.notes)
            (note.find("of feature ") != std::string::npos ? mine : out.fileNotes).push_back(note);
        out.layer.notes = std::move(mine);
        return out;
    }

    [[nodiscard]] bool canWrite() const override { return true; }
    [[nodiscard]] std::vector<std::string> writeEncodings() const override {
        return {"GBK", "UTF-8"};
    }

    void write(const std::string& path, const VectorLayer& layer,
               const SiteWriteOptions& options) const override {
        GuotuWriteOptions guotu;
        if (!options.encoding.empty()) guotu.encoding = options.encoding;
        writeGuotuTxt(path, layer, guotu);
        verify(path, layer, guotu.decimals);
    }

  private:
    // The file read back: every parcel there, with its id and its area (to the rounding of
    // the coordinates written).
    static void verify(const std::string& file, const VectorLayer& meant, int decimals) {
        if (meant.crs.name().find("CGCS2000") == std::string::npos)
            return;  // 1980西安/1954北京 files are read only with a datum shift
        const VectorLayer back = readGuotuTxt(file);
        const auto lost = [&](const std::string& what) {
            return InputError(file + ": layer '" + meant.name + "' read back differs: " + what);
        };
        if (back.features.size() != meant.features.size())
            throw lost(std::to_string(back.features.size()) + " parcels instead of " +
                       std::to_string(meant.features.size()));
        const double step = std::pow(10.0, -decimals);
        for (std::size_t i = 0; i < meant.features.size(); ++i) {
            const auto& a = meant.features[i].geometry;
            const auto& b = back.features[i].geometry;
            const double tolerance = (a.length() + 1.0) * step + 1e-9 * a.area();
            if (std::abs(a.area() - b.area()) > tolerance)
                throw lost("parcel " + std::to_string(i + 1) + " came back with area " +
                           std::to_string(b.area()) + " m² instead of " + std::to_string(a.area()));
        }
    }
};

}  // namespace

const SiteFormat& guotuTxtSiteFormat() {
    static const GuotuTxtFormat format;
    return format;
}

}  // namespace onemap::gis
