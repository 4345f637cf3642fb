#pragma once
// A request as the API handlers see it (method, decoded path and query, the few headers they
// read, the body) and the answer they give: plain values, no Beast types, so handlers are
// tested and written without the network. Owned by the session that read it; one handler
// thread reads it at a time.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onemap/web/access.hpp"

namespace onemap::web {

struct ApiResponse {
    int status = 200;
    std::string contentType = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers
};

class ApiRequest {
  public:
    /// Splits `target` ("/api/check?as_of=2024-01-01") into its decoded path and query.
    /// Throws HttpError 400 for a target that is not an origin path, a bad %-escape, a NUL or
    /// a query parameter given twice.
    static ApiRequest fromTarget(std::string method, std::string_view target);

    std::string method;                        ///< "GET", "POST", ... as sent
    std::string path;                          ///< %-decoded
    std::map<std::string, std::string> query;  ///< %-decoded, '+' as space
    std::string contentType;
    std::string contentDisposition;
    std::string acceptEncoding;  ///< Accept-Encoding, as sent
    std::string ifNoneMatch;     ///< If-None-Match, as sent
    std::string cookie;          ///< Cookie, as sent
    std::string csrfToken;       ///< X-CSRF-Token, as sent
    std::string remoteAddress;   ///< the peer's IP address ("" when unknown)
    bool secure = false;         ///< read over TLS
    std::string body;
    /// What the route's {name} segments matched, by name (the router fills it).
    std::map<std::string, std::string> pathParams;
    /// Who is calling: filled by the Gate before the handler runs.
    Caller caller;

    /// The query value, or nullopt when absent.
    [[nodiscard]] std::optional<std::string> param(const std::string& name) const;
    /// HttpError 400 naming the first query parameter not in `allowed`.
    void allowOnly(std::initializer_list<std::string_view> allowed) const;
    /// A YYYY-MM-DD query value ("" when absent); HttpError 400 when it is not a date.
    [[nodiscard]] std::string date(const std::string& name) const;
    /// The file name the client gave, from ?filename= or Content-Disposition ("" when none);
    /// HttpError 400 for a name that is not a plain file name.
    [[nodiscard]] std::string fileName() const;
};

/// %XX decoding; '+' becomes a space when `plusIsSpace`. nullopt for a bad escape or a NUL.
[[nodiscard]] std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace);

}  // namespace onemap::web
