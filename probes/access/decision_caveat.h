// SPDX-License-Identifier: Apache-2.0
// A recorded Decision ({verdict, reason, restriction} in a fact's payload) as the login table's
// note reads it: "refused: PasswordAuthentication no", "conditional: from=…", "restricted: …".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace imageprobe::probes::access {

// "" for an unrestricted acceptance; nullopt when the payload holds no verdict (a report of
// imageprobe from before the access verdict).
std::optional<std::string> DecisionCaveat(const nlohmann::json& decision);

}  // namespace imageprobe::probes::access
