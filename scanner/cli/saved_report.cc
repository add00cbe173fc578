// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/saved_report.h"

#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "scanner/parse/json_reader.h"
#include "scanner/report/json_model.h"

namespace imageprobe::cli {

namespace {

// A saved report larger than this is not something we wrote.
constexpr uintmax_t kMaxReportBytes = uintmax_t{512} << 20;

}  // namespace

bool LooksLikeJson(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::ifstream in(path, std::ios::binary);
  std::array<char, 512> head{};
  in.read(head.data(), head.size());
  std::string_view text(head.data(), static_cast<size_t>(in.gcount()));
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

std::expected<Report, std::string> LoadSavedReport(const std::string& path) {
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return std::unexpected("cannot read the file: " + ec.message());
  if (size > kMaxReportBytes) {
    return std::unexpected(std::string("JSON file larger than 512 MiB; not an imageprobe report"));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in) return std::unexpected(std::string("cannot read the file"));

  auto parsed = parse::ReadJson(text, report::kReportMaxJsonDepth);
  if (!parsed) return std::unexpected(parsed.error().Message());
  const nlohmann::json& j = *parsed;
  if (!j.is_object()) {
    return std::unexpected(
        std::string("a JSON document that is not an imageprobe report "
                    "(expected one report object)"));
  }
  auto schema = j.find("schema");
  if (schema == j.end() || !schema->is_string()) {
    return std::unexpected(
        std::string("a JSON document without a \"schema\"; not an imageprobe report"));
  }
  const std::string id = schema->get<std::string>();
  if (id != kReportSchema) {
    if (id.starts_with("imageprobe/report/")) {
      return std::unexpected("report schema \"" + id + "\" is not supported (this imageprobe " +
                             "reads " + std::string(kReportSchema) + ")");
    }
    if (id.starts_with("imageprobe/")) {
      return std::unexpected("an " + id + " document, not an imageprobe report");
    }
    return std::unexpected("schema \"" + id + "\" is from another tool, not an imageprobe report");
  }
  auto report = report::ReportFromJson(j);
  if (!report) return std::unexpected("malformed imageprobe report: " + report.error());
  return report;
}

}  // namespace imageprobe::cli
