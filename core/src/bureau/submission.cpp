#include "onemap/core/bureau/submission.hpp"

namespace onemap::core::bureau {

std::string stateName(SubmissionState state) {
    switch (state) {
        case SubmissionState::Pending:
            return "pending";
        case SubmissionState::Approved:
            return "approved";
        case SubmissionState::Rejected:
            return "rejected";
    }
    return "pending";
}

std::optional<SubmissionState> parseState(const std::string& text) {
    for (const auto s :
         {SubmissionState::Pending, SubmissionState::Approved, SubmissionState::Rejected})
        if (stateName(s) == text) return s;
    return std::nullopt;
}

}  // namespace onemap::core::bureau
