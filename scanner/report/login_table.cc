// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/login_table.h"

#include <algorithm>
#include <tuple>

namespace imageprobe::report {

std::vector<LoginRow> LoginRows(const RootReport& root, const RecordCatalog& catalog) {
  AccountLookup accounts;
  if (const RecordKind* account = catalog.WithRole(RecordRole::kAccount)) {
    for (const Fact& f : root.facts) {
      if (f.kind == account->name) accounts[f.key] = account->account(f);
    }
  }
  std::vector<LoginRow> rows;
  for (const Fact& f : root.facts) {
    const RecordKind* kind = catalog.Find(f.kind);
    if (kind != nullptr && kind->login_rows != nullptr) kind->login_rows(f, accounts, rows);
  }
  std::ranges::sort(rows, [](const LoginRow& a, const LoginRow& b) {
    return std::tie(a.user, a.method, a.fingerprint) < std::tie(b.user, b.method, b.fingerprint);
  });
  return rows;
}

}  // namespace imageprobe::report
