#pragma once
// HTTPS for the server tests: a self-signed certificate for 127.0.0.1 made with OpenSSL's C API
// at test time (nothing stored in the repository, no `openssl` program needed), and a blocking
// Boost.Beast TLS client that verifies the server against it (chain and IP address).
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "http_client.hpp"

namespace onemap::test {

/// Writes a new P-256 key to `keyPath` and a certificate for IP 127.0.0.1 signed by it to
/// `certPath` (PEM, valid from an hour ago for a day).
inline void writeSelfSignedCertificate(const std::string& certPath, const std::string& keyPath) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
    if (!key || !cert) throw std::runtime_error("OpenSSL could not make a key");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    const std::string cn = "127.0.0.1";
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                     std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        if (!ext) throw std::runtime_error("OpenSSL refused a certificate extension");
        X509_add_ext(cert.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        throw std::runtime_error("OpenSSL could not sign the certificate");
    const auto write = [](const std::string& path, const auto& writer) {
        std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "w"),
                                                        &std::fclose);
        if (!f || writer(f.get()) != 1) throw std::runtime_error("cannot write " + path);
    };
    write(keyPath, [&key](FILE* f) {
        return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    write(certPath, [&cert](FILE* f) { return PEM_write_X509(f, cert.get()); });
}

/// One request to https://127.0.0.1:port, trusting only `caFile`. Throws boost::system_error
/// when the handshake fails (no TLS there, an untrusted certificate).
inline HttpAnswer httpsRequest(
    unsigned short port, const std::string& caFile, const std::string& method,
    const std::string& target, const std::string& body = "",
    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    namespace net = boost::asio;
    namespace beast = boost::beast;
    net::io_context ioc;
    net::ssl::context ctx(net::ssl::context::tls_client);
    ctx.load_verify_file(caFile);
    ctx.set_verify_mode(net::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), "127.0.0.1");
    beast::get_lowest_layer(stream).connect(
        net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream.handshake(net::ssl::stream_base::client);
    HttpAnswer answer = exchange(stream, method, target, body, headers);
    beast::error_code ec;
    stream.shutdown(ec);  // close_notify; the server's answer to it is not waited for long
    return answer;
}

}  // namespace onemap::test
