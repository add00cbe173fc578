// SPDX-License-Identifier: Apache-2.0
#include "probes/access/decision_caveat.h"

#include "scanner/core/json_fields.h"

namespace imageprobe::probes::access {

std::optional<std::string> DecisionCaveat(const nlohmann::json& decision) {
  std::string verdict = StringMember(decision, "verdict");
  if (verdict.empty()) return std::nullopt;
  std::string reason = StringMember(decision, "reason");
  if (verdict == "refused") return "refused: " + reason;
  if (verdict == "conditional") return "conditional: " + reason;
  std::string restriction = StringMember(decision, "restriction");
  return restriction.empty() ? std::string() : "restricted: " + restriction;
}

}  // namespace imageprobe::probes::access
