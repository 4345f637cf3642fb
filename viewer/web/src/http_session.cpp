#include "http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/core/check/feedback.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/web/http_error.hpp"

namespace onemap::web {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

// The peer went away or spoke no HTTP over TLS: nothing more can be said on this connection.
bool connectionLost(beast::error_code ec) {
    return ec == http::error::end_of_stream || ec == beast::error::timeout ||
           ec == net::error::operation_aborted || ec == net::error::connection_reset ||
           ec == net::error::eof || ec == net::ssl::error::stream_truncated ||
           ec.category() == net::error::get_ssl_category();
}

}  // namespace

template <class Stream>
Stream HttpSession<Stream>::makeStream(net::ip::tcp::socket&& socket, ServerState& state) {
    if constexpr (isTls)
        return Stream(std::move(socket), *state.tls);
    else
        return Stream(std::move(socket));
}

template <class Stream>
HttpSession<Stream>::HttpSession(net::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state)
    : state_(std::move(state)), stream_(makeStream(std::move(socket), *state_)) {
    ++state_->connections;
}

template <class Stream>
HttpSession<Stream>::~HttpSession() {
    if (counted_) --state_->inFlight;
    --state_->connections;
}

template <class Stream>
void HttpSession<Stream>::start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
        self->handshake([self] { self->readHeader(); });
    });
}

template <class Stream>
void HttpSession<Stream>::refuse(int status, const std::string& message) {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this(), status, message] {
        self->handshake([self, status, message] { self->send(jsonError(status, message), true); });
    });
}

template <class Stream>
template <class Next>
void HttpSession<Stream>::handshake(Next next) {
    if constexpr (isTls) {
        // A client that never finishes its hello is dropped as a slow request is.
        tcp().expires_after(state_->limits.requestTimeout);
        stream_.async_handshake(
            net::ssl::stream_base::server,
            [self = this->shared_from_this(), next = std::move(next)](beast::error_code ec) {
                if (ec) return self->closeSocket();
                self->handshaken_ = true;
                next();
            });
    } else {
        next();
    }
}

template <class Stream>
void HttpSession<Stream>::readHeader() {
    if (state_->stopping) return closeConnection();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->limits.headerBytes));
    parser_->body_limit(state_->limits.bodyBytes);
    // A connection waiting for its next request, or sending its header slowly, is idle.
    tcp().expires_after(state_->limits.idleTimeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                self->onHeader(ec);
                            });
}

template <class Stream>
void HttpSession<Stream>::onHeader(beast::error_code ec) {
    if (connectionLost(ec)) return closeConnection();
    if (ec == http::error::header_limit)
        return send(jsonError(431, "the request header is larger than the server takes (" +
                                       std::to_string(state_->limits.headerBytes) + " bytes)"),
                    true);
    if (ec == http::error::body_limit)  // a Content-Length over the limit, seen in the header
        return send(jsonError(413, "the body is larger than the server takes (" +
                                       std::to_string(state_->limits.bodyBytes) + " bytes)"),
                    true);
    if (ec) return send(jsonError(400, "not an HTTP/1.1 request: " + ec.message()), true);
    const auto& header = parser_->get();
    version_ = header.version();
    keepAlive_ = header.keep_alive();
    if (const auto length = parser_->content_length(); length && *length > state_->limits.bodyBytes)
        return send(jsonError(413, "the body (" + std::to_string(*length) +
                                       " bytes) is larger than the server takes (" +
                                       std::to_string(state_->limits.bodyBytes) + " bytes)"),
                    true);
    if (beast::iequals(header[http::field::expect], "100-continue")) {
        auto cont =
            std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
        return http::async_write(
            stream_, *cont,
            [self = this->shared_from_this(), cont](beast::error_code e, std::size_t) {
                if (e) return self->closeConnection();
                self->readBody();
            });
    }
    readBody();
}

