#include "onemap/gis/layer/output_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/file_set.hpp"
#include "onemap/gis/base/output_target.hpp"

namespace onemap::gis {
namespace fs = std::filesystem;

namespace {

// ---- Cleanup on SIGINT/SIGTERM/SIGHUP --------------------------------------------------
// The handler may only make async-signal-safe calls: staging folders are kept as fixed
// C strings and removed with openat/getdents64/unlinkat, then the signal is re-raised with
// its default action so the exit status still says what happened.
constexpr std::size_t kSlots = 64;
std::array<std::array<char, 4096>, kSlots> gPaths{};
std::array<volatile sig_atomic_t, kSlots> gUsed{};
std::mutex gSlotMutex;

void removeTreeAt(int parentFd, const char* name, int depth) noexcept {
    const int fd = openat(parentFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        unlinkat(parentFd, name, 0);
        return;
    }
    alignas(8) char buf[8192];
    for (bool removed = true; removed;) {  // entries removed while listing: list again
        removed = false;
        lseek(fd, 0, SEEK_SET);
        for (;;) {
            const ssize_t n = getdents64(fd, buf, sizeof buf);
            if (n <= 0) break;
            for (ssize_t off = 0; off < n;) {
                const auto* d = reinterpret_cast<const struct dirent64*>(buf + off);
                off += d->d_reclen;
                if (std::strcmp(d->d_name, ".") == 0 || std::strcmp(d->d_name, "..") == 0) continue;
                if (d->d_type == DT_DIR && depth < 8)
                    removeTreeAt(fd, d->d_name, depth + 1);
                else
                    unlinkat(fd, d->d_name, 0);
                removed = true;
            }
        }
    }
    close(fd);
    unlinkat(parentFd, name, AT_REMOVEDIR);
}

extern "C" void onTerminatingSignal(int sig) {
    for (std::size_t i = 0; i < kSlots; ++i)
        if (gUsed[i]) removeTreeAt(AT_FDCWD, gPaths[i].data(), 0);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// Only a signal left at its default action (which would end the process anyway) gets the
// cleanup handler. A process that handles a signal itself — `onemap serve` stops gracefully
// on SIGINT/SIGTERM, letting each request remove what it staged — keeps its handler, and an
// ignored signal (SIGINT in a background job) stays ignored.
void installSignalCleanup() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
            struct sigaction old {};
            if (sigaction(sig, nullptr, &old) != 0) continue;
            if ((old.sa_flags & SA_SIGINFO) != 0 || old.sa_handler != SIG_DFL) continue;
            struct sigaction sa {};
            sa.sa_handler = onTerminatingSignal;
            sigemptyset(&sa.sa_mask);
            sigaction(sig, &sa, nullptr);
        }
    });
}

void registerForCleanup(const std::string& path) {
    std::lock_guard lock(gSlotMutex);
    if (path.size() >= gPaths[0].size()) return;
    for (std::size_t i = 0; i < kSlots; ++i) {
        if (gUsed[i]) continue;
        std::memcpy(gPaths[i].data(), path.c_str(), path.size() + 1);
        gUsed[i] = 1;
        return;
    }
}

void unregisterForCleanup(const std::string& path) {
    std::lock_guard lock(gSlotMutex);
    for (std::size_t i = 0; i < kSlots; ++i)
        if (gUsed[i] && path == gPaths[i].data()) gUsed[i] = 0;
}

// ---- File identity ---------------------------------------------------------------------

bool fileId(const std::string& path, std::pair<unsigned long, unsigned long>& id) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return false;
    id = {static_cast<unsigned long>(st.st_dev), static_cast<unsigned long>(st.st_ino)};
    return true;
}

// "/vsizip/a.zip/x.shp" → "a.zip": the file on disk that a GDAL virtual path reads.
std::string diskPathOf(const std::string& source) {
    for (const char* prefix : {"/vsizip/", "/vsigzip/", "/vsitar/"}) {
        if (source.rfind(prefix, 0) != 0) continue;
        std::string rest = source.substr(std::strlen(prefix));
        for (const char* ext : {".zip", ".gz", ".tar", ".tgz"}) {
            const auto at = asciiLower(rest).find(ext);
            if (at != std::string::npos) return rest.substr(0, at + std::strlen(ext));
        }
        return rest;
    }
    return source;
}

void fsyncPath(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0 && !directory) throw InputError(path + ": cannot be written to disk");
}

}  // namespace

