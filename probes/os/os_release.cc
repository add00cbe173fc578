// SPDX-License-Identifier: Apache-2.0
// References:
//  - os-release(5): https://www.freedesktop.org/software/systemd/man/latest/os-release.html
//    ("Variable assignment values must be enclosed in double or single quotes if they include
//    spaces, semicolons or other special characters outside of A–Z, a–z, 0–9. Shell special
//    characters ("$", quotes, backslash, backtick) must be escaped with backslashes").
//  - systemd src/basic/env-file.c (parse_env_file_internal): the reference reader; unquoted
//    values lose trailing whitespace, and inside double quotes a backslash only escapes
//    " \ ` $ (otherwise it is kept).
//  - lsb_release(1) / /etc/lsb-release (DISTRIB_* keys, same syntax).
//  - hostname(5); ELF gABI e_ident[EI_CLASS], e_ident[EI_DATA], e_machine (/usr/include/elf.h).
#include "probes/os/os_release.h"

#include <re2/re2.h>

#include "scanner/parse/text.h"

namespace imageprobe::probes::os {

namespace {

bool IsKeyStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsKeyChar(char c) { return IsKeyStart(c) || (c >= '0' && c <= '9'); }

bool IsValidKey(std::string_view key) {
  if (key.empty() || !IsKeyStart(key[0])) return false;
  for (char c : key) {
    if (!IsKeyChar(c)) return false;
  }
  return true;
}

// Parses the right-hand side of KEY=value. Returns false (with `error`) when a quote is left
// open; the value is then unusable.
bool ParseValue(std::string_view raw, std::string& value, std::string& error) {
  enum class State { kPlain, kSingle, kDouble } state = State::kPlain;
  size_t pending_space = 0;  // unquoted whitespace, kept only if more value follows
  size_t i = 0;
  while (i < raw.size() && (raw[i] == ' ' || raw[i] == '\t')) ++i;
  for (; i < raw.size(); ++i) {
    char c = raw[i];
    switch (state) {
      case State::kPlain:
        if (c == ' ' || c == '\t') {
          ++pending_space;
          continue;
        }
        value.append(pending_space, ' ');
        pending_space = 0;
        if (c == '\'') {
          state = State::kSingle;
        } else if (c == '"') {
          state = State::kDouble;
        } else if (c == '\\') {
          if (i + 1 < raw.size()) value += raw[++i];
        } else {
          value += c;
        }
        break;
      case State::kSingle:
        if (c == '\'') {
          state = State::kPlain;
        } else {
          value += c;
        }
        break;
      case State::kDouble:
        if (c == '"') {
          state = State::kPlain;
        } else if (c == '\\' && i + 1 < raw.size()) {
          char next = raw[++i];
          if (next != '"' && next != '\\' && next != '`' && next != '$') value += '\\';
          value += next;
        } else {
          value += c;
        }
        break;
    }
  }
  if (state != State::kPlain) {
    error = state == State::kSingle ? "unterminated single quote" : "unterminated double quote";
    return false;
  }
  return true;
}

std::string FirstComponent(std::string_view version) {
  return std::string(version.substr(0, version.find('.')));
}

}  // namespace

std::string EnvFile::Get(std::string_view key) const {
  auto it = values.find(std::string(key));
  return it == values.end() ? std::string() : it->second;
}

EnvFile ParseEnvFile(std::string_view text) {
  EnvFile env;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    if (line.find('\0') != std::string_view::npos) {
      env.problems.push_back({number, "NUL byte in line"});
      return;
    }
    std::string_view trimmed = parse::TrimWhitespace(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') return;
    size_t eq = trimmed.find('=');
    if (eq == std::string_view::npos) {
      env.problems.push_back({number, "not a KEY=value assignment"});
      return;
    }
    std::string_view key = parse::TrimWhitespace(trimmed.substr(0, eq));
    if (!IsValidKey(key)) {
      env.problems.push_back({number, "invalid variable name"});
      return;
    }
    std::string value, error;
    if (!ParseValue(trimmed.substr(eq + 1), value, error)) {
      env.problems.push_back({number, error});
      return;
    }
    env.values[std::string(key)] = std::move(value);
  });
  return env;
}

Release ReleaseFromOsRelease(const EnvFile& f) {
  Release r;
  r.id = parse::ToLower(f.Get("ID"));
  r.id_like = f.Get("ID_LIKE");
  r.name = f.Get("NAME");
  r.version = f.Get("VERSION");
  r.version_id = f.Get("VERSION_ID");
  r.pretty_name = f.Get("PRETTY_NAME");
  r.codename = f.Get("VERSION_CODENAME");
  if (r.codename.empty()) r.codename = f.Get("UBUNTU_CODENAME");
  r.variant_id = f.Get("VARIANT_ID");
  r.build_id = f.Get("BUILD_ID");
  // os-release(5): "If not set, a default of 'NAME=Linux' may be used" — but an os-release
  // with no ID is not an identification we can act on, so `id` stays empty then.
  return r;
}

