// SPDX-License-Identifier: Apache-2.0
#include "scanner/gate/policy.h"

namespace imageprobe::gate {

void ApplyPolicy(const Policy& policy, const RecordCatalog& catalog, Report& report) {
  if (policy.expectations) ApplyExpectations(*policy.expectations, catalog, report);
  ApplyProfile(policy.profile, report);
  if (policy.ignore) ApplyIgnoreFile(*policy.ignore, policy.today, report);
  if (policy.baseline) ApplyBaseline(*policy.baseline, policy.baseline_source, report);
}

}  // namespace imageprobe::gate
