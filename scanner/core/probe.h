// SPDX-License-Identifier: Apache-2.0
// The probe interface. A probe is a pure function from a read-only view of one root to facts,
// findings and diagnostics: it never touches the host, never writes, and reports what it could
// not read instead of throwing (a throw is caught by the runner and recorded as a failure).
//
// To add a probe: write probes/<area>/<name>.cc with a class deriving from Probe, keep its
// parsing in pure Parse*(std::string_view) functions with their own tests, declare the kinds of
// fact it records beside it (<name>_records.{h,cc}), add one line to probes/all_probes.cc (the
// only registry, whose order is the run order) and one to probes/CMakeLists.txt.
#pragma once

#include <any>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "scanner/core/filesystem.h"
#include "scanner/core/model.h"
#include "scanner/core/record_kind.h"

namespace imageprobe {

// Resource limits every probe honours. Each has a command-line flag.
struct ScanLimits {
  uint64_t max_file_bytes = 16ull << 20;  // one file read
  uint64_t max_total_bytes = 1ull << 30;  // all reads of one root together
  uint32_t max_dir_entries = 100'000;     // one directory listing
  uint32_t max_symlink_hops = 40;
  uint32_t max_include_depth = 16;  // sshd's own SERVCONF_MAX_DEPTH
  std::chrono::milliseconds probe_time_budget{60'000};
};

// Parsed results several probes need (passwd, effective sshd configuration…), computed once
// per root on first use and shared. A probe asks with Memo<T>(make): the first caller's `make`
// builds the value; later callers get the same object. Nothing depends on probe order this way,
// and running a single probe (--probe) still finds what it needs.
class Context {
 public:
  template <class T, class Make>
  const T& Memo(Make&& make) {
    auto it = slots_.find(std::type_index(typeid(T)));
    if (it == slots_.end()) {
      it = slots_.emplace(std::type_index(typeid(T)), std::make_shared<T>(make())).first;
    }
    return *std::static_pointer_cast<T>(it->second);
  }

 private:
  std::map<std::type_index, std::shared_ptr<void>> slots_;
};

// Everything a probe may look at for one root.
struct Target {
  const Filesystem& fs;
  const OsInfo& os;  // filled by the os probe, which runs first; `detected` may be false
  const ScanLimits& limits;
  Context& context;
  // The day dates are judged on (vendor end of life): `scan --as-of`, so that a report can be
  // reproduced, or an image judged as of its release. Empty: the probe reads the clock.
  std::optional<std::chrono::year_month_day> as_of = std::nullopt;
};

// What a probe produces for one root.
class Output {
 public:
  // `kind` is one of the probe's own records() (a test checks that, for every probe).
  void AddFact(const RecordKind& kind, std::string key, nlohmann::json data) {
    facts_.push_back({std::string(kind.name), std::move(key), std::move(data)});
  }
  // Takes rule id and severity from the rule, fills an empty title/remediation from it, and
  // computes the identity: rule, path, user, `discriminator`. The discriminator separates
  // findings of one rule on one path and user by what each is about (a key line of a file that
  // holds many, a setting name); never evidence (the fingerprint of the one key a file holds,
  // which a rebuild regenerates) and never a line number, which shifts between versions.
  void Raise(const RuleInfo& rule, Finding finding, std::string_view discriminator = {});
  // The same with a severity other than the rule's default (e.g. an EOL date long past).
  void Raise(const RuleInfo& rule, Severity severity, Finding finding,
             std::string_view discriminator = {});
  // Something could not be read or parsed: recorded, and the root is marked partial.
  void Error(std::string path, std::string message) {
    errors_.push_back({std::string(), std::move(path), std::move(message)});
  }
  // The probe has nothing to look at in this image (no sshd installed, no SSM agent…).
  void NotApplicable(std::string reason) {
    applicable_ = false;
    not_applicable_reason_ = std::move(reason);
  }
  // Only the os probe sets this.
  void SetOs(OsInfo os) { os_ = std::move(os); }

  std::vector<Fact>& facts() { return facts_; }
  std::vector<Finding>& findings() { return findings_; }
  std::vector<Diagnostic>& errors() { return errors_; }
  bool applicable() const { return applicable_; }
  const std::string& not_applicable_reason() const { return not_applicable_reason_; }
  const std::optional<OsInfo>& os() const { return os_; }

 private:
  std::vector<Fact> facts_;
  std::vector<Finding> findings_;
  std::vector<Diagnostic> errors_;
  bool applicable_ = true;
  std::string not_applicable_reason_;
  std::optional<OsInfo> os_;
};

class Probe {
 public:
  virtual ~Probe() = default;
  virtual std::string_view name() const = 0;         // "ssh.authorized_keys": CLI selector
  virtual std::string_view description() const = 0;  // one line
  virtual std::span<const RuleInfo> rules() const = 0;
  // The kinds of fact it records, each declared once, here (scanner/core/record_kind.h).
  virtual std::span<const RecordKind* const> records() const = 0;
  // Guest paths or globs ("/etc", "/home/*/.ssh") this probe reads, so that slow backends can
  // fetch them in bulk before probes run; "~/.ssh" names a folder in every home /etc/passwd
  // lists. Reads outside them still work, one round trip each.
  virtual std::vector<std::string> prefetch() const { return {}; }
  virtual void Run(const Target& target, Output& out) const = 0;
};

}  // namespace imageprobe
