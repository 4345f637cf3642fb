// The sites readers: the first byte picks the format, the rest is the file. Everything a
// planner can hand to `onemap check` goes through SiteSet::load.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fuzz_contract.hpp"
#include "onemap/core/check/site_set.hpp"

namespace {

// New formats go at the end: the seeds' first bytes must keep their meaning.
const char* const kExtensions[] = {".geojson", ".gpkg", ".fgb", ".csv", ".kml",
                                   ".gml",     ".shp",  ".txt", ".dxf"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static const auto dir = [] {
        const auto d = std::filesystem::temp_directory_path() /
                       ("onemap-fuzz-sites-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    const std::string ext = kExtensions[data[0] % std::size(kExtensions)];
    const auto path = dir / ("sites" + ext);
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
    }
    static const auto planCrs = onemap::gis::Crs::fromEpsg(4549);
    onemap::fuzz::refuseOnlyWithInputError(data, size, [&](const std::string&) {
        (void)onemap::core::SiteSet::load(path.string(), planCrs, {});
    });
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        std::filesystem::remove_all(e.path(), ec);
    return 0;
}
