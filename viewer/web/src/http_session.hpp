#pragma once
// One client connection: reads a request within the limits (header and body sizes, idle and
// request timeouts), hands it to a worker through the bounded queue, writes the answer, and
// keeps the connection for the next request. Lives on its socket's strand; owned by the
// shared_ptrs of its pending operations.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "onemap/web/api_request.hpp"
#include "server_state.hpp"

namespace onemap::web {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state);
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    /// Starts reading requests.
    void start();
    /// Answers `status` to whatever comes and closes (too many connections).
    void refuse(int status, const std::string& message);

  private:
    void readHeader();
    void onHeader(boost::beast::error_code ec);
    void readBody();
    void onBody(boost::beast::error_code ec);
    void dispatch();
    void send(ApiResponse response, bool close);
    void onWrite(bool close, boost::beast::error_code ec);
    void closeConnection();
    /// The request's answer: the handler's, or a JSON error; never throws.
    static ApiResponse answer(const GatedHandler& handler, ApiRequest& request);

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> response_;
    std::shared_ptr<ServerState> state_;
    unsigned version_ = 11;
    bool keepAlive_ = true;
    bool counted_ = false;  ///< this request is in state_->inFlight
};

}  // namespace onemap::web
