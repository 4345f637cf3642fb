#pragma once
// Private: GET /api/audit — the audit trail listed and filtered (?actor=&action=&since=&until=
// &before=&limit=), newest first, as JSON or as CSV (?format=csv) for a spreadsheet, with the
// chain's state (GET /api/audit/verify). Records of reads still queued are written first, so a
// planner sees their own last action. Any worker thread.
#include <memory>

#include "audit_writer.hpp"
#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/web/api_request.hpp"

namespace onemap::web {

class AuditApi {
  public:
    AuditApi(std::shared_ptr<core::bureau::BureauStore> store, AuditWriter& writer)
        : store_(std::move(store)), writer_(writer) {}

    ApiResponse list(const ApiRequest& request) const;
    /// {"intact": bool, "records": n, "head": "SEQ:HASH", "first_bad": seq, "reason": "…"}
    ApiResponse verify(const ApiRequest& request) const;

    /// The most records one request lists.
    static constexpr std::int64_t kMaxLimit = 10000;

  private:
    std::shared_ptr<core::bureau::BureauStore> store_;
    AuditWriter& writer_;
};

/// A CSV field: quoted when it holds a comma, quote or line break; a field a spreadsheet would
/// take for a formula (starting with = + - @ or a tab) is prefixed with ' (OWASP's advice).
[[nodiscard]] std::string csvField(const std::string& text);

}  // namespace onemap::web
