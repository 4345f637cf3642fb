#pragma once
// Private: the admin API (issue 36), the web side of `onemap user`: list, add, password, role
// and cities, disable, logout everywhere. The admin role only (the route table in server.cpp);
// the same checks as the CLI (cities against the plan's admin layer, core::checkCitiesInPlan;
// the store's name and password rules), every change audited by the store with the admin as
// actor. Passwords are never logged nor echoed. An admin cannot disable themselves, and no change
// leaves the store without an enabled admin (409): those checks and the change run under one
// lock, so two requests to this server cannot both pass them (two servers on one PostgreSQL can:
// docs/web.md). Any worker thread.
#include <memory>
#include <mutex>

#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/web/api_request.hpp"
#include "onemap/web/map_store.hpp"

namespace onemap::web {

class UserApi {
  public:
    UserApi(std::shared_ptr<core::bureau::BureauStore> store, const MapStore& maps)
        : store_(std::move(store)), maps_(maps) {}

    /// GET /api/users → {"users": [{"name", "role", "role_label", "cities", "enabled",
    /// "created", "changed"}]}, by name.
    ApiResponse list(const ApiRequest& request) const;
    /// POST /api/users, {"name", "role", "cities", "password"} → the user; 409 for a name taken.
    ApiResponse add(const ApiRequest& request);
    /// POST /api/users/{name}/password, {"password"} → {"name", "password_changed": true}; the
    /// user's sessions are closed.
    ApiResponse setPassword(const ApiRequest& request);
    /// POST /api/users/{name}/role, {"role", "cities"} → the user; the user's sessions are closed.
    ApiResponse setRole(const ApiRequest& request);
    /// POST /api/users/{name}/disable → the user; their sessions are closed.
    ApiResponse disable(const ApiRequest& request);
    /// POST /api/users/{name}/logout-all → {"name", "sessions_closed"}.
    ApiResponse logoutAll(const ApiRequest& request);

  private:
    /// The user the path names; HttpError 404 when there is none.
    core::bureau::User named(const ApiRequest& request) const;
    /// HttpError 409 unless some enabled admin other than `name` is left.
    void keepAnAdminBesides(const std::string& name) const;

    std::shared_ptr<core::bureau::BureauStore> store_;
    const MapStore& maps_;
    std::mutex changing_;  ///< the last-admin checks and the change they guard, as one step
};

}  // namespace onemap::web
