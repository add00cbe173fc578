// SPDX-License-Identifier: Apache-2.0
// "Who can log in": the table a reviewer reads first, built from a root's facts (never by
// re-reading the image). The rows come from the kinds whose declarations give them
// (RecordKind::login_rows: one per authorized key, one per password-family method sshd accepts
// or might accept; scanner/core/login_row.h), each with its user's sudo rights and what the account
// itself says (RecordKind::account). A payload that lacks a field renders it as unknown, never
// as a crash; reports from before the access verdict render as they did.
#pragma once

#include <vector>

#include "scanner/core/login_row.h"
#include "scanner/core/record_catalog.h"
#include "scanner/core/report.h"

namespace imageprobe::report {

// Rows sorted by user, then method (keys first), then fingerprint.
std::vector<LoginRow> LoginRows(const RootReport& root, const RecordCatalog& catalog);

}  // namespace imageprobe::report