Release ReleaseFromLsbRelease(const EnvFile& f) {
  Release r;
  r.id = parse::ToLower(f.Get("DISTRIB_ID"));
  r.name = f.Get("DISTRIB_ID");
  r.version_id = f.Get("DISTRIB_RELEASE");
  r.codename = f.Get("DISTRIB_CODENAME");
  r.pretty_name = f.Get("DISTRIB_DESCRIPTION");
  return r;
}

Release ParseRedhatRelease(std::string_view text) {
  Release r;
  std::string_view line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find('\0') != std::string_view::npos) return r;
  static const RE2 kPattern(R"(^\s*(.+?)\s+release\s+([0-9][0-9.]*)\s*(?:\((.*)\))?\s*$)");
  std::string name, version, codename;
  if (!RE2::FullMatch(line, kPattern, &name, &version, &codename)) return r;

  // Longest, most specific prefixes first.
  struct Known {
    std::string_view prefix, id, id_like;
  };
  static constexpr Known kKnown[] = {
      {"Red Hat Enterprise Linux", "rhel", "fedora"},
      {"CentOS Stream", "centos", "rhel fedora"},
      {"CentOS", "centos", "rhel fedora"},
      {"Amazon Linux", "amzn", "centos rhel fedora"},
      {"Rocky Linux", "rocky", "rhel centos fedora"},
      {"AlmaLinux", "almalinux", "rhel centos fedora"},
      {"Oracle Linux", "ol", "fedora"},
      {"Fedora", "fedora", ""},
  };
  for (const Known& k : kKnown) {
    if (name.starts_with(k.prefix)) {
      r.id = std::string(k.id);
      r.id_like = std::string(k.id_like);
      break;
    }
  }
  if (r.id.empty()) return r;
  r.name = name;
  r.version_id = r.id == "centos" || r.id == "rocky" || r.id == "almalinux"
                     ? FirstComponent(version)  // what their os-release says: "7", "8"
                     : version;
  r.version = version;
  r.codename = codename;
  r.pretty_name = std::string(parse::TrimWhitespace(line));
  return r;
}

Release ParseDebianVersion(std::string_view text) {
  Release r;
  std::string_view line = parse::TrimWhitespace(text.substr(0, text.find('\n')));
  if (line.empty() || line.size() > 64 || line.find('\0') != std::string_view::npos) return r;
  std::string version, codename;
  static const RE2 kNumbered(R"(([0-9]+)(?:\.[0-9]+)*)");
  static const RE2 kTesting(R"(([a-z]+)/sid)");
  if (RE2::FullMatch(line, kNumbered, &version)) {
    r.version_id = version;  // Debian's own os-release VERSION_ID is the major only: "12"
    r.version = std::string(line);
  } else if (RE2::FullMatch(line, kTesting, &codename)) {
    r.codename = codename;  // testing/unstable: no version
  } else {
    return r;
  }
  r.id = "debian";
  r.name = "Debian GNU/Linux";
  r.pretty_name = "Debian GNU/Linux " + std::string(line);
  return r;
}

std::string ParseHostnameFile(std::string_view text) {
  std::string found;
  bool done = false;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t) {
    if (done) return;
    std::string_view name = parse::TrimWhitespace(line);
    if (name.empty() || name[0] == '#') return;
    done = true;
    if (name.size() > 64) return;
    for (char c : name) {
      auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u == 0x7F) return;
    }
    found = std::string(name);
  });
  return found;
}

std::string ElfArchitecture(std::string_view head) {
  // e_ident (16 bytes) + e_type (2) + e_machine (2).
  if (head.size() < 20 || head.substr(0, 4) !=
                              "\x7f"
                              "ELF")
    return "";
  auto byte = [&](size_t i) { return static_cast<unsigned char>(head[i]); };
  unsigned elf_class = byte(4);  // 1: 32-bit, 2: 64-bit
  unsigned data = byte(5);       // 1: little endian, 2: big endian
  if ((elf_class != 1 && elf_class != 2) || (data != 1 && data != 2)) return "";
  bool is64 = elf_class == 2, little = data == 1;
  unsigned machine = little ? byte(18) | (byte(19) << 8) : (byte(18) << 8) | byte(19);
  switch (machine) {
    case 3:
      return "i386";  // EM_386
    case 62:
      return "x86_64";  // EM_X86_64
    case 183:
      return "aarch64";  // EM_AARCH64
    case 40:
      return little ? "armv7l" : "armeb";  // EM_ARM
    case 20:
      return "ppc";  // EM_PPC
    case 21:
      return little ? "ppc64le" : "ppc64";  // EM_PPC64
    case 22:
      return is64 ? "s390x" : "s390";  // EM_S390
    case 243:
      return is64 ? "riscv64" : "riscv32";  // EM_RISCV
    case 258:
      return "loongarch64";  // EM_LOONGARCH
    case 8:
      return is64 ? (little ? "mips64el" : "mips64") : (little ? "mipsel" : "mips");
    case 2:
      return "sparc";  // EM_SPARC
    case 43:
      return "sparc64";  // EM_SPARCV9
    default:
      return "";
  }
}

}  // namespace imageprobe::probes::os
