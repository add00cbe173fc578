// SPDX-License-Identifier: Apache-2.0
// Builds tar archives at test time with libarchive's write API, including what tar(1) would
// refuse to create: absolute and "../" member names, duplicates, hard links to anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::testing {

class TarBuilder {
 public:
  TarBuilder& File(std::string name, std::string content, int mode = 0644, int uid = 0);
  TarBuilder& Dir(std::string name, int mode = 0755);
  TarBuilder& Symlink(std::string name, std::string target);
  TarBuilder& HardLink(std::string name, std::string target);
  TarBuilder& Fifo(std::string name);

  // `compression`: "", "gzip", "xz", "zstd", "bzip2".
  std::string Bytes(std::string_view compression = "") const;
  void WriteTo(const std::string& path, std::string_view compression = "") const;

 private:
  struct Member {
    std::string name, content, link;
    int type = 0;  // AE_IF* or 0 for a hard link
    int mode = 0644, uid = 0;
  };
  std::vector<Member> members_;
};

}  // namespace imageprobe::testing
