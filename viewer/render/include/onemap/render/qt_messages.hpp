#pragma once
// Qt's own warnings (fonts, platform plugins) on stderr: each distinct message once, as one
// short line, and only the first few — never a flood around onemap's own one-line errors.
namespace onemap::render {

/// Installs the filter (idempotent). Debug and info messages are dropped.
void installQtMessageFilter();

}  // namespace onemap::render
