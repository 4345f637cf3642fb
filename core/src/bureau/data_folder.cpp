#include "bureau/data_folder.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

void prepareDataFolder(const std::string& folder, bool create) {
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0) {
        if (errno != ENOENT || !create)
            throw InputError(folder + ": no bureau data folder here (" + std::strerror(errno) +
                             "; `onemap user add` creates one)");
        if (::mkdir(folder.c_str(), 0700) != 0)
            throw InputError(folder + ": cannot create the data folder (" + std::strerror(errno) +
                             ")");
        if (::stat(folder.c_str(), &st) != 0)
            throw InputError(folder + ": cannot read the data folder (" + std::strerror(errno) +
                             ")");
    }
    if (!S_ISDIR(st.st_mode)) throw InputError(folder + ": not a folder");
    if (st.st_uid != ::geteuid())
        throw InputError(folder + ": refusing a data folder owned by another user (uid " +
                         std::to_string(st.st_uid) + ")");
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        throw InputError(folder +
                         ": refusing a data folder that group or others may write (chmod 700 " +
                         folder + ")");
}

void prepareStoreFile(const std::string& file, bool create) {
    if (create) {
        const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            throw InputError(file + ": cannot create the bureau store (" + std::strerror(errno) +
                             ")");
        ::close(fd);
    }
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0)
        throw InputError(file + ": no bureau store here (" + std::strerror(errno) +
                         "; `onemap user add` creates one)");
    if (!S_ISREG(st.st_mode)) throw InputError(file + ": not a regular file");
    if (st.st_uid != ::geteuid())
        throw InputError(file + ": refusing a store owned by another user (uid " +
                         std::to_string(st.st_uid) + ")");
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        throw InputError(file +
                         ": refusing a store that group or others may read or write (chmod 600 " +
                         file + ")");
}

}  // namespace onemap::core::bureau
