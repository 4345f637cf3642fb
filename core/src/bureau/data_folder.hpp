#pragma once
// Private: the bureau's data folder and store file made and checked for who may reach them:
// the folder 0700 and the file 0600, both owned by the user running onemap. Any thread.
#include <string>

namespace onemap::core::bureau {

/// Creates `folder` with mode 0700 when missing and `create`; then refuses (InputError, one line)
/// a folder that is missing, not a folder, owned by another user, or group/world-writable.
void prepareDataFolder(const std::string& folder, bool create);
/// Creates `file` with mode 0600 when missing and `create`; refuses one that is not a regular
/// file, is owned by another user, or can be read or written by group or others.
void prepareStoreFile(const std::string& file, bool create);

}  // namespace onemap::core::bureau
