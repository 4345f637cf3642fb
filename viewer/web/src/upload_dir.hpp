#pragma once
// A private temporary folder (mode 0700; in $TMPDIR if set, else /dev/shm where there is one)
// for one request's uploaded file, removed with
// everything in it when the object goes. The uploaded file keeps the client's name, so that
// readers that go by the extension read it as `check` reads that file; messages and the
// audit trail name the file as the client did (relabel). One request's thread owns it.
#include <string>

namespace onemap::web {

class UploadDir {
  public:
    UploadDir();
    ~UploadDir();
    UploadDir(const UploadDir&) = delete;
    UploadDir& operator=(const UploadDir&) = delete;

    /// Writes `bytes` to a file named `name` (a plain file name) in the folder; its path.
    std::string write(const std::string& name, const std::string& bytes) const;
    /// `text` with this folder's path (and the slash after it) taken out.
    [[nodiscard]] std::string relabel(std::string text) const;
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace onemap::web
