// SPDX-License-Identifier: Apache-2.0
#include "probes/access/pubkey_verdict.h"

#include <ctime>

#include "probes/sshd/sshd_canonical.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::access {

namespace {

// The signature algorithms a client may use with this key (sshkey_sigalg_by_name): an RSA
// key signs as rsa-sha2-512, rsa-sha2-256 or ssh-rsa; every other type as its own name.
std::vector<std::string> SignatureAlgorithms(const ssh::PublicKey& key) {
  std::string name(key.type_name());
  if (key.type->algorithm != ssh::KeyAlgorithm::kRsa) return {name};
  if (key.type->certificate) {
    return {"rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com",
            "ssh-rsa-cert-v01@openssh.com"};
  }
  return {"rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"};
}

// auth-options.c parse_absolute_time: YYYYMMDD[HHMM[SS]], local time of the server (taken as
// UTC here: the image's zone is not known), or with a trailing "Z" UTC.
std::optional<int64_t> ParseExpiryTime(std::string_view text) {
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) text.remove_suffix(1);
  if (text.size() != 8 && text.size() != 12 && text.size() != 14) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  auto number = [&](size_t at, size_t len) { return std::stoi(std::string(text.substr(at, len))); };
  std::tm tm{};
  tm.tm_year = number(0, 4) - 1900;
  tm.tm_mon = number(4, 2) - 1;
  tm.tm_mday = number(6, 2);
  if (text.size() >= 12) {
    tm.tm_hour = number(8, 2);
    tm.tm_min = number(10, 2);
  }
  if (text.size() == 14) tm.tm_sec = number(12, 2);
  return static_cast<int64_t>(timegm(&tm));
}

std::string Restriction(const ssh::KeyOptions& options) {
  std::string out;
  if (options.command) out = "forced command: " + *options.command;
  if (options.restrict) {
    if (!out.empty()) out += "; ";
    out += "restrict (no forwarding, no pty unless re-enabled)";
  }
  return out;
}

}  // namespace

Decision RootAllowed(uint32_t uid, const AccessSettings& settings, std::string_view method,
                     bool forced_command) {
  if (uid != 0) return Decision::Accepted();
  std::string value = settings.Value("PermitRootLogin");
  std::string source = settings.Source("PermitRootLogin");
  if (value == "yes") return Decision::Accepted();
  bool key_like = method == "publickey" || method == "hostbased" || method == "gssapi-with-mic";
  if ((value == "prohibit-password" || value == "without-password") && key_like) {
    return Decision::Accepted();
  }
  if (value == "forced-commands-only" && method == "publickey" && forced_command) {
    return Decision::Accepted();
  }
  std::string why =
      value == "forced-commands-only" && method == "publickey"
          ? "PermitRootLogin forced-commands-only and the key has no command="
          : "PermitRootLogin " + value + " refuses " + std::string(method) + " for uid 0";
  return Decision::Refused(why, source);
}

std::vector<std::string> AcceptedKeyAlgorithms(const SshdSettings& settings,
                                               const OpensshBuild& build) {
  std::vector<std::string> out;
  auto it = settings.find("PubkeyAcceptedAlgorithms");
  if (it == settings.end() || it->second.values.empty()) return out;
  std::string list = SshdEffectiveValue(it->second, build);
  for (std::string_view name : parse::SplitFields(list, ',')) {
    if (!name.empty()) out.emplace_back(name);
  }
  return out;
}

Decision DecideKey(const ssh::UserKeys& user, const ssh::KeysFile& file,
                   const ssh::AuthorizedKey& key, const AccessSettings& settings,
                   const std::vector<std::string>& accepted_algorithms, int64_t now) {
  if (!settings.Yes("PubkeyAuthentication")) {
    return Decision::Refused("PubkeyAuthentication no", settings.Source("PubkeyAuthentication"));
  }
  if (file.refused) {
    if (!file.stat.IsRegular()) {
      return Decision::Refused(file.path + " is not a regular file", file.resolved_path);
    }
    if (!file.unreadable.empty()) {
      return Decision::Refused("sshd opens it as the user: " + file.unreadable, file.resolved_path);
    }
    if (file.violation) {
      return Decision::Refused(
          "StrictModes: " + file.violation->path + " " + file.violation->detail,
          file.violation->path);
    }
    return Decision::Refused("sshd does not read " + file.path, file.path);
  }
  std::string where = file.path + ":" + std::to_string(key.line);
  const ssh::KeyOptions& options = key.options;
  if (options.cert_authority) {
    return Decision::Conditional("cert-authority: certificates signed by this CA" +
                                     (options.principals ? " with principals=" + *options.principals
                                                         : " naming " + user.user),
                                 where);
  }
  bool allowed = false;
  for (const std::string& algorithm : SignatureAlgorithms(key.key)) {
    for (const std::string& accepted : accepted_algorithms) {
      if (accepted == algorithm) allowed = true;
    }
  }
  if (!allowed) {
    return Decision::Refused(std::string(key.key.type_name()) + " not in PubkeyAcceptedAlgorithms",
                             settings.Source("PubkeyAcceptedAlgorithms"));
  }
  if (key.key.type->algorithm == ssh::KeyAlgorithm::kRsa) {
    std::string required = settings.Value("RequiredRSASize");
    if (!required.empty()) {
      char* end = nullptr;
      unsigned long minimum = std::strtoul(required.c_str(), &end, 10);
      if (end != required.c_str() && key.key.bits < minimum) {
        return Decision::Refused("RSA key of " + std::to_string(key.key.bits) +
                                     " bits is below RequiredRSASize " + required,
                                 settings.Source("RequiredRSASize"));
      }
    }
  }
  if (options.expiry_time) {
    std::optional<int64_t> expiry = ParseExpiryTime(*options.expiry_time);
    if (expiry && *expiry < now) {
      return Decision::Refused("expiry-time " + *options.expiry_time + " has passed", where);
    }
  }
  Decision root = RootAllowed(user.uid, settings, "publickey", options.command.has_value());
  if (!root.accepted()) return root;
  Decision out = Decision::Accepted("key in " + file.path, where);
  if (options.from && *options.from != "*") {
    out =
        Decision::Conditional("from=\"" + *options.from + "\": only from matching clients", where);
  }
  out.restriction = Restriction(options);
  return out;
}

}  // namespace imageprobe::probes::access
