// SPDX-License-Identifier: Apache-2.0
// References: openssh-portable servconf.c dump_config (dump_cfg_int for LoginGraceTime and
// ClientAliveInterval, the "none"-or-seconds print of UnusedConnectionTimeout, dump_cfg_string
// of the assembled algorithm lists), misc.c convtime, kex.c kex_assemble_names (called from
// servconf.c assemble_algorithms), sshd_config(5) TIME FORMATS.
#include "probes/sshd/sshd_canonical.h"

#include <array>
#include <climits>

#include "probes/sshd/openssh_defaults.h"
#include "probes/sshd/sshd_keywords.h"
#include "probes/sshd/sshd_patterns.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

constexpr std::array<std::string_view, 7> kAlgorithmLists = {"Ciphers",
                                                             "MACs",
                                                             "KexAlgorithms",
                                                             "HostKeyAlgorithms",
                                                             "PubkeyAcceptedAlgorithms",
                                                             "HostbasedAcceptedAlgorithms",
                                                             "CASignatureAlgorithms"};

// The keywords printed as seconds: kTime rows of the keyword table, and UnusedConnectionTimeout
// (a time or "none", kept as kAny in the table because of "none").
bool IsTime(const SshdKeyword& keyword) {
  return keyword.type == SshdValueType::kTime || keyword.name == "UnusedConnectionTimeout";
}

// The compiled-in list of an algorithm keyword for this build (servconf.c assemble_algorithms
// starts from it).
std::string_view DefaultList(const SshdKeyword& keyword, const OpensshBuild& build) {
  const OpensshDefaultRow* row = FindOpensshDefault(keyword.name, build);
  return row != nullptr && !row->value.empty() ? row->value : keyword.default_value;
}

}  // namespace

std::optional<int64_t> SshdConvTime(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    // strtol: at least one digit (sshd also lets strtol skip blanks and take a sign; a value
    // with those is one argument only when quoted, and "-" is refused by the secs < 0 check).
    size_t start = i;
    int64_t number = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      number = number * 10 + (text[i] - '0');
      if (number > INT_MAX) return std::nullopt;
      ++i;
    }
    if (i == start) return std::nullopt;
    int64_t multiplier = 1;
    if (i < text.size()) {
      switch (text[i] | 0x20) {
        case 's':
          break;
        case 'm':
          multiplier = 60;
          break;
        case 'h':
          multiplier = 60 * 60;
          break;
        case 'd':
          multiplier = 24 * 60 * 60;
          break;
        case 'w':
          multiplier = 7 * 24 * 60 * 60;
          break;
        default:
          return std::nullopt;
      }
      ++i;
    }
    if (number > INT_MAX / multiplier) return std::nullopt;
    number *= multiplier;
    if (total > INT_MAX - number) return std::nullopt;
    total += number;
  }
  return total;
}

bool IsSshdAlgorithmList(std::string_view keyword) {
  for (std::string_view name : kAlgorithmLists) {
    if (parse::EqualsIgnoreCase(name, keyword)) return true;
  }
  return false;
}

std::string CanonicalSshdValue(std::string_view keyword, std::string_view configured,
                               const OpensshBuild& build) {
  const SshdKeyword* known = FindSshdKeyword(keyword);
  if (known == nullptr) return std::string(configured);
  if (IsTime(*known)) {
    if (parse::EqualsIgnoreCase(configured, "none")) return "none";
    std::optional<int64_t> seconds = SshdConvTime(configured);
    return seconds ? std::to_string(*seconds) : std::string(configured);
  }
  if (IsSshdAlgorithmList(known->name)) {
    AlgorithmList list = AssembleAlgorithms(configured, DefaultList(*known, build),
                                            OpensshSupportedAlgorithms(known->name, build));
    return parse::Join(list.names, ",");
  }
  return std::string(configured);
}

std::string SshdEffectiveValue(const SshdSetting& setting, const OpensshBuild& build) {
  if (setting.keyword == nullptr) return setting.Joined();
  if (setting.is_default() && IsSshdAlgorithmList(setting.keyword->name)) {
    // assemble_algorithms with nothing configured: the filled-in default list, assembled.
    return parse::Join(AssembleAlgorithms("", setting.Joined(),
                                          OpensshSupportedAlgorithms(setting.keyword->name, build))
                           .names,
                       ",");
  }
  return CanonicalSshdValue(setting.keyword->name, setting.Joined(), build);
}

}  // namespace imageprobe::probes
