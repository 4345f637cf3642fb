#include "onemap/web/router.hpp"

#include <set>

#include "gate.hpp"
#include "onemap/web/http_error.hpp"

namespace onemap::web {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t at = 1;  // paths begin with '/'
    while (at <= path.size()) {
        const auto slash = path.find('/', at);
        const auto end = slash == std::string::npos ? path.size() : slash;
        parts.push_back(path.substr(at, end - at));
        at = end + 1;
    }
    return parts;
}

}  // namespace

void Router::add(std::string method, const std::string& pattern, Access access, Handler handler,
                 QuickHandler quick) {
    Route route{std::move(method), pattern, access, {}, {}, {}};
    // The gate is read when the request comes (set after the routes, before the start).
    route.handler = [this, access, h = std::move(handler)](ApiRequest& q) {
        if (!gate_) throw HttpError(500, "internal error: the server has no gate");
        gate_->admit(access, q);
        ApiResponse r = h(q);
        gate_->record(access, q, r);
        return r;
    };
    if (quick)
        route.quick = [this, access, h = std::move(quick)](ApiRequest& q) {
            if (!gate_ || !gate_->admitsQuickly(access, q)) return std::optional<ApiResponse>();
            return h(q);
        };
    for (const auto& part : splitPath(pattern)) {
        Segment s;
        if (!part.empty() && part.front() == '{') {
            const auto close = part.find('}');
            s.name = part.substr(1, close - 1);
            s.literal = part.substr(close + 1);
            if (!s.name.empty() && s.name.front() == '*') {
                s.rest = true;
                s.name.erase(0, 1);
            }
        } else {
            s.literal = part;
        }
        route.segments.push_back(std::move(s));
    }
    routes_.push_back(std::move(route));
}

bool Router::matches(const Route& route, const std::vector<std::string>& parts,
                     std::map<std::string, std::string>& params) {
    params.clear();
    const auto& segs = route.segments;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const Segment& s = segs[i];
        if (s.rest) {
            std::string rest;
            for (std::size_t j = i; j < parts.size(); ++j) rest += (j > i ? "/" : "") + parts[j];
            params[s.name] = rest;
            return true;
        }
        if (i >= parts.size()) return false;
        const std::string& p = parts[i];
        if (s.name.empty()) {
            if (p != s.literal) return false;
            continue;
        }
        if (p.size() <= s.literal.size() ||
            p.compare(p.size() - s.literal.size(), s.literal.size(), s.literal) != 0)
            return false;
        params[s.name] = p.substr(0, p.size() - s.literal.size());
    }
    return parts.size() == segs.size();
}

void Router::setGate(std::shared_ptr<const Gate> gate) { gate_ = std::move(gate); }

std::vector<Router::Declared> Router::routes() const {
    std::vector<Declared> out;
    for (const auto& r : routes_) out.push_back({r.method, r.pattern, r.access});
    return out;
}

Router::Match Router::match(ApiRequest& request) const {
    const auto parts = splitPath(request.path);
    std::set<std::string> allowed;
    std::map<std::string, std::string> params;
    for (const auto& route : routes_) {
        if (!matches(route, parts, params)) continue;
        if (route.method == request.method) {
            request.pathParams = params;
            return {&route.handler, route.quick ? &route.quick : nullptr, 200, ""};
        }
        allowed.insert(route.method);
    }
    if (allowed.empty()) return {nullptr, nullptr, 404, ""};
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    return {nullptr, nullptr, 405, allow};
}

}  // namespace onemap::web
