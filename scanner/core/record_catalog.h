// SPDX-License-Identifier: Apache-2.0
// The record kinds of a set of probes (scanner/core/record_kind.h), as the diff, the gate and the
// login table look them up. Built once by the CLI from the probe registry; a test builds one
// from the probes it runs. Construction checks the declarations: one declaration per name, each
// role held at most once and with its hooks set.
#pragma once

#include <map>
#include <span>
#include <string_view>
#include <vector>

#include "scanner/core/probe.h"
#include "scanner/core/record_kind.h"

namespace imageprobe {

class RecordCatalog {
 public:
  RecordCatalog() = default;
  // Throws std::logic_error naming the declaration that breaks a rule above.
  explicit RecordCatalog(std::span<const Probe* const> probes);

  // nullptr when no probe declares `name`.
  const RecordKind* Find(std::string_view name) const;
  // nullptr when no kind holds `role`.
  const RecordKind* WithRole(RecordRole role) const;
  // The name of the probe that declares `kind` (one of this catalog's).
  std::string_view ProbeOf(const RecordKind& kind) const;
  // Every kind, in probe order, then in each probe's order.
  std::span<const RecordKind* const> kinds() const { return kinds_; }

 private:
  std::vector<const RecordKind*> kinds_;
  std::map<std::string_view, const RecordKind*, std::less<>> by_name_;
  std::map<RecordRole, const RecordKind*> by_role_;
  std::map<const RecordKind*, std::string_view> probe_of_;
};

}  // namespace imageprobe
