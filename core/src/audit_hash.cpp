#include "audit_hash.hpp"

#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "layer_cache.hpp"
#include "onemap/gis/atomic_file.hpp"

namespace onemap::core {
namespace fs = std::filesystem;

namespace {

constexpr int kFormat = 1;
constexpr long long kRacyNs = 3'000'000'000LL;  // FAT keeps times to 2 s

long long ns(const struct timespec& t) { return t.tv_sec * 1'000'000'000LL + t.tv_nsec; }

struct Identity {
    std::string text;      // "device inode size mtime-ns ctime-ns"; "" when stat fails
    long long newest = 0;  // the later of mtime and ctime, ns
};

Identity identityOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
    Identity id;
    id.text = std::to_string(st.st_dev) + " " + std::to_string(st.st_ino) + " " +
              std::to_string(st.st_size) + " " + std::to_string(ns(st.st_mtim)) + " " +
              std::to_string(ns(st.st_ctim));
    id.newest = std::max(ns(st.st_mtim), ns(st.st_ctim));
    return id;
}

long long nowNs() {
    struct timespec t {};
    ::clock_gettime(CLOCK_REALTIME, &t);
    return ns(t);
}

}  // namespace

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
    const long long started = nowNs();
    const Identity before = identityOf(canonical.string());
    // Only a small regular file is an entry: a FIFO planted there would block the open.
    if (!before.text.empty() && fs::is_regular_file(entry, ec) && fs::file_size(entry, ec) < 8192) {
        std::ifstream in(entry);
        std::stringstream kept;
        kept << in.rdbuf();
        const std::string text = kept.str(), want = head + before.text + "\n";
        if (text.size() == want.size() + 65 && text.compare(0, want.size(), want) == 0 &&
            text.back() == '\n') {
            const std::string kept64 = text.substr(want.size(), 64);
            if (kept64.find_first_not_of("0123456789abcdef") == std::string::npos) return kept64;
        }
    }
    std::string hash = gis::sha256File(path);
    const Identity after = identityOf(canonical.string());
    if (!before.text.empty() && after.text == before.text && started - before.newest > kRacyNs) {
        try {
            // Owner-only, as the layer cache's folder: no other user may plant a hash here.
            fs::create_directories(entry.parent_path(), ec);
            for (const auto& dir : {folder, entry.parent_path()})
                fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
            gis::writeFileAtomically(entry.string(), head + before.text + "\n" + hash + "\n");
        } catch (const std::exception&) {
            // No room, no permission: the next run hashes the file again, as this one did.
        }
    }
    return hash;
}

}  // namespace onemap::core
