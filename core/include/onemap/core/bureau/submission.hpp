#pragma once
// A project submitted for approval (项目选址申请), as data: the site file as uploaded, the check
// it got then, and what an approver decided. Plain values; any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace onemap::core::bureau {

enum class SubmissionState { Pending, Approved, Rejected };

/// "pending", "approved", "rejected"
[[nodiscard]] std::string stateName(SubmissionState state);
/// The state of a name stateName gives; nullopt for anything else.
[[nodiscard]] std::optional<SubmissionState> parseState(const std::string& text);

struct Submission {
    std::int64_t id = 0;    ///< 1, 2, 3, … (the store's)
    std::string submitter;  ///< the user who submitted
    std::string created;    ///< UTC
    std::string fileName;   ///< as uploaded ("sites.geojson")
    std::string siteBytes;  ///< the file as uploaded (empty in lists)
    std::string siteSha256;
    std::string checkJson;            ///< `onemap check --format json` at submission
    std::vector<std::string> cities;  ///< the admin units its sites lie in
    std::string summary;              ///< "2 sites: 1 pass, 1 fail"
    SubmissionState state = SubmissionState::Pending;
    std::string decidedBy;     ///< the approver
    std::string decided;       ///< UTC
    std::string reason;        ///< the approver's words
    std::string decisionJson;  ///< the check on the approval day (approvals)
};

struct SubmissionFilter {
    std::string submitter;  ///< "" = anyone's
    std::optional<SubmissionState> state;
    std::int64_t limit = 200;  ///< newest first, at most this many
};

}  // namespace onemap::core::bureau
