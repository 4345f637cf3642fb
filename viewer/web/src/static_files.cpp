#include "static_files.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "onemap/web/http_error.hpp"

namespace onemap::web {
namespace {

namespace fs = std::filesystem;

std::string contentType(const fs::path& file) {
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".png", "image/png"},
        {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"},
        {".pbf", "application/x-protobuf"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"}};
    const auto it = types.find(file.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) {
    std::error_code ec;
    if (!root.empty() && fs::is_directory(root, ec)) root_ = fs::canonical(root, ec).string();
}

ApiResponse StaticFiles::serve(const ApiRequest& request) const {
    request.allowOnly({});
    std::string rel = request.path.substr(1);
    if (rel.empty()) rel = "index.html";
    if (rel.find('\\') != std::string::npos) throw HttpError(400, "a path with a backslash");
    fs::path path(root_);
    std::size_t at = 0;
    while (at <= rel.size()) {
        const auto slash = rel.find('/', at);
        const std::string seg =
            rel.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
        if (seg.empty() || seg == "." || seg == "..")
            throw HttpError(400, "a path with an empty, '.' or '..' segment");
        path /= seg;
        if (slash == std::string::npos) break;
        at = slash + 1;
    }
    const auto notFound = [&request] {
        return HttpError(404, "no such resource: " + request.path);
    };
    if (root_.empty()) throw notFound();
    std::error_code ec;
    const fs::path real = fs::canonical(path, ec);
    // Links inside the folder may not lead out of it.
    if (ec || !fs::is_regular_file(real, ec) ||
        real.string().compare(0, root_.size() + 1, root_ + "/") != 0)
        throw notFound();
    std::ifstream in(real, std::ios::binary);
    ApiResponse r;
    r.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw notFound();
    r.contentType = contentType(real);
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
}

}  // namespace onemap::web
