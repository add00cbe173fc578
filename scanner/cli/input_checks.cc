// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/input_checks.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

namespace imageprobe::cli {

namespace {

std::string ErrnoText(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// Opens read-only without updating the access time where the kernel allows it (O_NOATIME is
// refused for files we do not own; then a plain read-only open).
int OpenReadOnly(const std::string& path, int extra_flags) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOATIME | extra_flags);
  if (fd < 0 && errno == EPERM) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | extra_flags);
  return fd;
}

}  // namespace

std::optional<std::string> InputProblem(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoText(errno);
  bool directory = S_ISDIR(st.st_mode);
  if (!directory && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
    return "not a regular file, block device or directory";
  }
  if (S_ISREG(st.st_mode) && st.st_size == 0) {
    return "empty file (0 bytes): not a disk image, archive or directory";
  }
  int fd = OpenReadOnly(path, directory ? O_DIRECTORY : 0);
  if (fd < 0) return ErrnoText(errno);
  ::close(fd);
  return std::nullopt;
}

std::optional<std::string> OutputProblem(const std::string& output,
                                         std::span<const std::string> inputs) {
  namespace fs = std::filesystem;
  std::error_code ec;
  struct stat out_st {};
  bool output_exists = ::stat(output.c_str(), &out_st) == 0;
  fs::path output_path = fs::weakly_canonical(fs::absolute(output, ec), ec);
  for (const std::string& input : inputs) {
    struct stat in_st {};
    if (::stat(input.c_str(), &in_st) != 0) continue;  // reported as an input problem
    if (output_exists && out_st.st_dev == in_st.st_dev && out_st.st_ino == in_st.st_ino) {
      return "refusing to write the report onto the input " + input;
    }
    if (S_ISDIR(in_st.st_mode)) {
      fs::path dir = fs::canonical(input, ec);
      if (ec) continue;
      auto rel = output_path.lexically_relative(dir);
      if (!rel.empty() && *rel.begin() != "..") {
        return "refusing to write the report inside the input directory " + input;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> FileSha256(const std::string& path) {
  int fd = OpenReadOnly(path, 0);
  if (fd < 0) return std::nullopt;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  std::vector<unsigned char> buf(1 << 20);
  while (ok) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n <= 0) break;
    ok = EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(n)) == 1;
  }
  ::close(fd);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ok || EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

}  // namespace imageprobe::cli