template <class Stream>
void HttpSession<Stream>::readBody() {
    // The whole request within the request timeout: a client sending a byte a second is
    // dropped and holds no thread meanwhile.
    tcp().expires_after(state_->limits.requestTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
}

template <class Stream>
void HttpSession<Stream>::onBody(beast::error_code ec) {
    if (ec == http::error::body_limit)
        return send(jsonError(413, "the body is larger than the server takes (" +
                                       std::to_string(state_->limits.bodyBytes) + " bytes)"),
                    true);
    if (connectionLost(ec) || ec == http::error::partial_message) return closeConnection();
    if (ec) return send(jsonError(400, "a malformed request: " + ec.message()), true);
    tcp().expires_never();
    dispatch();
}

template <class Stream>
void HttpSession<Stream>::dispatch() {
    auto message = parser_->release();
    ApiRequest request;
    try {
        request = ApiRequest::fromTarget(
            std::string(message.method_string()),
            std::string_view(message.target().data(), message.target().size()));
    } catch (const HttpError& e) {
        return send(jsonError(e.status(), e.what()), true);
    }
    request.contentType = std::string(message[http::field::content_type]);
    request.contentDisposition = std::string(message[http::field::content_disposition]);
    request.acceptEncoding = std::string(message[http::field::accept_encoding]);
    request.ifNoneMatch = std::string(message[http::field::if_none_match]);
    request.cookie = std::string(message[http::field::cookie]);
    request.csrfToken = std::string(message["X-CSRF-Token"]);
    {
        beast::error_code ec;
        const auto peer = tcp().socket().remote_endpoint(ec);
        if (!ec) request.remoteAddress = peer.address().to_string();
    }
    request.secure = isTls;
    request.body = std::move(message.body());
    const Router::Match match = state_->router.match(request);
    if (!match.handler) {
        auto r =
            jsonError(match.status, match.status == 404
                                        ? "no such resource: " + request.path
                                        : "method " + request.method + " is not allowed on " +
                                              request.path + " (allowed: " + match.allow + ")");
        if (!match.allow.empty()) r.headers.emplace_back("Allow", match.allow);
        return send(std::move(r), false);
    }
    counted_ = true;
    ++state_->inFlight;
    if (match.quick) {
        // Answered now on this thread if that is cheap (a cached tile); anything else, an
        // error included, is left to the handler on the workers, which answers it in full.
        std::optional<ApiResponse> quick;
        try {
            quick = (*match.quick)(request);
        } catch (const std::exception&) {
            quick.reset();
        }
        if (quick) return send(std::move(*quick), false);
    }
    const GatedHandler* handler = match.handler;
    auto job = [self = this->shared_from_this(), handler, request = std::move(request)]() mutable {
        ApiResponse r = answer(*handler, request);
        net::post(self->stream_.get_executor(),
                  [self, r = std::move(r)]() mutable { self->send(std::move(r), false); });
    };
    if (!state_->work.tryPost(std::move(job)))
        send(jsonError(503, "the server is busy; try again in a moment"), false);
}

template <class Stream>
ApiResponse HttpSession<Stream>::answer(const GatedHandler& handler, ApiRequest& request) {
    try {
        return handler(request);
    } catch (const HttpError& e) {
        return jsonError(e.status(), e.what());
    } catch (const InputError& e) {
        return jsonError(400, e.what());
    } catch (const core::bureau::StoreUnavailableError& e) {
        return jsonError(503, std::string("the bureau's store is away; try again: ") + e.what());
    } catch (const core::Cancelled&) {
        return jsonError(503, "cancelled");
    } catch (const std::bad_alloc&) {
        return jsonError(503, "the server ran out of memory for this request");
    } catch (const std::exception& e) {
        return jsonError(500, std::string("internal error: ") + e.what());
    }
}

template <class Stream>
void HttpSession<Stream>::send(ApiResponse r, bool close) {
    response_ = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), version_);
    response_->set(http::field::server, "onemap");
    response_->set(http::field::content_type, r.contentType);
    response_->set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : r.headers) response_->set(name, value);
    response_->body() = std::move(r.body);
    close = close || !keepAlive_ || state_->stopping;
    response_->keep_alive(!close);
    response_->prepare_payload();
    tcp().expires_after(state_->limits.requestTimeout);
    http::async_write(stream_, *response_,
                      [self = this->shared_from_this(), close](beast::error_code ec, std::size_t) {
                          self->onWrite(close, ec);
                      });
}

template <class Stream>
void HttpSession<Stream>::onWrite(bool close, beast::error_code ec) {
    response_.reset();
    if (counted_) {
        counted_ = false;
        --state_->inFlight;
    }
    if (ec || close) return closeConnection();
    readHeader();
}

template <class Stream>
void HttpSession<Stream>::closeConnection() {
    if constexpr (isTls) {
        if (handshaken_ && !closing_ && tcp().socket().is_open()) {
            closing_ = true;
            tcp().expires_after(state_->limits.requestTimeout);
            return stream_.async_shutdown(
                [self = this->shared_from_this()](beast::error_code) { self->closeSocket(); });
        }
    }
    closeSocket();
}

template <class Stream>
void HttpSession<Stream>::closeSocket() {
    beast::error_code ec;
    tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    tcp().socket().close(ec);
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace onemap::web