OutputFiles::OutputFiles(const std::vector<std::string>& inputs) {
    for (const auto& input : inputs) {
        if (input.empty() || input.rfind("PG:", 0) == 0) continue;
        const std::string disk = diskPathOf(input);
        std::vector<std::string> files = fileSetOf(disk);
        std::error_code ec;
        if (fs::is_directory(disk, ec)) {  // GDAL reads a folder of shapefiles as one source
            std::pair<unsigned long, unsigned long> id;
            if (fileId(disk, id)) {
                inputFolderIds_.push_back(id);
                inputFolderNames_.push_back(input);
            }
            for (const auto& e : fs::directory_iterator(disk, ec))
                for (const auto& f : fileSetOf(e.path().string())) files.push_back(f);
        }
        for (const auto& f : files) {
            std::pair<unsigned long, unsigned long> id;
            if (!fileId(f, id)) continue;
            inputIds_.push_back(id);
            inputNames_.push_back(input);
        }
    }
}

OutputFiles::~OutputFiles() {
    if (!committed_) abort();
}

std::string OutputFiles::stage(const std::string& path, bool replaceExisting) {
    if (path.empty()) throw InputError("an output path is empty");
    // Through a symbolic link the file it names is written, staged beside that file so the
    // final rename stays on one file system and atomic; the link stays a link.
    const std::string resolved = resolveOutputTarget(path);
    const fs::path p(resolved);
    const fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    std::error_code ec;
    if (fs::is_directory(p, ec))
        throw InputError(path + ": is a folder; give the output a file name");
    if (!fs::exists(parent, ec)) requireWritableTarget(path, resolved);  // names the missing folder
    if (!fs::is_directory(parent, ec))
        throw InputError(path + ": " + parent.string() + " is not a folder");
    for (const auto& f : fileSetOf(resolved)) {
        std::pair<unsigned long, unsigned long> id;
        if (!fileId(f, id)) continue;
        const auto it = std::find(inputIds_.begin(), inputIds_.end(), id);
        if (it != inputIds_.end())
            throw InputError(path + ": is the input " +
                             inputNames_[static_cast<std::size_t>(it - inputIds_.begin())] +
                             " (or part of it); onemap never writes over an input — choose "
                             "another output");
    }
    requireNotInputFolder(path, parent.string());
    if (fs::exists(p, ec) && !fs::is_regular_file(p, ec))
        throw InputError(path + ": exists and is not a regular file");
    if (!replaceExisting && fs::exists(p, ec))
        throw InputError(path + ": already exists; add --overwrite to replace it");
    // Each output as its whole file set: a report named c.dbf would replace the .dbf of the
    // shapefile c.shp written beside it.
    const auto canonicalSet = [&ec](const std::string& of) {
        std::vector<fs::path> out;
        for (const auto& f : fileSetOf(of)) out.push_back(fs::weakly_canonical(f, ec));
        return out;
    };
    const auto mine = canonicalSet(resolved);
    for (const auto& s : staged_) {
        if (fs::weakly_canonical(s.resolved, ec) == fs::weakly_canonical(p, ec))
            throw InputError(path + ": named twice as an output");
        for (const auto& theirs : canonicalSet(s.resolved))
            if (std::find(mine.begin(), mine.end(), theirs) != mine.end())
                throw InputError(path + ": is part of the output " + s.target +
                                 " (a shapefile's .shx .dbf .prj .cpg .qix go with its .shp); "
                                 "choose another output");
    }
    requireWritableTarget(path, resolved);
    installSignalCleanup();
    const std::string folder = temporarySibling(resolved);
    registerForCleanup(fs::absolute(folder, ec).string());
    if (!fs::create_directory(folder, ec) || ec) {
        unregisterForCleanup(fs::absolute(folder).string());
        throw InputError(path + ": cannot write into the folder " + parent.string() + ": " +
                         (ec ? ec.message() : std::string("it exists")));
    }
    staged_.push_back({path, resolved, folder});
    // The user's file name, so a writer that goes by the extension writes what was asked.
    return (fs::path(folder) / fs::path(path).filename()).string();
}

void OutputFiles::makeFolder(const std::string& path) {
    const fs::path p(path);
    std::error_code ec;
    if (fs::is_directory(p, ec)) return;
    const fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    if (!fs::is_directory(parent, ec))
        throw InputError(path + ": the folder " + parent.string() +
                         " does not exist (onemap creates only the output folder itself)");
    requireNotInputFolder(path, path);
    if (!fs::create_directory(p, ec) || ec)
        throw InputError(path + ": cannot create the folder: " +
                         (ec ? ec.message() : std::string("a file is in the way")));
    madeFolders_.push_back(path);
}

