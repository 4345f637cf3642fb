#include "onemap/gis/base/file_identity.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "onemap/gis/base/atomic_file.hpp"

namespace onemap::gis {

namespace {
long long ns(const struct timespec& t) { return t.tv_sec * 1'000'000'000LL + t.tv_nsec; }
}  // namespace

FileIdentity fileIdentity(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
    FileIdentity id;
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

bool settled(const FileIdentity& before, long long started, const std::string& path) {
    return before.known() && started - before.newest > kRacyNs &&
           fileIdentity(path).text == before.text;
}

std::optional<std::string> recallKept(const std::string& entry, const std::string& key) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(entry, ec) || fs::file_size(entry, ec) >= 8192 || ec)
        return std::nullopt;
    std::ifstream in(entry, std::ios::binary);
    std::stringstream kept;
    kept << in.rdbuf();
    const std::string text = kept.str();
    if (text.size() <= key.size() || text.compare(0, key.size(), key) != 0 || text.back() != '\n')
        return std::nullopt;
    std::string line = text.substr(key.size(), text.size() - key.size() - 1);
    if (line.find('\n') != std::string::npos) return std::nullopt;
    return line;
}

void keepLine(const std::string& root, const std::string& entry, const std::string& key,
              const std::string& line) {
    namespace fs = std::filesystem;
    try {
        std::error_code ec;
        const fs::path folder = fs::path(entry).parent_path();
        fs::create_directories(folder, ec);
        for (const auto& dir : {fs::path(root), folder})
            fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
        writeFileAtomically(entry, key + line + "\n");
    } catch (const std::exception&) {
        // No room, no permission: the next run works it out again, as this one did.
    }
}

}  // namespace onemap::gis
