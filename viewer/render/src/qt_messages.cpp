#include "onemap/render/qt_messages.hpp"

#include <QString>
#include <QtGlobal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::render {
namespace {

constexpr std::size_t kMaxMessages = 5;

void filter(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtDebugMsg || type == QtInfoMsg) return;
    static std::mutex mutex;
    static std::set<std::string> seen;
    const std::string line = gis::oneLine(message.toStdString(), 200);
    {
        std::lock_guard lock(mutex);
        if (type != QtFatalMsg && !seen.insert(line).second) return;
        if (type != QtFatalMsg && seen.size() > kMaxMessages) {
            if (seen.size() == kMaxMessages + 1)
                std::fputs("qt: (further Qt messages suppressed)\n", stderr);
            return;
        }
    }
    std::fprintf(stderr, "qt: %s\n", line.c_str());
    if (type == QtFatalMsg) std::abort();  // Qt's contract for fatal messages
}

}  // namespace

void installQtMessageFilter() {
    static std::once_flag once;
    std::call_once(once, [] { qInstallMessageHandler(filter); });
}

}  // namespace onemap::render
