#include "onemap/render/cjk_font.hpp"

#include <QFontDatabase>
#include <QGuiApplication>
#include <QStringList>
#include <QTemporaryDir>
#include <clocale>
#include <mutex>

#include "onemap/gis/base/error.hpp"
#include "onemap/render/qt_messages.hpp"

namespace onemap::render {

void ensureGuiApplication() {
    if (QCoreApplication::instance()) return;  // the viewer has its own QApplication
    installQtMessageFilter();
    // Fonts and painting need a QGuiApplication; a command-line run has no display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {  // keeps Qt from warning on stderr
        static QTemporaryDir runtime;
        qputenv("XDG_RUNTIME_DIR", runtime.path().toUtf8());
    }
    static int argc = 1;
    static char name[] = "onemap";
    static char* argv[] = {name, nullptr};
    // Never destroyed: Qt's own statics outlive a static QGuiApplication and crash at exit.
    static auto* app = new QGuiApplication(argc, argv);
    (void)app;
    // Qt took LC_ALL from the environment; numbers in our outputs are written with a dot.
    std::setlocale(LC_NUMERIC, "C");
}

QString cjkFontFamily() {
    ensureGuiApplication();
    static QString family;
    static std::once_flag once;
    std::call_once(once, [] {
        // WenQuanYi Zen Hei first: Noto CJK shares glyphs between characters and Kangxi
        // radicals (长/⻓), so text copied out of a PDF would come back as radicals.
        const std::pair<const char*, const char*> fonts[] = {
            {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei"},
            {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"}};
        for (const auto& [path, name] : fonts) {
            const int id = QFontDatabase::addApplicationFont(path);
            if (id < 0 || !family.isEmpty()) continue;
            for (const auto& f : QFontDatabase::applicationFontFamilies(id))
                if (f == name) family = f;
        }
    });
    if (family.isEmpty())
        throw Error("the CJK font (fonts-noto-cjk) is not installed; run scripts/setup.sh");
    return family;
}

QFont cjkFont(double pixelSize, bool bold) {
    QFont f(cjkFontFamily());
    f.setPixelSize(static_cast<int>(pixelSize + 0.5));
    f.setBold(bold);
    return f;
}

}  // namespace onemap::render
