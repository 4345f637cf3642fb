#pragma once
// Accepts connections on one endpoint and starts a session for each (each on its own strand;
// HTTPS when the state has TLS settings), refusing with 503 beyond the connection limit. Owned by
// the Server; runs on the I/O threads.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "server_state.hpp"

namespace onemap::web {

class HttpListener : public std::enable_shared_from_this<HttpListener> {
  public:
    /// Binds and listens; throws InputError "HOST:PORT: reason" when it cannot.
    HttpListener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
                 std::shared_ptr<ServerState> state);
    void start();
    /// Stops accepting (the listening socket is closed on its strand).
    void stop();
    [[nodiscard]] unsigned short port() const { return port_; }

  private:
    void accept();
    void onAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::shared_ptr<ServerState> state_;
    unsigned short port_ = 0;
};

}  // namespace onemap::web
