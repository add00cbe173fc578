// SPDX-License-Identifier: Apache-2.0
// The PAM stack sshd runs with UsePAM yes: /etc/pam.d/sshd with its includes expanded, reduced
// to the module lines of each type. The access verdict asks it three things: does the auth
// stack accept an empty password (pam_unix nullok), does the account stack refuse non-root
// users while /etc/nologin exists (pam_nologin), and does it judge account expiry (pam_unix).
//
// References: pam.conf(5) (type control module-path args, [value=action] controls, `include`,
// `substack`, a leading `-` on the type), Debian's `@include`; Linux-PAM libpam/pam_handlers.c
// (service file lookup: /etc/pam.d, then /usr/lib/pam.d).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/filesystem.h"
#include "scanner/core/model.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes::access {

struct PamLine {
  std::string type;     // "auth", "account", "password", "session"; "@include" for Debian's
  std::string control;  // "required", "[success=1 default=ignore]", "include", "substack"
  std::string module;   // module path as written, or the included service for includes
  std::vector<std::string> args;
  uint32_t line = 0;

  bool IsInclude() const;
  std::string_view ModuleName() const;  // "pam_unix.so" from "/lib/.../pam_unix.so"
};

// One service file's lines (comments, blanks dropped; backslash continuations joined). Pure.
std::vector<PamLine> ParsePamFile(std::string_view text);

struct PamModule {
  PamLine line;
  std::string file;  // the service file it came from
};

struct PamStack {
  bool present = false;            // the sshd service file exists
  std::vector<std::string> files;  // every service file read, in order
  std::vector<PamModule> modules;  // includes expanded, in stack order
  std::vector<Diagnostic> diagnostics;

  // The first module line of `type` whose module is `name` ("pam_unix.so"), or nullptr.
  const PamModule* Find(std::string_view type, std::string_view name) const;
};

// Reads the `service` stack (sshd) through the Filesystem, includes at most 8 deep.
PamStack CollectPamStack(const Filesystem& fs, const ScanLimits& limits,
                         std::string_view service = "sshd");

}  // namespace imageprobe::probes::access
