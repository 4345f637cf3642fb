#pragma once
// The server's TLS settings (OpenSSL through Boost.Asio): TLS 1.2 at least, no compression, the
// server's cipher order, one PEM certificate chain and its key. Made once before listening and
// shared read-only by every TLS session (OpenSSL's SSL_CTX is safe to share once set up).
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace onemap::web {

/// Loads `certPath` (a PEM certificate chain, the server's first) and `keyPath` (its PEM private
/// key, not encrypted). Throws InputError, one line naming the file, for a file that cannot be
/// read, is not PEM, holds an encrypted key or a key that does not match the certificate.
[[nodiscard]] std::shared_ptr<boost::asio::ssl::context> makeTlsContext(const std::string& certPath,
                                                                        const std::string& keyPath);

}  // namespace onemap::web
