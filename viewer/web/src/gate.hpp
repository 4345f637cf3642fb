#pragma once
// Private: the one place requests are admitted (issue 36). For each request it reads the session
// cookie (only when the route or the layer needs to know who calls), checks the route's Access,
// the CSRF token of a state-changing request made with a session, and the layer's `public`
// flag, then fills the request's caller, or throws HttpError 401 (no or no longer valid
// session), 403 (wrong role, CSRF), 404 (a bureau route on a server without accounts). Any
// thread; the store is thread-safe.
#include <memory>
#include <string>

#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/web/access.hpp"
#include "onemap/web/api_request.hpp"

namespace onemap::web {
class AuditWriter;
}

namespace onemap::web {

class MapStore;

class Gate {
  public:
    /// `store` null: a server without accounts, where every caller is Caller::local (and
    /// nothing is recorded). `audit` writes the records of reads (null with no store).
    Gate(std::shared_ptr<core::bureau::BureauStore> store, const MapStore& maps,
         AuditWriter* audit);

    /// The name of the session cookie.
    static constexpr const char* kCookie = "onemap_session";

    /// Admits the request to a route of `access` and fills request.caller; throws HttpError.
    void admit(const Access& access, ApiRequest& request) const;
    /// Whether the request may be answered without knowing its caller (a route open to anyone,
    /// on a public layer if it names one): what the I/O thread's quick path may serve.
    [[nodiscard]] bool admitsQuickly(const Access& access, const ApiRequest& request) const;

    /// The session cookie's value in a Cookie header ("" when absent).
    [[nodiscard]] static std::string sessionToken(const std::string& cookieHeader);
    /// Records an answer of a route with access.auditAction (2xx answers only).
    void record(const Access& access, const ApiRequest& request, const ApiResponse& response) const;
    [[nodiscard]] bool hasAccounts() const { return store_ != nullptr; }

  private:
    [[nodiscard]] bool layerIsPublic(const Access& access, const ApiRequest& request) const;

    std::shared_ptr<core::bureau::BureauStore> store_;
    const MapStore& maps_;
    AuditWriter* audit_;
};

}  // namespace onemap::web
