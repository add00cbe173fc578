// SPDX-License-Identifier: Apache-2.0
// ParseExpectations: the JSON expectations document -> Expectations. Strict on purpose: an
// unknown key (a typo such as "authorised_keys") is an error, never an expectation silently
// dropped, since a gate that checks less than its author wrote passes what it should stop.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "scanner/core/guest_path.h"
#include "scanner/gate/expectations.h"
#include "scanner/parse/json_reader.h"

namespace imageprobe::gate {

namespace {

using nlohmann::json;

// Thrown inside the parser only, caught by ParseExpectations: carries "where: why".
struct SchemaError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& where, const std::string& why) {
  throw SchemaError{where.empty() ? why : where + ": " + why};
}

void RequireObject(const json& j, const std::string& where,
                   std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) Fail(where, "expected an object");
  for (const auto& [key, value] : j.items()) {
    if (std::ranges::find(allowed, key) == allowed.end()) {
      std::string names;
      for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      Fail(where.empty() ? key : where + "." + key, "unknown key (allowed: " + names + ")");
    }
  }
}

std::string Join(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : where + "." + std::string(key);
}

std::optional<bool> OptionalBool(const json& parent, std::string_view key,
                                 const std::string& where) {
  auto it = parent.find(key);
  if (it == parent.end()) return std::nullopt;
  if (!it->is_boolean()) Fail(Join(where, key), "expected true or false");
  return it->get<bool>();
}

std::vector<std::string> StringList(const json& j, const std::string& where) {
  if (!j.is_array()) Fail(where, "expected an array of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) Fail(where + "[" + std::to_string(i) + "]", "expected a string");
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

// "SHA256:" and 43 unpadded base64 characters, as ssh-keygen -l prints them.
bool IsSha256Fingerprint(std::string_view fp) {
  constexpr std::string_view kPrefix = "SHA256:";
  if (!fp.starts_with(kPrefix)) return false;
  std::string_view digest = fp.substr(kPrefix.size());
  while (digest.ends_with('=')) digest.remove_suffix(1);
  return digest.size() == 43 && std::ranges::all_of(digest, [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
         });
}

std::vector<SshdExpectation> ParseSshd(const json& j, const std::string& where) {
  if (!j.is_object()) Fail(where, "expected an object of sshd keyword: value");
  std::vector<SshdExpectation> out;
  for (const auto& [keyword, value] : j.items()) {
    bool word = !keyword.empty() && std::ranges::all_of(keyword, [](char c) {
      return std::isalnum(static_cast<unsigned char>(c));
    });
    if (!word) Fail(Join(where, keyword), "not an sshd keyword");
    if (!value.is_string()) Fail(Join(where, keyword), "expected a string value");
    out.push_back({keyword, value.get<std::string>()});
  }
  return out;
}

UserExpectation ParseUser(const std::string& name, const json& j, const std::string& where) {
  RequireObject(j, where, {"exists", "authorized_keys", "sudo", "sshd"});
  UserExpectation user{.name = name};
  user.exists = OptionalBool(j, "exists", where).value_or(true);
  if (auto keys = j.find("authorized_keys"); keys != j.end()) {
    user.authorized_keys = StringList(*keys, where + ".authorized_keys");
    for (size_t i = 0; i < user.authorized_keys.size(); ++i) {
      if (!IsSha256Fingerprint(user.authorized_keys[i])) {
        Fail(where + ".authorized_keys[" + std::to_string(i) + "]",
             "expected a SHA256 fingerprint as `ssh-keygen -l` prints it (SHA256:…)");
      }
    }
  }
  if (auto sudo = j.find("sudo"); sudo != j.end()) {
    std::string at = where + ".sudo";
    RequireObject(*sudo, at, {"any", "all_commands", "nopasswd", "nopasswd_all"});
    user.sudo = {OptionalBool(*sudo, "any", at), OptionalBool(*sudo, "all_commands", at),
                 OptionalBool(*sudo, "nopasswd", at), OptionalBool(*sudo, "nopasswd_all", at)};
  }
  if (auto sshd = j.find("sshd"); sshd != j.end()) user.sshd = ParseSshd(*sshd, where + ".sshd");
  if (!user.exists && (!user.authorized_keys.empty() || !user.sudo.empty() || !user.sshd.empty())) {
    Fail(where, "\"exists\": false cannot be combined with keys, sudo or sshd expectations");
  }
  return user;
}

std::vector<std::string> ParsePathList(const json& j, const std::string& where) {
  std::vector<std::string> paths = StringList(j, where);
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!paths[i].starts_with('/') || paths[i].find('\0') != std::string::npos) {
      Fail(where + "[" + std::to_string(i) + "]", "expected an absolute path inside the image");
    }
    paths[i] = NormalizeGuestPath(paths[i]);
  }
  return paths;
}

Expectations ParseDocument(const json& doc) {
  RequireObject(doc, "", {"version", "users", "sshd", "paths"});
  auto version = doc.find("version");
  if (version == doc.end()) Fail("version", "missing (this imageprobe reads version 1)");
  if (!version->is_number_integer() || version->get<int64_t>() != kExpectationsVersion) {
    Fail("version", "unsupported " + version->dump() + " (this imageprobe reads version 1)");
  }
  Expectations out;
  if (auto users = doc.find("users"); users != doc.end()) {
    if (!users->is_object()) Fail("users", "expected an object of user name: expectations");
    for (const auto& [name, value] : users->items()) {
      if (name.empty()) Fail("users", "empty user name");
      out.users.push_back(ParseUser(name, value, "users." + name));
    }
  }
  if (auto sshd = doc.find("sshd"); sshd != doc.end()) out.sshd = ParseSshd(*sshd, "sshd");
  if (auto paths = doc.find("paths"); paths != doc.end()) {
    RequireObject(*paths, "paths", {"present", "absent"});
    if (auto p = paths->find("present"); p != paths->end()) {
      out.paths_present = ParsePathList(*p, "paths.present");
    }
    if (auto a = paths->find("absent"); a != paths->end()) {
      out.paths_absent = ParsePathList(*a, "paths.absent");
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> Expectations::Paths() const {
  std::vector<std::string> all = paths_present;
  all.insert(all.end(), paths_absent.begin(), paths_absent.end());
  std::ranges::sort(all);
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

std::expected<Expectations, std::string> ParseExpectations(std::string_view json_text) {
  // The JSON reader would stop at a NUL and ignore the rest: refuse what is not a text file.
  if (json_text.find('\0') != std::string_view::npos) {
    return std::unexpected(std::string("contains a NUL byte: not a JSON text file"));
  }
  auto doc = parse::ReadJson(json_text);
  if (!doc) return std::unexpected(doc.error().Message());
  try {
    return ParseDocument(*doc);
  } catch (const SchemaError& e) {
    return std::unexpected(e.message);
  }
}

}  // namespace imageprobe::gate
