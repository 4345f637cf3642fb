#include "tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fstream>

#include "onemap/gis/base/error.hpp"

namespace onemap::web {

namespace ssl = boost::asio::ssl;

namespace {

// OpenSSL's first queued reason ("no start line", "key values mismatch"), and the queue cleared.
std::string openSslReason() {
    std::string reason;
    while (const unsigned long code = ERR_get_error())
        if (reason.empty()) {
            const char* text = ERR_reason_error_string(code);
            reason = text ? text : "error " + std::to_string(code);
        }
    return reason.empty() ? "unknown OpenSSL error" : reason;
}

void requireReadable(const std::string& option, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char byte = 0;
    if (!in || !in.get(byte))
        throw InputError(option + " " + path +
                         ": cannot read the file (missing, empty or no permission)");
}

// An encrypted key would make OpenSSL ask for its passphrase on the terminal: refuse instead.
int noPassphrase(char*, int, int, void*) { return 0; }

}  // namespace

std::shared_ptr<ssl::context> makeTlsContext(const std::string& certPath,
                                             const std::string& keyPath) {
    requireReadable("--tls-cert", certPath);
    requireReadable("--tls-key", keyPath);
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = context->native_handle();
    ERR_clear_error();
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1)
        throw std::runtime_error("TLS 1.2 minimum refused by OpenSSL: " + openSslReason());
    SSL_CTX_set_options(
        native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_default_passwd_cb(native, &noPassphrase);
    if (SSL_CTX_use_certificate_chain_file(native, certPath.c_str()) != 1)
        throw InputError("--tls-cert " + certPath + ": not a PEM certificate (" + openSslReason() +
                         ")");
    // OpenSSL 3 compares the key with the certificate as it loads it, or in the check after.
    const auto mismatch = [&keyPath, &certPath](const std::string& reason) {
        return InputError("--tls-key " + keyPath + ": the key does not match the certificate " +
                          certPath + " (" + reason + ")");
    };
    if (SSL_CTX_use_PrivateKey_file(native, keyPath.c_str(), SSL_FILETYPE_PEM) != 1) {
        const std::string reason = openSslReason();
        if (reason.find("mismatch") != std::string::npos) throw mismatch(reason);
        throw InputError("--tls-key " + keyPath + ": not an unencrypted PEM private key (" +
                         reason + ")");
    }
    if (SSL_CTX_check_private_key(native) != 1) throw mismatch(openSslReason());
    return context;
}

}  // namespace onemap::web
