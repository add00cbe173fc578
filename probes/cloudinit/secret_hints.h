// SPDX-License-Identifier: Apache-2.0
// What kinds of secret a leftover file (user-data, vendor-data, instance-data-sensitive.json,
// obj.pkl) seems to hold. Pure and pattern-based (RE2): the answer is "looks like", never proof,
// and every sample is redacted with RedactSecret before it leaves this function.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

struct SecretHint {
  std::string kind;    // "aws_access_key_id", "aws_secret_access_key", "private_key",
                       // "password", "token"
  uint32_t count = 0;  // matches of this kind in the text
  uint32_t first_line = 0;
  std::string redacted;  // the first match, redacted; for PEM keys the header type
};
void to_json(nlohmann::json& j, const SecretHint& hint);

// One hint per kind that occurs, in a fixed kind order. Binary input (pickles) is fine.
std::vector<SecretHint> FindSecretHints(std::string_view text);

// `text` with every secret value FindSecretHints would count, and every secret the shell
// history rules (probes/secrets/shell_history.h: URL passwords, --password=, PGPASSWORD=…)
// capture, replaced by its RedactSecret form ("aws_secret_access_key = wJal…EKEY"), everything
// else byte for byte. The one place that decides what is redacted in file content shown in a
// report. PEM private keys are not
// handled here: a file holding one must not be shown at all (FindSecretHints says so).
std::string RedactSecretsInText(std::string_view text);

}  // namespace imageprobe::probes
