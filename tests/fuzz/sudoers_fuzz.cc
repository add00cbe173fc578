// SPDX-License-Identifier: Apache-2.0
// sudoers: the parser on one file, then the tree sudo would read (the input is /etc/sudoers
// and, after marker lines, included files; see fuzz_files.h) and the rights each user gets.
#include <cstddef>
#include <cstdint>

#include "probes/common/user_db.h"
#include "probes/users/sudoers.h"
#include "probes/users/sudoers_tree.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe;
  using namespace imageprobe::probes;
  std::string_view text = fuzz::AsText(data, size);
  users::ParseSudoers(text);

  testing::MemoryFs fs;
  std::vector<fuzz::FuzzFile> files = fuzz::SplitFuzzFiles(text, "/etc/sudoers");
  fuzz::AddFuzzFiles(fs, files);
  for (const fuzz::FuzzFile& file : files) {
    users::SudoersIncludedirSkips(file.path.substr(file.path.rfind('/') + 1));
  }
  users::SudoersTree tree = users::CollectSudoers(fs, 1 << 20, 16);

  UserDb db = BuildUserDb(
      imageprobe::parse::ParsePasswd(
          "root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n"
          "bob:x:1001:27::/home/bob:/bin/sh\n"),
      imageprobe::parse::ParseGroup("root:x:0:\nalice:x:1000:\nsudo:x:27:alice\nwheel:x:10:bob\n"));
  for (const User& user : db.users) users::SudoRightsOf(tree, user, db);
  return 0;
}
