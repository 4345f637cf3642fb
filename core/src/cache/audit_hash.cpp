#include "cache/audit_hash.hpp"

#include <filesystem>

#include "cache/layer_cache.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/file_identity.hpp"

namespace onemap::core {
namespace fs = std::filesystem;

constexpr int kFormat = 1;

std::string auditHash(const std::string& path, bool remember) {
    const fs::path folder = remember ? LayerCache::folder() : fs::path();
    if (folder.empty()) return gis::sha256File(path);
    std::error_code ec;
    const fs::path canonical = fs::canonical(path, ec);
    if (ec) return gis::sha256File(path);
    const fs::path entry =
        folder / "hashes" / (gis::sha256(canonical.string()).substr(0, 32) + ".sha256");
    const std::string head =
        "onemap input hash " + std::to_string(kFormat) + "\n" + canonical.string() + "\n";
    const long long started = gis::nowNs();
    const gis::FileIdentity before = gis::fileIdentity(canonical.string());
    const std::string key = head + before.text + "\n";
    if (before.known())
        if (const auto kept = gis::recallKept(entry.string(), key))
            if (kept->size() == 64 &&
                kept->find_first_not_of("0123456789abcdef") == std::string::npos)
                return *kept;
    std::string hash = gis::sha256File(path);
    if (gis::settled(before, started, canonical.string()))
        gis::keepLine(folder.string(), entry.string(), key, hash);
    return hash;
}

}  // namespace onemap::core
