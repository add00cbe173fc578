// SPDX-License-Identifier: Apache-2.0
#include "probes/users/shadow.h"

namespace imageprobe::probes::users {

const parse::ShadowEntry* ShadowTable::Find(std::string_view name) const {
  auto it = entries.find(name);
  return it == entries.end() ? nullptr : &it->second;
}

const ShadowTable& ShadowOf(const Target& target) {
  return target.context.Memo<ShadowTable>([&] {
    ShadowTable table;
    auto text = target.fs.ReadFile(kShadowPath, target.limits.max_file_bytes);
    if (!text) {
      if (text.error().code != FsErrc::kNotFound) {
        table.diagnostics.push_back({"", std::string(kShadowPath), text.error().Message()});
      }
      return table;
    }
    auto parsed = parse::ParseShadow(*text);
    for (auto& e : parsed.entries) table.entries.emplace(e.name, std::move(e));
    for (const auto& p : parsed.problems) {
      table.diagnostics.push_back(
          {"", std::string(kShadowPath), "line " + std::to_string(p.line) + ": " + p.message});
    }
    return table;
  });
}

AccountPassword PasswordOf(const User& user, const ShadowTable& shadow) {
  AccountPassword out;
  const parse::ShadowEntry* entry = shadow.Find(user.passwd.name);
  // Expiry is the shadow entry's whatever the passwd field holds (getspnam).
  if (entry) out.expire_days = entry->expire_days;
  if (user.passwd.password_field != "x") {
    out.password = parse::ClassifyPasswordField(user.passwd.password_field);
    out.source = "/etc/passwd";
  } else if (entry) {
    out.password = entry->password;
    out.source = std::string(kShadowPath);
  }
  return out;
}

}  // namespace imageprobe::probes::users
