#pragma once
// Who may call a route (Access, declared with every route: Router::add takes no route
// without one) and who is calling (Caller, filled by the Gate before any handler runs). The one
// table of roles × routes is in server.cpp's route list; docs/web.md shows it. Plain values.
#include <initializer_list>
#include <optional>
#include <set>
#include <string>

#include "onemap/core/bureau/session.hpp"
#include "onemap/core/bureau/user.hpp"

namespace onemap::web {

using core::bureau::Role;

struct Access {
    /// Anyone, signed in or not (the public): the page, the plan's public layers, checks.
    static Access anyone() { return {}; }
    /// Only a signed-in user with one of these roles; others 403, no session 401.
    static Access signedIn(std::initializer_list<Role> roles) {
        Access a;
        a.roles = roles;
        a.needsSession = true;
        return a;
    }
    /// POST /api/login: anyone, and a session cookie sent with it is neither needed nor trusted.
    static Access login() {
        Access a;
        a.isLogin = true;
        return a;
    }
    /// The layer the request names (path segment {layer} or query ?layer=) must be one the
    /// caller may see: a `public = false` layer is refused to the public role.
    Access& layerIn(std::string paramName) {
        layerParam = std::move(paramName);
        return *this;
    }
    /// A route only a server with accounts (--data or --db) has; without them it answers 404.
    Access& bureauOnly() {
        needsStore = true;
        return *this;
    }

    /// Each answer given (2xx) is recorded in the audit trail as `action`, with the SHA-256 of
    /// the request body and of the answer.
    Access& audited(std::string action) {
        auditAction = std::move(action);
        return *this;
    }

    std::set<Role> roles;  ///< empty: every role
    bool needsSession = false;
    bool isLogin = false;
    bool needsStore = false;
    std::string layerParam;   ///< "" = no layer to check
    std::string auditAction;  ///< "" = not recorded
};

/// Who is calling, as the Gate found them.
struct Caller {
    /// The session the request's cookie opened; nullopt for the public (or a server without
    /// accounts, where `local` is set).
    std::optional<core::bureau::Session> session;
    /// A server without accounts (no --data/--db, loopback only): one person at their own
    /// machine, who may do all a planner may.
    bool local = false;

    [[nodiscard]] Role role() const {
        if (local) return Role::Planner;
        return session ? session->user.role : Role::Public;
    }
    /// The user name, "" for the public; "local" on a server without accounts.
    [[nodiscard]] std::string name() const {
        if (local) return "local";
        return session ? session->user.name : "";
    }
    /// Whether `public = false` layers are shown to this caller.
    [[nodiscard]] bool seesHiddenLayers() const { return role() != Role::Public; }
};

}  // namespace onemap::web
