#pragma once
// A comment on a project under 公示 (意见征询): who left it (a user, or "" for the public), from
// where (only a hash of the address is kept), and its text as given. Plain values; any thread.
#include <cstdint>
#include <string>

namespace onemap::core::bureau {

struct Comment {
    std::int64_t id = 0;          ///< 1, 2, 3, … (the store's)
    std::int64_t submission = 0;  ///< the approved submission commented on
    std::string created;          ///< UTC
    std::string author;           ///< the signed-in user, "" for the public
    std::string fromHash;         ///< SHA-256 of the caller's address (never the address)
    std::string text;             ///< UTF-8, as given (shown as text, never as HTML)
    bool hidden = false;          ///< withdrawn by moderation (kept, not shown to the public)
};

struct CommentFilter {
    std::int64_t submission = 0;  ///< 0 = on any submission
    std::int64_t limit = 500;     ///< newest first, at most this many
};

}  // namespace onemap::core::bureau
