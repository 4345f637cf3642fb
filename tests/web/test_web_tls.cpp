// onemap serve over HTTPS: a self-signed certificate made at test time, a real TLS client that
// verifies it, /api/info over TLS equal to the plain server's byte for byte; clients speaking
// the wrong protocol or stopping mid-handshake are dropped and the servers go on; bad
// certificates and plain HTTP off loopback refused before listening (library and CLI).
#include <sys/wait.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "../bureau/bureau_test_support.hpp"
#include "../test_support.hpp"
#include "https_client.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/web/server.hpp"

namespace fs = std::filesystem;
using onemap::test::httpRequest;
using onemap::test::httpsRequest;

namespace {

struct Certificate {
    std::string cert;
    std::string key;
};

// The servers' certificate and key, and a second pair whose key matches neither.
const Certificate& certificate(int which = 0) {
    static const std::array<Certificate, 2> made = [] {
        const fs::path dir = onemap::test::scratch("web-tls");
        std::array<Certificate, 2> out;
        for (int i = 0; i < 2; ++i) {
            const auto n = std::to_string(i);
            out[i] = {(dir / ("cert" + n + ".pem")).string(),
                      (dir / ("key" + n + ".pem")).string()};
            onemap::test::writeSelfSignedCertificate(out[i].cert, out[i].key);
        }
        return out;
    }();
    return made[which];
}

// A route that says whether its request came over TLS (POST: the page's GET route takes all
// other GET paths first).
onemap::web::ApiResponse secureEcho(const onemap::web::ApiRequest& q) {
    onemap::web::ApiResponse a;
    a.body = std::string(q.secure ? "secure" : "plain") + " " + q.remoteAddress;
    return a;
}

// One server of each kind for this file, with short timeouts (a stalled handshake is dropped
// within the test's seconds).
onemap::web::Server& server(bool tls) {
    const auto make = [](bool withTls) {
        setenv("XDG_CACHE_HOME", onemap::test::scratch("web-tls-cache").c_str(), 1);
        onemap::web::ServerOptions o;
        o.port = 0;
        o.version = ONEMAP_VERSION;
        o.limits.requestTimeout = std::chrono::milliseconds(1500);
        o.limits.idleTimeout = std::chrono::milliseconds(1000);
        if (withTls) {
            o.tlsCertPath = certificate().cert;
            o.tlsKeyPath = certificate().key;
        }
        auto s = std::make_unique<onemap::web::Server>(o);
        s->router().add("POST", "/test/secure", onemap::web::Access::anyone(), &secureEcho);
        s->start();
        return s;
    };
    // Each made on first use (ctest runs every test case in its own process).
    if (tls) {
        static std::unique_ptr<onemap::web::Server> secure = make(true);
        return *secure;
    }
    static std::unique_ptr<onemap::web::Server> plain = make(false);
    return *plain;
}

struct RawResult {
    std::string received;
    bool closedByServer = false;
};

// Sends `bytes` on a new connection, then reads until the server closes it (or 10 s pass).
RawResult sendAndWaitForClose(unsigned short port, const std::string& bytes) {
    namespace net = boost::asio;
    net::io_context ioc;
    net::ip::tcp::socket socket(ioc);
    socket.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    net::write(socket, net::buffer(bytes));
    RawResult result;
    std::array<char, 4096> buffer{};
    std::function<void()> readMore = [&] {
        socket.async_read_some(
            net::buffer(buffer), [&](boost::system::error_code ec, std::size_t n) {
                result.received.append(buffer.data(), n);
                if (!ec) return readMore();
                result.closedByServer = ec == net::error::eof || ec == net::error::connection_reset;
            });
    };
    readMore();
    ioc.run_for(std::chrono::seconds(10));
    return result;
}

// The first bytes of a TLS ClientHello: a handshake record announcing 512 bytes, 6 sent.
const std::string kPartialHello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);

// The handshake's error with a client that offers at most `maxVersion` (and would take any
// cipher), "" when it succeeds.
std::string handshakeError(unsigned short port, int maxVersion) {
    namespace net = boost::asio;
    namespace beast = boost::beast;
    net::io_context ioc;
    net::ssl::context ctx(net::ssl::context::tls_client);
    SSL_CTX_set_security_level(ctx.native_handle(), 0);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx.native_handle(), maxVersion);
    SSL_CTX_set_cipher_list(ctx.native_handle(), "ALL:@SECLEVEL=0");
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    beast::get_lowest_layer(stream).connect(
        net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    beast::error_code ec;
    stream.handshake(net::ssl::stream_base::client, ec);
    return ec ? ec.message() : "";
}

