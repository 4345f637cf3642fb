#pragma once
#include <QFont>
#include <QString>

namespace onemap::render {

/// Creates the QGuiApplication that fonts and painting need, if there is none yet (the CLI
/// and tests; offscreen unless QT_QPA_PLATFORM says otherwise).
void ensureGuiApplication();

/// The CJK font family (WenQuanYi Zen Hei, else Noto Sans CJK SC, from Debian packages),
/// registered with Qt once so that offscreen and PDF rendering find it. Throws onemap::Error if it
/// is missing.
QString cjkFontFamily();
QFont cjkFont(double pixelSize, bool bold = false);

}  // namespace onemap::render