void OutputFiles::commit() {
    // Everything to disk first (where a full disk shows), then the moves.
    std::vector<std::vector<fs::path>> written(staged_.size());
    for (std::size_t i = 0; i < staged_.size(); ++i) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(staged_[i].folder, ec)) {
            if (!e.is_regular_file()) continue;
            fsyncPath(e.path().string(), false);
            written[i].push_back(e.path());
        }
        // The main file last: a reader never finds a new .shp beside an old .dbf.
        const std::string main = fs::path(staged_[i].target).filename().string();
        std::stable_partition(written[i].begin(), written[i].end(),
                              [&](const fs::path& f) { return f.filename() != main; });
    }
    for (std::size_t i = 0; i < staged_.size(); ++i) {
        const Staged& s = staged_[i];
        std::vector<fs::path> placed;
        for (const auto& f : written[i]) {
            placed.push_back(destinationOf(s, f.filename().string()));
            std::error_code ec;
            fs::rename(f, placed.back(), ec);
            if (ec) throw InputError(cannotWrite(s.target, s.resolved, ec.message()));
        }
        // Sidecars of an older dataset at this path that the new one does not have (a .qix
        // spatial index, a .cpg) would describe the wrong data.
        for (const auto& f : fileSetOf(s.resolved)) {
            const bool ours = std::find(placed.begin(), placed.end(), fs::path(f)) != placed.end();
            std::error_code ec;
            if (!ours && fs::is_regular_file(f, ec)) fs::remove(f, ec);
        }
        fsyncPath(fs::path(s.resolved).parent_path().empty()
                      ? std::string(".")
                      : fs::path(s.resolved).parent_path().string(),
                  true);
        std::error_code ec;
        fs::remove_all(s.folder, ec);
        unregisterForCleanup(fs::absolute(s.folder, ec).string());
    }
    committed_ = true;
}

fs::path OutputFiles::destinationOf(const Staged& s, const std::string& stagedName) {
    // Written under the user's name, placed under the name of the file written through: the
    // main file and its name-plus-suffix sidecars (x.gpkg-wal); a shapefile is never linked,
    // so its sidecars keep their names.
    const fs::path resolved(s.resolved);
    const std::string mine = fs::path(s.target).filename().string();
    const std::string theirs = resolved.filename().string();
    const std::string name =
        stagedName.rfind(mine, 0) == 0 ? theirs + stagedName.substr(mine.size()) : stagedName;
    return resolved.parent_path().empty() ? fs::path(name) : resolved.parent_path() / name;
}

void OutputFiles::requireNotInputFolder(const std::string& path, const std::string& folder) const {
    std::pair<unsigned long, unsigned long> id;
    if (!fileId(folder, id)) return;
    const auto it = std::find(inputFolderIds_.begin(), inputFolderIds_.end(), id);
    if (it != inputFolderIds_.end())
        throw InputError(path + ": is inside the input folder " +
                         inputFolderNames_[static_cast<std::size_t>(it - inputFolderIds_.begin())] +
                         ", which is read as one dataset; onemap never writes into an input — "
                         "choose another output");
}

void OutputFiles::writeAndCommit(const std::function<void()>& write) {
    try {
        write();
        commit();
    } catch (const InputError& e) {
        throw InputError(inUserTerms(e.what()));
    }
}

std::string OutputFiles::inUserTerms(std::string text) const {
    for (const auto& s : staged_) {
        const auto replaceAll = [&text](const std::string& from, const std::string& to) {
            for (auto at = text.find(from); at != std::string::npos;
                 at = text.find(from, at + to.size()))
                text.replace(at, from.size(), to);
        };
        // The staged file is the user's file; anything else staged lies beside it.
        replaceAll((fs::path(s.folder) / fs::path(s.target).filename()).string(), s.target);
        const auto parent = fs::path(s.target).parent_path();
        replaceAll(s.folder + "/", parent.empty() ? "" : parent.string() + "/");
    }
    return text;
}

void OutputFiles::abort() noexcept {
    for (const auto& s : staged_) {
        std::error_code ec;
        fs::remove_all(s.folder, ec);
        unregisterForCleanup(fs::absolute(s.folder, ec).string());
    }
    for (auto it = madeFolders_.rbegin(); it != madeFolders_.rend(); ++it) {
        std::error_code ec;
        if (fs::is_empty(*it, ec)) fs::remove(*it, ec);
    }
    staged_.clear();
}

}  // namespace onemap::gis