struct CliRun {
    int exitCode = -1;
    std::string err;
};

// `onemap serve ARGS` with a time limit (a server that wrongly starts is stopped by `timeout`).
CliRun serve(const std::string& args, int seconds = 60) {
    const fs::path dir = onemap::test::scratch("web-tls-cli");
    const std::string err = (dir / "err.txt").string();
    const int status =
        std::system(("cd " + dir.string() + " && timeout " + std::to_string(seconds) +
                     " " ONEMAP_CLI_BINARY " serve " + args + " > /dev/null 2> " + err)
                        .c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, onemap::test::slurp(err)};
}

int lines(const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("web tls: /api/info over HTTPS is the plain server's answer byte for byte",
          "[web][tls]") {
    const unsigned short tlsPort = server(true).port();
    CHECK(server(true).url().rfind("https://127.0.0.1:", 0) == 0);
    CHECK(server(false).url().rfind("http://127.0.0.1:", 0) == 0);
    const auto overTls = httpsRequest(tlsPort, certificate().cert, "GET", "/api/info");
    const auto plain = httpRequest(server(false).port(), "GET", "/api/info");
    REQUIRE(overTls.status == 200);
    CHECK(overTls.status == plain.status);
    CHECK(overTls.contentType == plain.contentType);
    CHECK(overTls.body == plain.body);
    CHECK(overTls.body.find("\"plan\"") != std::string::npos);
    // The handlers know which connections are secure (session cookies get Secure from it).
    CHECK(httpsRequest(tlsPort, certificate().cert, "POST", "/test/secure").body ==
          "secure 127.0.0.1");
    CHECK(httpRequest(server(false).port(), "POST", "/test/secure").body == "plain 127.0.0.1");
    // A client that trusts another certificate refuses this server.
    CHECK_THROWS(httpsRequest(tlsPort, certificate(1).cert, "GET", "/api/info"));
}

TEST_CASE("web tls: the server takes TLS 1.2 and 1.3, and answers older clients with an alert",
          "[web][tls]") {
    const unsigned short tlsPort = server(true).port();
    CHECK(handshakeError(tlsPort, TLS1_3_VERSION).empty());
    CHECK(handshakeError(tlsPort, TLS1_2_VERSION).empty());
    // The server's alert, not the client's own refusal.
    CHECK_THAT(handshakeError(tlsPort, TLS1_1_VERSION), Catch::Contains("alert protocol version"));
    CHECK_THAT(handshakeError(tlsPort, TLS1_VERSION), Catch::Contains("alert protocol version"));
    CHECK(httpsRequest(tlsPort, certificate().cert, "GET", "/api/info").status == 200);
}

TEST_CASE("web tls: the wrong protocol or a cut-off handshake is closed, and the servers go on",
          "[web][tls]") {
    const unsigned short tlsPort = server(true).port();
    const unsigned short plainPort = server(false).port();
    const std::string& ca = certificate().cert;
    SECTION("plain HTTP sent to the TLS port") {
        const auto r =
            sendAndWaitForClose(tlsPort, "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        CHECK(r.closedByServer);
        CHECK(r.received.find("HTTP/1.1") == std::string::npos);
    }
    SECTION("a TLS hello sent to the plain port") {
        CHECK_THROWS(httpsRequest(plainPort, ca, "GET", "/api/info"));
    }
    SECTION("a handshake that stops in the middle is dropped at the request timeout") {
        const auto r = sendAndWaitForClose(tlsPort, kPartialHello);
        CHECK(r.closedByServer);
    }
    SECTION("a client that hangs up in the middle of its hello") {
        namespace net = boost::asio;
        net::io_context ioc;
        net::ip::tcp::socket socket(ioc);
        socket.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), tlsPort));
        net::write(socket, net::buffer(kPartialHello));
        socket.close();
    }
    CHECK(httpsRequest(tlsPort, ca, "GET", "/api/info").status == 200);
    CHECK(httpRequest(plainPort, "GET", "/api/info").status == 200);
}

