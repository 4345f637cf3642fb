#pragma once
// The files one command writes, made safe as a whole: an output may never be one of the
// command's inputs, nothing appears until every output is written, and an interrupted run
// (an error, Ctrl-C, SIGTERM) leaves nothing behind.
// An OutputFiles is owned by the command that writes (one thread); what it has staged is
// registered with a signal handler that removes it on Ctrl-C or SIGTERM — unless the process
// handles or ignores that signal itself (a server that stops gracefully keeps its handler).
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace onemap::gis {

class OutputFiles {
  public:
    /// `inputs`: every file the command reads (plan, layer sources, sites; connection strings
    /// are skipped). No output may be any file of their file sets (same device and inode, so
    /// links and other spellings of a path are seen through).
    explicit OutputFiles(const std::vector<std::string>& inputs);
    ~OutputFiles();  ///< removes whatever was staged and not committed
    OutputFiles(const OutputFiles&) = delete;
    OutputFiles& operator=(const OutputFiles&) = delete;

    /// Checks the output `path` and returns where to write it instead: the same file name in
    /// a hidden staging folder beside it — beside the file it names when `path` is a symbolic
    /// link (that file is replaced; the link stays). InputError naming `path` when it is an
    /// input, when its folder is missing or not writable, when an existing file there cannot
    /// be replaced (read-only, immutable), for a link loop or a shapefile through a link
    /// (gis/output_target.hpp), or when it exists and !replaceExisting.
    [[nodiscard]] std::string stage(const std::string& path, bool replaceExisting = true);
    /// Creates the output folder `path` (its parent must exist); removed again on abort
    /// when this created it.
    void makeFolder(const std::string& path);
    /// Moves every staged dataset into place, each as a unit (stale sidecars of a replaced
    /// shapefile removed), synced to disk. InputError "<path>: cannot write: <reason>" if a
    /// move fails.
    void commit();
    /// Runs `write` (which writes every staged path), then commit(); an InputError on the way
    /// comes out naming the user's paths, and nothing is left behind.
    void writeAndCommit(const std::function<void()>& write);
    /// `text` (an error message) with every staged path replaced by the user's path.
    [[nodiscard]] std::string inUserTerms(std::string text) const;

  private:
    struct Staged {
        std::string target;    // the user's path
        std::string resolved;  // the file written: the target, or the file a link names
        std::string folder;    // the hidden staging folder beside `resolved`
    };
    [[nodiscard]] static std::filesystem::path destinationOf(const Staged& s,
                                                             const std::string& stagedName);
    void abort() noexcept;
    void requireNotInputFolder(const std::string& path, const std::string& folder) const;
    std::vector<std::pair<unsigned long, unsigned long>> inputIds_;  // (device, inode)
    std::vector<std::string> inputNames_;
    std::vector<std::pair<unsigned long, unsigned long>> inputFolderIds_;  // folder sources
    std::vector<std::string> inputFolderNames_;
    std::vector<Staged> staged_;
    std::vector<std::string> madeFolders_;
    bool committed_ = false;
};

}  // namespace onemap::gis
