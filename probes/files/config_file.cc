// SPDX-License-Identifier: Apache-2.0
// References: shadow(5) and gshadow(5) (password hashes); sshd(8) FILES (ssh_host_*_key are
// private, *.pub public); amazon-ssm-agent source agent/appconfig/constants_unix.go
// (/var/lib/amazon/ssm holds the registration and the Vault); cloud-init docs "Instance data"
// (/var/lib/cloud: user-data, instance-data-sensitive.json); AWS CLI "Configuration and
// credential file settings" (~/.aws/credentials). See ../shared/reference/formats.md.
#include "probes/files/config_file.h"

#include <algorithm>
#include <array>
#include <span>

#include "probes/aws/content_hash.h"
#include "probes/cloudinit/secret_hints.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

// Where system configuration lives; a probe's reads elsewhere (homes, /var/lib/dpkg, binaries)
// are data, inventoried by their own facts when at all.
constexpr std::array<std::string_view, 5> kConfigRoots = {
    "/etc/", "/lib/systemd/system/", "/usr/lib/systemd/system/", "/usr/lib/os-release", "/opt/aws/",
};
// Config locations whose files are secrets or may hold them in clear.
constexpr std::array<std::string_view, 2> kSecretRoots = {
    "/var/lib/amazon/ssm/",  // registration, Vault/Store (RegistrationKey), instance folders
    "/var/lib/cloud/",       // user-data, instance-data-sensitive.json, obj.pkl
};
constexpr std::array<std::string_view, 5> kSecretFiles = {
    "/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/security/opasswd",
};

bool IsValidUtf8WithoutNul(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (c >= 0xF5 || len == 0 || i + len > text.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

bool StartsWithAny(std::string_view path, std::span<const std::string_view> prefixes) {
  for (auto prefix : prefixes) {
    if (path.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace

ConfigFileClass ClassifyConfigPath(std::string_view path) {
  if (!StartsWithAny(path, kConfigRoots) && !StartsWithAny(path, kSecretRoots)) {
    return ConfigFileClass::kNotConfig;
  }
  if (StartsWithAny(path, kSecretRoots)) return ConfigFileClass::kHashOnly;
  for (auto file : kSecretFiles) {
    if (path == file) return ConfigFileClass::kHashOnly;
  }
  // sshd's private host keys: /etc/ssh/ssh_host_<type>_key (the .pub next to it is public).
  size_t slash = path.rfind('/');
  std::string_view base = path.substr(slash + 1);
  if (base.starts_with("ssh_host_") && base.ends_with("_key")) return ConfigFileClass::kHashOnly;
  // AWS CLI credentials and CloudWatch agent credential files under /etc or /opt/aws.
  if (base == "credentials" || path.find("/.aws/") != std::string_view::npos) {
    return ConfigFileClass::kHashOnly;
  }
  return ConfigFileClass::kText;
}

void to_json(nlohmann::json& j, const ConfigFileFact& fact) {
  j = nlohmann::json{{"path", fact.path},
                     {"sha256", fact.sha256},
                     {"size", fact.size},
                     {"mode", parse::OctalMode(fact.mode)},
                     {"uid", fact.uid},
                     {"gid", fact.gid},
                     {"content", fact.text ? "text" : "hash_only"}};
  if (fact.text) {
    j["text"] = *fact.text;
  } else {
    j["hash_only_reason"] = fact.hash_only_reason;
  }
}

ConfigFileFact DescribeConfigFile(std::string_view path, ConfigFileClass file_class,
                                  const FileStat& stat, std::string_view content) {
  ConfigFileFact fact{.path = std::string(path),
                      .sha256 = Sha256Hex(content),
                      .size = content.size(),
                      .mode = stat.mode,
                      .uid = stat.uid,
                      .gid = stat.gid};
  if (file_class != ConfigFileClass::kText) {
    fact.hash_only_reason = "secret-bearing";
  } else if (content.size() > kMaxConfigTextBytes) {
    fact.hash_only_reason = "too large";
  } else if (!IsValidUtf8WithoutNul(content)) {
    fact.hash_only_reason = "binary";
  } else if (std::ranges::any_of(FindSecretHints(content),
                                 [](const SecretHint& h) { return h.kind == "private_key"; })) {
    fact.hash_only_reason = "private key";
  } else {
    fact.text = RedactSecretsInText(content);
  }
  return fact;
}

}  // namespace imageprobe::probes
