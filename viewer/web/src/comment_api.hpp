#pragma once
// Private: comments on projects under 公示 (意见征询, issue 36). Anyone may leave one on a project
// under publicity (POST /api/comments): 1 to 1,000 characters of UTF-8 with no control
// character but the newline, so many per address and so many in all in a time (429 with
// Retry-After beyond), kept with the author (or "" for the public) and a hash of the address,
// recorded in the audit trail by the store. Planners, approvers and admins list them (GET). The
// answers never carry a comment's text back to whoever posted it. Any worker thread.
#include <memory>
#include <string>

#include "login_throttle.hpp"
#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/web/api_request.hpp"
#include "publicity_api.hpp"

namespace onemap::web {

class CommentApi {
  public:
    /// How many comments are taken: a burst per address then one per refill period, and the
    /// same for all addresses together.
    struct Limits {
        double burstPerAddress = 5;
        std::chrono::seconds refillPerAddress{120};  // 5 in 10 minutes
        double burstInAll = 200;
        std::chrono::seconds refillInAll{3};  // 1,200 an hour
    };
    static constexpr std::size_t kMaxCharacters = 1000;

    CommentApi(std::shared_ptr<core::bureau::BureauStore> store, const PublicityApi& publicity,
               Limits limits);

    /// POST /api/comments, {"submission": ID, "text": "…"} → {"id", "submission", "created"};
    /// 400 for a bad body or text, 404 for an unknown project, 409 for one not under publicity,
    /// 429 over the limits.
    ApiResponse add(const ApiRequest& request) const;
    /// GET /api/comments[?submission=ID] → {"comments": [{"id", "submission", "created",
    /// "author", "from", "text", "hidden"}]}, newest first.
    ApiResponse list(const ApiRequest& request) const;

    /// Why `text` may not be kept as a comment ("" when it may): not UTF-8, empty, longer than
    /// kMaxCharacters code points, or a control character other than the newline.
    [[nodiscard]] static std::string textProblem(const std::string& text);

  private:
    std::shared_ptr<core::bureau::BureauStore> store_;
    const PublicityApi& publicity_;
    /// The per-address limit and, under one fixed key, the limit of all comments together.
    mutable LoginThrottle throttle_;
};

}  // namespace onemap::web
