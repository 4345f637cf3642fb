#pragma once
// Small helpers the test files share: running the CLI in-process, a clean scratch folder,
// the output of an external tool (pdftotext, chromium, ...).
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "onemap/cli/run.hpp"
#include "onemap/gis/layer/vector_layer.hpp"
#include "scratch.hpp"

namespace onemap::test {

struct CliResult {
    int code;
    std::string out;
    std::string err;
};

inline CliResult runCli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    const int code = cli::run(args, out, err);
    return {code, out.str(), err.str()};
}

/// stdout of a shell command; the command must succeed.
inline std::string capture(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    char buf[4096];
    while (const auto n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
    REQUIRE(pclose(pipe) == 0);
    return out;
}

/// The rectangle [x0, x1] × [y0, y1] as a polygon: hand-worked areas.
inline gis::Geometry rect(double x0, double y0, double x1, double y1) {
    return gis::Geometry::polygon({{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}});
}

/// A layer in EPSG:4549 with one feature per geometry and a text field `id` = ids[i].
inline gis::VectorLayer layerOf(const std::string& name,
                                const std::vector<gis::Geometry>& geometries,
                                const std::vector<std::string>& ids = {}) {
    gis::VectorLayer l;
    l.name = name;
    l.crs = gis::Crs::fromEpsg(4549);
    l.geometryType = geometries.empty() ? "Unknown" : geometries.front().typeName();
    l.fields = {{"id", gis::FieldType::String}};
    for (std::size_t i = 0; i < geometries.size(); ++i) {
        gis::Feature f;
        f.fid = static_cast<std::int64_t>(i + 1);
        f.values = {i < ids.size() ? gis::Value{ids[i]} : gis::Value{}};
        f.geometry = geometries[i];
        l.features.push_back(std::move(f));
    }
    return l;
}

/// A file's bytes ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Writes `bytes` to `path`; returns the path.
inline std::string put(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
}

}  // namespace onemap::test
