#include "onemap/gis/formats/site_format_registry.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::gis {

// The site formats, in their order of precedence: the first to claim a file reads it. Each is
// made by a function `const SiteFormat& <name>SiteFormat()` in its folder formats/<format>/:
// a new format is one line here.
#define ONEMAP_SITE_FORMATS(FORMAT) \
    FORMAT(guotuTxt)                \
    FORMAT(kml)                     \
    FORMAT(cad)                     \
    FORMAT(pointTable)

#define ONEMAP_DECLARE_SITE_FORMAT(name) const SiteFormat& name##SiteFormat();
ONEMAP_SITE_FORMATS(ONEMAP_DECLARE_SITE_FORMAT)
#undef ONEMAP_DECLARE_SITE_FORMAT

namespace {
constexpr std::size_t kHeadBytes = 64 * 1024;
}  // namespace

const SiteFormatRegistry& SiteFormatRegistry::instance() {
    static const SiteFormatRegistry registry = [] {
        SiteFormatRegistry r;
#define ONEMAP_ADD_SITE_FORMAT(name) r.formats_.push_back(&name##SiteFormat());
        ONEMAP_SITE_FORMATS(ONEMAP_ADD_SITE_FORMAT)
#undef ONEMAP_ADD_SITE_FORMAT
        return r;
    }();
    return registry;
}

const SiteFormat* SiteFormatRegistry::find(std::string_view name) const {
    for (const auto* f : formats_)
        if (f->name() == name) return f;
    return nullptr;
}

const SiteFormat* SiteFormatRegistry::identify(const std::string& path) const {
    const std::string bytes = head(path);
    for (const auto* f : formats_)
        if (f->identify(path, bytes) != Identified::No) return f;
    return nullptr;
}

std::optional<ClaimedSites> SiteFormatRegistry::read(const std::string& path,
                                                     const SiteReadOptions& options) const {
    const std::string bytes = head(path);
    for (const auto* f : formats_) {
        if (f->identify(path, bytes) == Identified::No) continue;
        if (auto sites = f->read(path, options)) return ClaimedSites{f, std::move(*sites)};
    }
    return std::nullopt;
}

const SiteFormat* SiteFormatRegistry::writerFor(const std::string& outputPath) const {
    const std::string ext = extensionOf(outputPath);
    for (const auto* f : formats_) {
        if (!f->canWrite()) continue;
        const auto exts = f->extensions();
        if (std::find(exts.begin(), exts.end(), ext) != exts.end()) return f;
    }
    return nullptr;
}

std::string SiteFormatRegistry::head(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return {};
    std::ifstream in(path, std::ios::binary);
    std::string bytes(kHeadBytes, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

std::string SiteFormatRegistry::extensionOf(const std::string& path) {
    return lowerExtension(path);
}

}  // namespace onemap::gis
