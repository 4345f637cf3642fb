#include "http_listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>

#include "http_session.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::web {

namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpListener::HttpListener(net::io_context& ioc, const tcp::endpoint& endpoint,
                           std::shared_ptr<ServerState> state)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), state_(std::move(state)) {
    const std::string where =
        endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    boost::system::error_code ec;
    const auto fail = [&where, &ec](const char* step) {
        if (ec == net::error::address_in_use)
            throw InputError(where +
                             ": the address is in use (another server on this port?); "
                             "give another with --listen HOST:PORT");
        throw InputError(where + ": cannot " + step + ": " + ec.message());
    };
    if (acceptor_.open(endpoint.protocol(), ec); ec) fail("open a socket");
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) fail("set it up");
    if (acceptor_.bind(endpoint, ec); ec) fail("listen");
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) fail("listen");
    port_ = acceptor_.local_endpoint().port();
}

void HttpListener::start() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
}

void HttpListener::stop() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ec;
        self->acceptor_.close(ec);
    });
}

void HttpListener::accept() {
    acceptor_.async_accept(
        net::make_strand(ioc_),
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
            self->onAccept(ec, std::move(socket));
        });
}

namespace {

template <class Session>
void serve(const std::shared_ptr<Session>& session, bool full) {
    if (full)
        session->refuse(503, "too many connections; try again in a moment");
    else
        session->start();
}

}  // namespace

void HttpListener::onAccept(boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        const bool full = state_->connections >= state_->limits.maxConnections;
        if (state_->tls)
            serve(std::make_shared<HttpSession<TlsStream>>(std::move(socket), state_), full);
        else
            serve(std::make_shared<HttpSession<PlainStream>>(std::move(socket), state_), full);
    }
    // Errors of one accept (too many open files, a reset) never stop the server.
    accept();
}

}  // namespace onemap::web
