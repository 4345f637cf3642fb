#include "gate.hpp"

#include "audit_writer.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/web/http_error.hpp"
#include "onemap/web/map_store.hpp"

namespace onemap::web {
namespace {

bool changesState(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

Gate::Gate(std::shared_ptr<core::bureau::BureauStore> store, const MapStore& maps,
           AuditWriter* audit)
    : store_(std::move(store)), maps_(maps), audit_(audit) {}

void Gate::record(const Access& access, const ApiRequest& request,
                  const ApiResponse& response) const {
    if (!audit_ || access.auditAction.empty() || response.status / 100 != 2) return;
    std::string subject = request.path;
    char sep = '?';
    for (const auto& [k, v] : request.query) {
        subject += sep + k + "=" + v;
        sep = '&';
    }
    audit_->record({request.caller.name(), access.auditAction, subject,
                    "from " + request.remoteAddress + "; " + std::to_string(response.status),
                    request.body.empty() ? "" : gis::sha256(request.body),
                    gis::sha256(response.body)});
}

std::string Gate::sessionToken(const std::string& cookieHeader) {
    // "a=1; onemap_session=TOKEN; b=2": the first cookie of that name.
    const std::string name = std::string(kCookie) + "=";
    std::size_t at = 0;
    while (at < cookieHeader.size()) {
        while (at < cookieHeader.size() && (cookieHeader[at] == ' ' || cookieHeader[at] == ';'))
            ++at;
        const auto end = std::min(cookieHeader.find(';', at), cookieHeader.size());
        if (cookieHeader.compare(at, name.size(), name) == 0)
            return cookieHeader.substr(at + name.size(), end - at - name.size());
        at = end;
    }
    return "";
}

bool Gate::layerIsPublic(const Access& access, const ApiRequest& request) const {
    if (access.layerParam.empty()) return true;
    std::string layer;
    if (auto p = request.pathParams.find(access.layerParam); p != request.pathParams.end())
        layer = p->second;
    else if (auto q = request.param(access.layerParam))
        layer = *q;
    if (layer.empty()) return true;  // the handler answers a missing layer
    for (const auto& spec : maps_.declared().layers)
        if (spec.id == layer) return spec.isPublic;
    return true;  // unknown: the handler answers 404 as it always has
}

bool Gate::admitsQuickly(const Access& access, const ApiRequest& request) const {
    if (access.needsSession || access.isLogin || access.needsStore) return false;
    return !store_ || layerIsPublic(access, request);
}

void Gate::admit(const Access& access, ApiRequest& request) const {
    request.caller = {};
    if (!store_) {
        if (access.needsStore || access.isLogin)
            throw HttpError(404,
                            "this server runs without accounts: start it with --data DIR "
                            "or --db URL for " +
                                request.path);
        request.caller.local = true;
        return;
    }
    if (access.isLogin) return;  // a cookie sent with a login is neither needed nor trusted
    const bool hiddenLayer = !layerIsPublic(access, request);
    const std::string token = sessionToken(request.cookie);
    if (!token.empty()) request.caller.session = store_->session(token);
    const auto& session = request.caller.session;
    if ((access.needsSession || hiddenLayer) && !session)
        throw HttpError(401, token.empty() ? "sign in first (POST /api/login)"
                                           : "the session has ended; sign in again");
    if (session && changesState(request.method) &&
        !core::bureau::sameSecret(gis::sha256(request.csrfToken), session->csrfHash))
        throw HttpError(403, "a state-changing request needs the session's X-CSRF-Token header");
    if (!access.roles.empty() && !access.roles.count(request.caller.role()))
        throw HttpError(403, "the role " + core::bureau::roleName(request.caller.role()) +
                                 " may not " + request.method + " " + request.path);
    if (hiddenLayer && !request.caller.seesHiddenLayers())
        throw HttpError(403, "this layer is not public");
}

}  // namespace onemap::web
