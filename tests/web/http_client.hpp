#pragma once
// A plain HTTP/1.1 client for the server tests (Boost.Beast, blocking, loopback): one request
// per connection, or raw bytes for requests a well-behaved client would never send. The HTTPS
// client (https_client.hpp) sends its requests through the same exchange().
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace onemap::test {

struct HttpAnswer {
    int status = 0;  ///< 0: the connection closed without an answer
    std::string body;
    std::string contentType;
    std::map<std::string, std::string> headers;  ///< by lower-case name
};

/// One request on a connected stream (plain or TLS); `target` is sent exactly as given.
template <class Stream>
HttpAnswer exchange(Stream& stream, const std::string& method, const std::string& target,
                    const std::string& body = "",
                    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1u << 30);
    beast::error_code ec;
    http::read(stream, buffer, parser, ec);
    if (ec) return {};
    const auto& res = parser.get();
    HttpAnswer answer{static_cast<int>(res.result_int()),
                      res.body(),
                      std::string(res[http::field::content_type]),
                      {}};
    for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        answer.headers[name] = std::string(field.value());
    }
    return answer;
}

/// One request to 127.0.0.1:port; `target` is sent exactly as given.
inline HttpAnswer httpRequest(
    unsigned short port, const std::string& method, const std::string& target,
    const std::string& body = "",
    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    namespace net = boost::asio;
    net::io_context ioc;
    boost::beast::tcp_stream stream(ioc);
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    return exchange(stream, method, target, body, headers);
}

/// Sends `bytes` as they are and reads what comes back until the server closes (or 10 s).
inline std::string rawExchange(unsigned short port, const std::string& bytes) {
    namespace beast = boost::beast;
    namespace net = boost::asio;
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream.expires_after(std::chrono::seconds(10));
    net::write(stream, net::buffer(bytes));
    std::string out;
    char buf[4096];
    beast::error_code ec;
    for (;;) {
        const auto n = stream.read_some(net::buffer(buf), ec);
        out.append(buf, n);
        if (ec) break;
    }
    return out;
}

}  // namespace onemap::test