TEST_CASE("web tls: beyond the connection limit a TLS client gets a 503 over TLS", "[web][tls]") {
    onemap::web::ServerOptions o;
    o.port = 0;
    o.version = ONEMAP_VERSION;
    o.prepareAtStart = false;
    o.limits.maxConnections = 1;
    o.tlsCertPath = certificate().cert;
    o.tlsKeyPath = certificate().key;
    onemap::web::Server own(o);
    own.start();
    namespace net = boost::asio;
    net::io_context ioc;
    net::ip::tcp::socket holder(ioc);  // takes the one connection, in its handshake
    holder.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), own.port()));
    const auto refused = httpsRequest(own.port(), certificate().cert, "GET", "/api/info");
    CHECK(refused.status == 503);
    CHECK_THAT(refused.body, Catch::Contains("too many connections"));
}

TEST_CASE("web tls: bad certificates and plain HTTP off loopback are refused before listening",
          "[web][tls]") {
    const fs::path dir = onemap::test::scratch("web-tls-bad");
    const std::string garbage = (dir / "garbage.pem").string();
    std::ofstream(garbage)
        << "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
    const std::string missing = (dir / "missing.pem").string();
    const Certificate& good = certificate();
    const Certificate& other = certificate(1);
    const auto refusal = [](const std::string& cert, const std::string& key) {
        onemap::web::ServerOptions o;
        o.tlsCertPath = cert;
        o.tlsKeyPath = key;
        try {
            onemap::web::checkListenOptions(o);
        } catch (const onemap::InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(refusal(good.cert, good.key).empty());
    CHECK_THAT(refusal(garbage, good.key), Catch::Contains(garbage));
    CHECK_THAT(refusal(good.cert, garbage), Catch::Contains(garbage));
    CHECK_THAT(refusal(missing, good.key), Catch::Contains(missing));
    CHECK_THAT(refusal(good.key, good.key), Catch::Contains("--tls-cert " + good.key));
    CHECK_THAT(refusal(good.cert, other.key), Catch::Contains("does not match"));
    CHECK_THAT(refusal(good.cert, ""), Catch::Contains("--tls-key"));

    // A server with accounts (a server without them serves loopback only, tested below).
    const std::string data = onemap::test::freshDataFolder("tls");
    const auto store =
        std::make_shared<onemap::core::bureau::SqliteBureauStore>(data, onemap::test::fastStore());
    const auto plainOn = [&store](const std::string& host, bool insecure) {
        onemap::web::ServerOptions o;
        o.host = host;
        o.allowInsecureHttp = insecure;
        o.store = store;
        try {
            onemap::web::checkListenOptions(o);
        } catch (const onemap::InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(plainOn("127.0.0.1", false).empty());
    CHECK(plainOn("127.8.9.10", false).empty());
    CHECK(plainOn("::1", false).empty());
    CHECK_THAT(plainOn("0.0.0.0", false), Catch::Contains("--insecure-http"));
    CHECK_THAT(plainOn("::", false), Catch::Contains("--insecure-http"));
    CHECK_THAT(plainOn("192.168.1.20", false), Catch::Contains("loopback"));
    CHECK(plainOn("0.0.0.0", true).empty());
    onemap::web::ServerOptions withTls;
    withTls.host = "0.0.0.0";
    withTls.tlsCertPath = good.cert;
    withTls.tlsKeyPath = good.key;
    withTls.store = store;
    CHECK_NOTHROW(onemap::web::checkListenOptions(withTls));
    // Without accounts: loopback only, TLS or not.
    withTls.store = nullptr;
    CHECK_THROWS_WITH(onemap::web::checkListenOptions(withTls),
                      Catch::Contains("without accounts"));

    // The CLI: exit 2 with one line, before loading the plan or listening.
    for (const auto& [args, expected] :
         {std::pair<std::string, std::string>{"--listen 0.0.0.0:0 --data " + data,
                                              "--insecure-http"},
          {"--listen 0.0.0.0:0 --insecure-http", "without accounts"},
          {"--tls-cert " + good.cert, "--tls-key"},
          {"--tls-cert " + good.cert + " --tls-key " + other.key, other.key},
          {"--tls-cert " + garbage + " --tls-key " + good.key, garbage},
          {"--tls-cert " + missing + " --tls-key " + good.key, missing}}) {
        INFO(args);
        const CliRun run = serve(args);
        CHECK(run.exitCode == 2);
        CHECK(lines(run.err) == 1);
        CHECK_THAT(run.err, Catch::Contains(expected));
    }
    // --insecure-http serves, with a warning line first (stopped by `timeout` after 2 s).
    const CliRun insecure = serve("--listen 0.0.0.0:0 --insecure-http --data " + data, 2);
    CHECK(insecure.exitCode != 2);
    CHECK(insecure.err.rfind("onemap serve: warning: --insecure-http", 0) == 0);
}
