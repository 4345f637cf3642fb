#pragma once
// Private: signing in and out (POST /api/login, POST /api/logout, GET /api/session). A login
// checks the throttle, then the password (Argon2id, in the store), then opens a fresh
// server-side session: the cookie (HttpOnly, SameSite=Strict, Secure over TLS) carries its
// token; the answer carries the CSRF token the page sends back as X-CSRF-Token. A session the
// request already had is closed first (no fixation). Any worker thread.
#include <chrono>
#include <memory>

#include "login_throttle.hpp"
#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/web/api_request.hpp"

namespace onemap::web {

class SessionApi {
  public:
    SessionApi(std::shared_ptr<core::bureau::BureauStore> store, LoginThrottle::Limits limits,
               std::chrono::seconds lifetime);

    /// {"user", "password"} → 200 {"user", "role", "role_label", "cities", "expires",
    /// "csrf_token"} and the cookie; 401 wrong name or password (one message for every cause);
    /// 429 with Retry-After when attempts come too fast.
    ApiResponse login(const ApiRequest& request);
    /// Closes the caller's session (?everywhere=true: every session of the user).
    ApiResponse logout(const ApiRequest& request);
    /// Who the caller is: {"signed_in": false} for the public.
    ApiResponse whoAmI(const ApiRequest& request) const;

  private:
    std::shared_ptr<core::bureau::BureauStore> store_;
    LoginThrottle throttle_;
    std::chrono::seconds lifetime_;
};

}  // namespace onemap::web
