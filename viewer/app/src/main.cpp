// onemap-viewer [PLAN]: the one map on the desktop (default: the bundled G60 one map).
#include <QApplication>
#include <clocale>

#include "main_window.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/render/qt_messages.hpp"

int main(int argc, char** argv) {
    onemap::render::installQtMessageFilter();
    QApplication app(argc, argv);
    std::setlocale(LC_NUMERIC, "C");  // Qt took LC_ALL from the environment; numbers use a dot
    onemap::viewer::MainWindow window;
    window.show();
    QString plan = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (plan.isEmpty()) {
        try {
            plan = QString::fromStdString(onemap::core::defaultPlanPath());
        } catch (const std::exception&) {
        }
    }
    if (!plan.isEmpty()) window.openPlan(plan);
    return app.exec();
}
