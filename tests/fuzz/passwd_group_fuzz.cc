// SPDX-License-Identifier: Apache-2.0
// /etc/passwd and /etc/group (the same input read as both, then joined into the user table).
#include <cstddef>
#include <cstdint>

#include "probes/common/user_db.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  auto passwd = imageprobe::parse::ParsePasswd(text);
  auto group = imageprobe::parse::ParseGroup(text);
  UserDb db = BuildUserDb(passwd, group);
  for (const User& user : db.users) {
    imageprobe::fuzz::Require(db.Find(user.passwd.name) != nullptr, "every user can be found");
    db.FindUid(user.passwd.uid);
    db.GroupName(user.passwd.gid);
    imageprobe::parse::IsNoLoginShell(user.passwd.shell);
  }
  return 0;
}
