#pragma once
// A clean scratch folder per test process, removed at exit: parallel ctest runs never share
// one, and nothing is left in the temp dir or the working directory.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

namespace onemap::test {

/// An empty folder of this test process under the system temp dir (unique to the process,
/// so parallel ctest runs never share one), removed when the process ends.
inline std::filesystem::path scratch(const std::string& name) {
    struct Made {
        std::vector<std::filesystem::path> dirs;
        ~Made() {
            std::error_code ec;
            for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
        }
    };
    static Made made;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("onemap-test-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    made.dirs.push_back(dir);
    return dir;
}

}  // namespace onemap::test
