#include "cache/layer_cache.hpp"

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/file_identity.hpp"
#include "onemap/gis/base/library_versions.hpp"
#include "onemap/gis/layer/layer_snapshot.hpp"

namespace onemap::core {
namespace fs = std::filesystem;

namespace {

// Bumped whenever what a load produces changes in a way the key cannot see.
constexpr int kFormat = 1;

// "device inode size mtime-ns ctime-ns" of a file, "-" when there is none.
std::string identity(const fs::path& p) {
    const auto id = gis::fileIdentity(p.string());
    return id.known() ? id.text : "-";
}

// The files a source reads besides itself: a shapefile's sidecars, a GeoPackage's journal.
std::string companions(const fs::path& source) {
    std::string out;
    const std::string ext = gis::asciiLower(source.extension().string());
    if (ext == ".shp") {
        std::error_code ec;
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(source.parent_path(), ec))
            if (e.path().stem() == source.stem() && e.path() != source)
                names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        for (const auto& n : names) out += n + " " + identity(source.parent_path() / n) + "\n";
    } else if (ext == ".gpkg" || ext == ".sqlite") {
        out += "-wal " + identity(source.string() + "-wal") + "\n";
    }
    return out;
}

}  // namespace

fs::path LayerCache::folder() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg && *xdg == '/') return fs::path(xdg) / "onemap";
    const char* home = std::getenv("HOME");
    if (home && *home == '/') return fs::path(home) / ".cache" / "onemap";
    return {};
}

namespace {

fs::path thisProgram() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("?") : exe;
}

}  // namespace

LayerCache::LayerCache(const Plan& plan, const LayerSpec& spec, bool enabled) {
    if (!enabled || !spec.dateField.empty()) return;
    std::error_code ec;
    if (!fs::is_regular_file(spec.source, ec)) return;  // PostGIS, folders, /vsizip/…
    const fs::path folder = LayerCache::folder();
    if (folder.empty()) return;
    const fs::path source = fs::canonical(spec.source, ec);
    if (ec) return;
    // Which layer, read by which program: the entry's file name, so a changed source or a
    // rebuilt program replaces its old entry (the viewer and the CLI keep one each).
    const fs::path program = thisProgram();
    const std::string which = "source " + source.string() + "\ntable " + spec.table + "\nfilter " +
                              spec.filter + "\nencoding " + spec.encoding + "\ncrs " + spec.crs +
                              "\nplan crs " + plan.crs.definition() + "\nprogram " +
                              program.string() + "\n";
    // What it was made from: must match exactly, or the entry is not used. The program's
    // size and time stand for its code: a rebuilt onemap never trusts an older one's entry.
    key_ = "onemap layer cache " + std::to_string(kFormat) + "\n" + which + "program file " +
           identity(program) + "\nGDAL " + gis::gdalVersion() + " GEOS " + gis::geosVersion() +
           " PROJ " + gis::projVersion() + "\nfile " + identity(source) + "\n" + companions(source);
    path_ = (folder / (gis::sha256(which).substr(0, 32) + ".layer")).string();
    geoPackage_ = gis::asciiLower(source.extension().string()) == ".gpkg";
}

std::optional<LoadedLayer> LayerCache::read(const std::vector<gis::Envelope>& near) const {
    if (!usable()) return std::nullopt;
    // A few boxes are answered as fast by a GeoPackage's own R-tree, without mapping the
    // entry's arrays (measured: 30 sites against 1M parcels, 0.72 s and 76 MB from the
    // GeoPackage, 0.75 s and 214 MB from the cache).
    if (!near.empty() && near.size() < kFewBoxes && geoPackage_) return std::nullopt;
    auto snap = gis::readLayerSnapshot(path_, near);
    if (!snap) return std::nullopt;
    try {
        const auto meta = nlohmann::json::parse(snap->meta);
        if (meta.at("key").get<std::string>() != key_) return std::nullopt;
        LoadedLayer out;
        out.data = std::move(snap->layer);
        out.warnings = meta.at("warnings").get<std::vector<std::string>>();
        out.repaired = meta.at("repaired").get<std::size_t>();
        out.sourceCrs = meta.at("source_crs").get<std::string>();
        out.sourceSha256 = meta.at("source_sha256").get<std::string>();
        out.fromCache = true;
        return out;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void LayerCache::write(const gis::VectorLayer& data, const std::vector<std::string>& warnings,
                       std::size_t repaired, const std::string& sourceCrs,
                       const std::string& sourceSha256, Feedback* feedback) const {
    if (!usable() || data.features.size() < kMinFeatures || sourceSha256.empty()) return;
    if (feedback) feedback->progress(1.0, "keeping " + data.name + " in the layer cache");
    const nlohmann::json meta = {{"key", key_},
                                 {"source_sha256", sourceSha256},
                                 {"warnings", warnings},
                                 {"repaired", repaired},
                                 {"source_crs", sourceCrs}};
    try {
        std::error_code ec;
        fs::create_directories(fs::path(path_).parent_path(), ec);
        fs::permissions(fs::path(path_).parent_path(), fs::perms::owner_all,
                        fs::perm_options::replace, ec);
        gis::writeLayerSnapshot(path_, data, meta.dump());
    } catch (const std::exception&) {
        // No room, no permission: the next run reads the source again, as this one did.
    }
}

}  // namespace onemap::core
