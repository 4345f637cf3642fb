#pragma once
// Routes: a method and a path pattern, who may call it (Access), and a handler. Patterns are
// literal segments and {name} segments, a {name} may end in a literal suffix ("{y}.mvt"), and a
// last segment
// {*name} takes the rest of the path. A new route is one line:
//     router.add("GET", "/tiles/{layer}/{z}/{x}/{y}.mvt", Access::anyone().layerIn("layer"),
//                handler);
// Every handler runs behind the Gate (set once with setGate): the route's Access is checked and
// the request's caller filled before the handler sees it, so no route can forget it.
// A route may also have a quick handler, run on the I/O thread before the request is queued: it
// answers what it can without heavy work (a cached tile) and gives nullopt (or throws) for the
// rest, which then goes to the workers as usual.
// Routes are added before the server starts; then any thread may match (read-only).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onemap/web/access.hpp"
#include "onemap/web/api_request.hpp"

namespace onemap::web {

class Gate;

using Handler = std::function<ApiResponse(const ApiRequest&)>;
/// An answer the handler would give, when it is cheap to give now; else nullopt.
using QuickHandler = std::function<std::optional<ApiResponse>(const ApiRequest&)>;

/// A handler behind the gate: the request gets its caller (or the gate throws HttpError 401,
/// 403, 404 before the handler runs).
using GatedHandler = std::function<ApiResponse(ApiRequest&)>;
/// A quick handler behind the gate: nullopt whenever admitting the request needs the store.
using GatedQuickHandler = std::function<std::optional<ApiResponse>(ApiRequest&)>;

class Router {
  public:
    void add(std::string method, const std::string& pattern, Access access, Handler handler,
             QuickHandler quick = {});
    /// The gate every route's handler runs behind; set before the server starts.
    void setGate(std::shared_ptr<const Gate> gate);

    struct Match {
        const GatedHandler* handler = nullptr;     ///< null: see status
        const GatedQuickHandler* quick = nullptr;  ///< the route's quick handler, if it has one
        int status = 200;                          ///< 404 no such path, 405 path known, method not
        std::string allow;                         ///< for 405: the methods the path takes
    };
    /// Finds the route for the request and fills request.pathParams.
    [[nodiscard]] Match match(ApiRequest& request) const;

    /// A route as declared, for the role matrix (tests, docs).
    struct Declared {
        std::string method;
        std::string pattern;
        Access access;
    };
    [[nodiscard]] std::vector<Declared> routes() const;

  private:
    struct Segment {
        std::string literal;  ///< a literal segment, or the suffix after {name}
        std::string name;     ///< "" for a literal segment
        bool rest = false;    ///< {*name}
    };
    struct Route {
        std::string method;
        std::string pattern;
        Access access;
        std::vector<Segment> segments;
        GatedHandler handler;
        GatedQuickHandler quick;
    };
    static bool matches(const Route& route, const std::vector<std::string>& parts,
                        std::map<std::string, std::string>& params);
    std::vector<Route> routes_;
    std::shared_ptr<const Gate> gate_;
};

}  // namespace onemap::web
