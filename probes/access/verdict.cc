// SPDX-License-Identifier: Apache-2.0
#include "probes/access/verdict.h"

namespace imageprobe::probes::access {

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAccepted:
      return "accepted";
    case Verdict::kConditional:
      return "conditional";
    case Verdict::kRefused:
      return "refused";
  }
  return "refused";
}

Decision Both(const Decision& a, const Decision& b) {
  if (b.verdict < a.verdict) return b;
  Decision out = a;
  if (out.restriction.empty()) out.restriction = b.restriction;
  return out;
}

Decision Either(const Decision& a, const Decision& b) { return b.verdict > a.verdict ? b : a; }

}  // namespace imageprobe::probes::access
