// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/gate_flags.h"

#include <filesystem>
#include <fstream>

#include "scanner/cli/saved_report.h"

namespace imageprobe::cli {

namespace {

// Expectations and ignore files are hand-written: a few KiB. Anything far larger is a mistake.
constexpr uintmax_t kMaxPolicyFileBytes = uintmax_t{4} << 20;

std::expected<std::string, std::string> ReadPolicyFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return std::unexpected(
        std::string(std::filesystem::exists(path, ec) ? "not a regular file" : "no such file"));
  }
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return std::unexpected("cannot read the file: " + ec.message());
  if (size > kMaxPolicyFileBytes) return std::unexpected(std::string("larger than 4 MiB"));
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in) return std::unexpected(std::string("cannot read the file"));
  return text;
}

}  // namespace

void AddProfileFlag(CLI::App& command, GateFlags& flags) {
  command.add_option("--profile", flags.profile, kProfileHelp)
      ->check(CLI::IsMember({"default", "release", "forensic"}))
      ->capture_default_str();
}

void AddGateFlags(CLI::App& command, GateFlags& flags) {
  AddProfileFlag(command, flags);
  command.add_option("--expect", flags.expect,
                     "JSON file of what the image must contain and must not (users, their keys "
                     "by SHA256 fingerprint, sudo rights, sshd settings, paths); each unmet "
                     "expectation is a finding expect.* (high). Format: docs/gating.md.");
  command.add_option("--ignore", flags.ignore,
                     "YAML file of accepted findings (rule, path, user, reason, expires); "
                     "matching findings are marked suppressed, kept in JSON, left out of counts "
                     "and --fail-on. Format: docs/gating.md.");
  command.add_option("--baseline", flags.baseline,
                     "A saved JSON report: findings it already had are marked suppressed, so "
                     "only what is new is reported and gated.");
}

std::expected<gate::Policy, std::string> LoadPolicy(const GateFlags& flags,
                                                    std::chrono::year_month_day today) {
  gate::Policy policy;
  policy.today = today;
  policy.profile = gate::ParseProfile(flags.profile).value_or(gate::Profile::kDefault);
  if (!flags.expect.empty()) {
    auto fail = [&](const std::string& why) {
      return std::unexpected("--expect " + flags.expect + ": " + why);
    };
    auto text = ReadPolicyFile(flags.expect);
    if (!text) return fail(text.error());
    auto parsed = gate::ParseExpectations(*text);
    if (!parsed) return fail(parsed.error());
    policy.expectations = std::move(*parsed);
  }
  if (!flags.ignore.empty()) {
    auto fail = [&](const std::string& why) {
      return std::unexpected("--ignore " + flags.ignore + ": " + why);
    };
    auto text = ReadPolicyFile(flags.ignore);
    if (!text) return fail(text.error());
    auto parsed = gate::ParseIgnoreFile(*text, flags.ignore);
    if (!parsed) return fail(parsed.error());
    policy.ignore = std::move(*parsed);
  }
  if (!flags.baseline.empty()) {
    auto fail = [&](const std::string& why) {
      return std::unexpected("--baseline " + flags.baseline + ": " + why);
    };
    if (!LooksLikeJson(flags.baseline)) {
      std::error_code ec;
      return fail(std::filesystem::exists(flags.baseline, ec)
                      ? "not a saved imageprobe report (imageprobe scan -f json)"
                      : "no such file");
    }
    auto report = LoadSavedReport(flags.baseline);
    if (!report) return fail(report.error());
    policy.baseline = std::move(*report);
    policy.baseline_source = flags.baseline;
  }
  return policy;
}

}  // namespace imageprobe::cli
