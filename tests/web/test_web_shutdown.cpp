// `onemap serve` as a real process: SIGTERM after every kind of request (an export stages its
// file through gis::OutputFiles, whose Ctrl-C cleanup must not take over the server's own
// graceful stop) lets the requests finish and exits 0.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>

#include "http_client.hpp"

namespace {

unsigned short freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

int answerStatus(unsigned short port, const std::string& method, const std::string& target,
                 const std::string& body = "") {
    try {
        return onemap::test::httpRequest(port, method, target, body).status;
    } catch (const std::exception&) {
        return 0;  // not listening yet
    }
}

}  // namespace

TEST_CASE("onemap serve exits 0 on SIGTERM after exports, checks and tiles", "[web][signals]") {
    const unsigned short port = freePort();
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execl(ONEMAP_CLI_BINARY, "onemap", "serve", "--listen", listen.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int up = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (up != 200 && std::chrono::steady_clock::now() < deadline) {
        up = answerStatus(port, "GET", "/api/info");
        if (up != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(up == 200);
    CHECK(answerStatus(port, "GET", "/api/export?layer=park&format=geojson") == 200);
    CHECK(answerStatus(port, "GET", "/api/export?layer=park&format=shp") == 200);
    CHECK(answerStatus(port, "GET", "/tiles/farmland/8/214/104.mvt") / 100 == 2);
    const std::string site =
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"S"},)"
        R"("geometry":{"type":"Polygon","coordinates":[[[121.2,31.0],[121.21,31.0],[121.21,31.01],)"
        R"([121.2,31.0]]]}}]})";
    CHECK(answerStatus(port, "POST", "/api/check", site) == 200);
    CHECK(answerStatus(port, "GET", "/api/info") == 200);  // still serving

    REQUIRE(::kill(child, SIGTERM) == 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("signalled " << WIFSIGNALED(status) << ", signal "
                      << (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
