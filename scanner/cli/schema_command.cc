// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/schema_command.h"

#include "scanner/cli/output.h"
#include "scanner/core/record_catalog.h"
#include "scanner/report/report_schema.h"

namespace imageprobe::cli {

CLI::App* AddSchemaCommand(CLI::App& app) {
  return app.add_subcommand(
      "schema",
      "Print the JSON Schema (draft 2020-12) of `imageprobe scan --format json`, with the "
      "members and types of every record kind's data; docs/report.schema.json is its output.");
}

int RunSchema(const CliEnvironment& env) {
  const RecordCatalog catalog(env.probes);
  return WriteOutput(report::ReportSchema(catalog.kinds()), "", env) ? kExitOk : kExitUsage;
}

}  // namespace imageprobe::cli
