#include "comment_api.hpp"

#include <nlohmann/json.hpp>

#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/text/text_encoding.hpp"
#include "onemap/web/http_error.hpp"

namespace onemap::web {
namespace {

using Json = nlohmann::json;
namespace bureau = core::bureau;

const std::string kAllComments = "all comments";  // the throttle's key of the global limit

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::int64_t idParam(const std::string& text) {
    if (text.empty() || text.size() > 15 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        throw HttpError(400, "?submission= is a project's number");
    return std::stoll(text);
}

}  // namespace

CommentApi::CommentApi(std::shared_ptr<bureau::BureauStore> store, const PublicityApi& publicity,
                       Limits limits)
    : store_(std::move(store)),
      publicity_(publicity),
      throttle_({limits.burstInAll, limits.refillInAll, limits.burstPerAddress,
                 limits.refillPerAddress}) {}

std::string CommentApi::textProblem(const std::string& text) {
    if (!gis::isWellFormedUtf8(text)) return "the text is not UTF-8";
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        std::uint32_t cp = n == 1 ? lead : lead & (0x7F >> n);
        for (std::size_t k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0))
            return "the text holds a control character (only the newline is taken)";
        ++characters;
        i += n;
    }
    if (text.find_first_not_of(" \n") == std::string::npos) return "the text is empty";
    if (characters > kMaxCharacters)
        return "the text is longer than " + std::to_string(kMaxCharacters) + " characters";
    return "";
}

ApiResponse CommentApi::add(const ApiRequest& request) const {
    request.allowOnly({});
    if (request.body.size() > 16384) throw HttpError(413, "a comment is a short JSON object");
    if (!gis::isWellFormedUtf8(request.body)) throw HttpError(400, "the text is not UTF-8");
    const Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("submission") || !body.contains("text") ||
        !body.at("submission").is_number_integer() || !body.at("text").is_string() ||
        body.size() != 2)
        throw HttpError(400, "send {\"submission\": a project's number, \"text\": \"…\"}");
    const std::string& text = body.at("text").get_ref<const std::string&>();
    if (const auto problem = textProblem(text); !problem.empty()) throw HttpError(400, problem);
    const bureau::Submission s = publicity_.underPublicity(body.at("submission").get<long long>());
    if (const auto wait = throttle_.take(kAllComments, request.remoteAddress); wait.count() > 0) {
        ApiResponse r;
        r.status = 429;
        r.body = dump(
            {{"error", "too many comments; try again in " + std::to_string(wait.count()) + " s"}});
        r.headers.emplace_back("Retry-After", std::to_string(wait.count()));
        return r;
    }
    bureau::Comment c;
    c.submission = s.id;
    c.author = request.caller.name();
    c.fromHash = gis::sha256("onemap comment from " + request.remoteAddress);
    c.text = text;
    const auto kept = store_->addComment(std::move(c));
    ApiResponse r;
    r.body = dump({{"id", kept.id}, {"submission", kept.submission}, {"created", kept.created}});
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

ApiResponse CommentApi::list(const ApiRequest& request) const {
    request.allowOnly({"submission"});
    bureau::CommentFilter f;
    if (const auto id = request.param("submission")) f.submission = idParam(*id);
    Json out = Json::array();
    for (const auto& c : store_->comments(f))
        out.push_back({{"id", c.id},
                       {"submission", c.submission},
                       {"created", c.created},
                       {"author", c.author},
                       {"from", c.fromHash.substr(0, 12)},
                       {"text", c.text},
                       {"hidden", c.hidden}});
    ApiResponse r;
    r.body = dump({{"comments", out}});
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace onemap::web
