#pragma once
// Routes: a method and a path pattern to a handler. Patterns are literal segments and
// {name} segments, a {name} may end in a literal suffix ("{y}.mvt"), and a last segment
// {*name} takes the rest of the path. A new route is one line:
//     router.add("GET", "/tiles/{layer}/{z}/{x}/{y}.mvt", handler);
// A route may also have a quick handler, run on the I/O thread before the request is queued: it
// answers what it can without heavy work (a cached tile) and gives nullopt (or throws) for the
// rest, which then goes to the workers as usual.
// Routes are added before the server starts; then any thread may match (read-only).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "onemap/web/api_request.hpp"

namespace onemap::web {

using Handler = std::function<ApiResponse(const ApiRequest&)>;
/// An answer the handler would give, when it is cheap to give now; else nullopt.
using QuickHandler = std::function<std::optional<ApiResponse>(const ApiRequest&)>;

class Router {
  public:
    void add(std::string method, const std::string& pattern, Handler handler,
             QuickHandler quick = {});

    struct Match {
        const Handler* handler = nullptr;     ///< null: see status
        const QuickHandler* quick = nullptr;  ///< the route's quick handler, if it has one
        int status = 200;                     ///< 404 no such path, 405 path known, method not
        std::string allow;                    ///< for 405: the methods the path takes
    };
    /// Finds the route for the request and fills request.pathParams.
    [[nodiscard]] Match match(ApiRequest& request) const;

  private:
    struct Segment {
        std::string literal;  ///< a literal segment, or the suffix after {name}
        std::string name;     ///< "" for a literal segment
        bool rest = false;    ///< {*name}
    };
    struct Route {
        std::string method;
        std::vector<Segment> segments;
        Handler handler;
        QuickHandler quick;
    };
    static bool matches(const Route& route, const std::vector<std::string>& parts,
                        std::map<std::string, std::string>& params);
    std::vector<Route> routes_;
};

}  // namespace onemap::web
