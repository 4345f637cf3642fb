#pragma once
// One client connection: (over TLS, a handshake first, within the request timeout) reads a
// request within the limits (header and body sizes, idle and request timeouts), hands it to a
// worker through the bounded queue, writes the answer, and keeps the connection for the next
// request. One implementation for both streams: HttpSession<beast::tcp_stream> (plain HTTP) and
// HttpSession<beast::ssl_stream<beast::tcp_stream>> (HTTPS), instantiated in http_session.cpp.
// Lives on its socket's strand; owned by the shared_ptrs of its pending operations.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <optional>
#include <type_traits>

#include "onemap/web/api_request.hpp"
#include "server_state.hpp"

namespace onemap::web {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
  public:
    static constexpr bool isTls = std::is_same_v<Stream, TlsStream>;

    /// Over TLS, with the settings in state->tls (which must then be set).
    HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state);
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    /// Starts reading requests (after the handshake, over TLS).
    void start();
    /// Answers `status` to whatever comes and closes (too many connections).
    void refuse(int status, const std::string& message);

  private:
    /// The TLS handshake within the request timeout, then `next`; plain: `next` at once. A
    /// failed or slow handshake (plain HTTP sent, a hello cut off) closes the connection.
    template <class Next>
    void handshake(Next next);
    void readHeader();
    void onHeader(boost::beast::error_code ec);
    void readBody();
    void onBody(boost::beast::error_code ec);
    void dispatch();
    void send(ApiResponse response, bool close);
    void onWrite(bool close, boost::beast::error_code ec);
    /// Over TLS after a handshake: close_notify (within the request timeout), then the socket.
    void closeConnection();
    void closeSocket();
    static Stream makeStream(boost::asio::ip::tcp::socket&& socket, ServerState& state);
    [[nodiscard]] boost::beast::tcp_stream& tcp() {
        return boost::beast::get_lowest_layer(stream_);
    }
    /// The request's answer: the handler's, or a JSON error; never throws.
    static ApiResponse answer(const GatedHandler& handler, ApiRequest& request);

    std::shared_ptr<ServerState> state_;  // before stream_: the TLS settings it is made with
    Stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> response_;
    unsigned version_ = 11;
    bool keepAlive_ = true;
    bool counted_ = false;     ///< this request is in state_->inFlight
    bool handshaken_ = false;  ///< TLS is up (a close then says close_notify)
    bool closing_ = false;
};

extern template class HttpSession<PlainStream>;
extern template class HttpSession<TlsStream>;

}  // namespace onemap::web
