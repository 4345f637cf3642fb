#pragma once
// The one QApplication of a viewer test binary, made on first use, offscreen under ctest.
#include <QApplication>
#include <string>

namespace onemap::test {

inline QApplication& viewerApp() {
    static int argc = 1;
    static char name[] = "test_viewer";
    static char* argv[] = {name, nullptr};
    // Never destroyed: Qt's own statics outlive a static QApplication and crash at exit.
    static auto* a = QApplication::instance()
                         ? qobject_cast<QApplication*>(QApplication::instance())
                         : new QApplication(argc, argv);
    return *a;
}

/// The bundled G60 one map.
inline const std::string kSamplePlan = std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml";

}  // namespace onemap::test
