#include "onemap/web/api_request.hpp"

#include <algorithm>

#include "onemap/core/plan/plan.hpp"
#include "onemap/web/http_error.hpp"

namespace onemap::web {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A plain file name: no folder, no dot file, no control character, not too long.
bool plainFileName(const std::string& name) {
    if (name.empty() || name.size() > 200 || name.front() == '.') return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f || c == '/' || c == '\\' || c == ':';
    });
}

// filename*=UTF-8''name or filename="name" (or unquoted) from a Content-Disposition.
std::string dispositionName(const std::string& header) {
    const auto star = header.find("filename*=");
    if (star != std::string::npos) {
        std::string v = header.substr(star + 10);
        v = v.substr(0, v.find(';'));
        const auto quote = v.find("''");
        if (quote != std::string::npos) v = v.substr(quote + 2);
        if (auto d = percentDecode(v, false)) return *d;
        throw HttpError(400, "Content-Disposition: a bad %-escape in filename*");
    }
    const auto at = header.find("filename=");
    if (at == std::string::npos) return "";
    std::string v = header.substr(at + 9);
    if (!v.empty() && v.front() == '"') {
        const auto end = v.find('"', 1);
        return end == std::string::npos ? "" : v.substr(1, end - 1);
    }
    v = v.substr(0, v.find(';'));
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
    return v;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            c = ' ';
        }
        if (c == '\0') return std::nullopt;
        out.push_back(c);
    }
    return out;
}

ApiRequest ApiRequest::fromTarget(std::string method, std::string_view target) {
    ApiRequest r;
    r.method = std::move(method);
    if (target.empty() || target.front() != '/')
        throw HttpError(400, "the request target must be a path beginning with /");
    const auto q = target.find('?');
    const auto path = percentDecode(target.substr(0, q), false);
    if (!path) throw HttpError(400, "the path has a bad %-escape");
    r.path = *path;
    if (q == std::string_view::npos) return r;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const auto key = percentDecode(pair.substr(0, eq), true);
        const auto value = percentDecode(
            eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
        if (!key || !value) throw HttpError(400, "the query has a bad %-escape");
        if (!r.query.emplace(*key, *value).second)
            throw HttpError(400, "query parameter '" + *key + "' is given twice");
    }
    return r;
}

std::optional<std::string> ApiRequest::param(const std::string& name) const {
    const auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

void ApiRequest::allowOnly(std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, value] : query)
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string names;
            for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
            throw HttpError(400, "unknown query parameter '" + key + "'" +
                                     (names.empty() ? " (this endpoint takes none)"
                                                    : " (this endpoint takes " + names + ")"));
        }
}

std::string ApiRequest::date(const std::string& name) const {
    const auto v = param(name);
    if (!v) return "";
    if (!core::isIsoDate(*v))
        throw HttpError(400, name + ": '" + *v + "' is not a YYYY-MM-DD date");
    return *v;
}

std::string ApiRequest::fileName() const {
    std::string name = param("filename").value_or("");
    if (name.empty() && !contentDisposition.empty()) name = dispositionName(contentDisposition);
    if (name.empty()) return "";
    // A client may send a whole path: only its last part names the file.
    const auto slash = name.find_last_of("/\\");
    if (slash != std::string::npos) name = name.substr(slash + 1);
    if (!plainFileName(name))
        throw HttpError(400, "filename: '" + name + "' is not a plain file name");
    return name;
}

}  // namespace onemap::web
