#include "tile_api.hpp"

#include <zlib.h>

#include <cctype>
#include <charconv>

#include "onemap/web/http_error.hpp"

namespace onemap::web {

namespace {

// A tile coordinate: decimal digits only (no sign, no blanks), at most 10 of them.
std::int64_t coordinate(const ApiRequest& request, const char* name) {
    const std::string& text = request.pathParams.at(name);
    std::int64_t value = -1;
    const auto* end = text.data() + text.size();
    const auto [at, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || text.size() > 10 || ec != std::errc() || at != end || text[0] == '-' ||
        text[0] == '+')
        throw HttpError(400, std::string("tile ") + name + " must be a whole number, not '" +
                                 text.substr(0, 40) + "'");
    return value;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

bool acceptsGzip(const std::string& acceptEncoding) {
    const std::string header = lower(acceptEncoding);
    std::size_t start = 0;
    while (start <= header.size()) {
        const auto comma = std::min(header.find(',', start), header.size());
        std::string item = header.substr(start, comma - start);
        start = comma + 1;
        const auto semi = item.find(';');
        std::string coding = item.substr(0, semi);
        coding.erase(0, coding.find_first_not_of(" \t"));
        coding.erase(coding.find_last_not_of(" \t") + 1);
        if (coding != "gzip") continue;
        if (semi == std::string::npos) return true;
        const auto q = item.find("q=", semi);
        if (q == std::string::npos) return true;
        double weight = 1;
        std::from_chars(item.data() + q + 2, item.data() + item.size(), weight);
        return weight > 0;
    }
    return false;
}

std::string gzipped(const std::string& bytes) {
    z_stream z{};
    // 15 window bits + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("zlib: deflateInit2 failed");
    std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = static_cast<uInt>(bytes.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
    return out;
}

std::shared_ptr<const core::MapTiles> TileApi::builtTiles() const {
    const std::uint64_t generation = maps_.generation();
    std::lock_guard lock(mutex_);
    return tiles_ && tilesGeneration_ == generation ? tiles_ : nullptr;
}

std::shared_ptr<const core::MapTiles> TileApi::tiles() const {
    if (auto built = builtTiles()) return built;
    std::lock_guard build(building_);
    if (auto built = builtTiles()) return built;  // another request built them meanwhile
    // Read before the map: a reload during the build leaves these tiles a generation behind,
    // so the next request builds again.
    const std::uint64_t generation = maps_.generation();
    auto fresh = std::make_shared<const core::MapTiles>(maps_.map(""));
    std::lock_guard lock(mutex_);
    tiles_ = fresh;
    tilesGeneration_ = generation;
    return fresh;
}

ApiResponse TileApi::tile(const ApiRequest& request) const { return *answer(request, true); }

std::optional<ApiResponse> TileApi::cachedTile(const ApiRequest& request) const {
    if (!builtTiles()) return std::nullopt;  // a build to do
    return answer(request, false);
}

std::optional<ApiResponse> TileApi::answer(const ApiRequest& request, bool encode) const {
    request.allowOnly({"as_of"});
    const std::string asOf = request.date("as_of");
    if (!encode && !asOf.empty()) return std::nullopt;  // another day: a map may be loaded
    const std::string& layer = request.pathParams.at("layer");
    const auto z = coordinate(request, "z"), x = coordinate(request, "x"),
               y = coordinate(request, "y");
    const auto built = encode ? tiles() : builtTiles();
    if (!built) return std::nullopt;  // reloaded since cachedTile looked: a worker builds
    const core::MapTiles& source = *built;
    if (!source.hasLayer(layer)) throw HttpError(404, "the plan has no layer '" + layer + "'");

    ApiResponse r;
    r.contentType = "application/vnd.mapbox-vector-tile";
    // Revalidated on every use: a changed plan or source changes the ETag.
    r.headers.emplace_back("Cache-Control", "no-cache");
    r.headers.emplace_back("Vary", "Accept-Encoding");
    const std::string etag = source.etag(layer, asOf);
    r.headers.emplace_back("ETag", etag);
    if (!request.ifNoneMatch.empty() && request.ifNoneMatch == etag) {
        (void)gis::TileAddress::checked(z, x, y);  // a bad address is 400 even when cached
        r.status = 304;
        return r;
    }
    const bool gzip = acceptsGzip(request.acceptEncoding);
    // Only tiles with something in them are kept gzipped: a hit is a valid, non-empty tile.
    const std::string gzipKey = etag + " " + std::to_string(z) + "/" + std::to_string(x) + "/" +
                                std::to_string(y) + (asOf.empty() ? "" : " " + asOf);
    if (gzip)
        if (const auto hit = gzipCache_.get(gzipKey)) {
            r.body = *hit;
            r.headers.emplace_back("Content-Encoding", "gzip");
            return r;
        }
    core::MapTiles::Tile t;
    if (encode) {
        t = source.tile(layer, z, x, y, asOf);
    } else if (auto cached = source.cachedTile(layer, z, x, y)) {
        t = std::move(*cached);
    } else {
        return std::nullopt;
    }
    if (!t.bytes || t.bytes->empty()) {
        r.status = 204;
        return r;
    }
    if (gzip) {
        auto packed = std::make_shared<const std::string>(gzipped(*t.bytes));
        gzipCache_.put(gzipKey, packed);
        r.body = *packed;
        r.headers.emplace_back("Content-Encoding", "gzip");
    } else {
        r.body = *t.bytes;
    }
    return r;
}

}  // namespace onemap::web
