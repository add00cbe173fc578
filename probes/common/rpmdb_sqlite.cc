// SPDX-License-Identifier: Apache-2.0
// References: rpm-software-management/rpm lib/backend/sqlite.c (Packages table: hnum INTEGER
//   PRIMARY KEY, blob BLOB; journal_mode WAL); sqlite.org/c3ref/deserialize.html,
//   sqlite.org/fileformat2.html §1.3 (header bytes 18-19: 2 = WAL, 1 = rollback journal).
// Why SQLite itself and not a hand-written b-tree reader: the library is the format's
// reference implementation, is fuzzed continuously upstream, and treats a corrupt file as an
// SQLITE_CORRUPT error; a hand-written reader would be a second, less-tested parser of a
// complex format.
#include "probes/common/rpmdb_sqlite.h"

#include <sqlite3.h>

#include <cstring>
#include <memory>

namespace imageprobe::probes {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

constexpr size_t kSqliteHeaderBytes = 100;

}  // namespace

std::expected<std::vector<RpmdbBlob>, std::string> ReadRpmdbSqlite(std::string_view file) {
  if (file.size() < kSqliteHeaderBytes ||
      file.substr(0, 16) != std::string_view("SQLite format 3\0", 16)) {
    return std::unexpected("not an SQLite 3 database");
  }
  // A private copy: SQLite wants a mutable buffer, and rpm leaves the file marked WAL. The
  // in-memory VFS has no shared memory for a WAL index, so the copy is marked as a rollback
  // journal database (bytes 18-19 = 1). Pages still in an uncheckpointed -wal file are not
  // read; rpm checkpoints when it closes the database.
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(file.size()));
  if (!copy) return std::unexpected("out of memory copying the database");
  std::memcpy(copy, file.data(), file.size());
  if (copy[18] == 2) copy[18] = 1;
  if (copy[19] == 2) copy[19] = 1;

  sqlite3* raw_db = nullptr;
  int rc =
      sqlite3_open_v2(":memory:", &raw_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr);
  std::unique_ptr<sqlite3, CloseDb> db(raw_db);
  if (rc != SQLITE_OK) {
    sqlite3_free(copy);
    return std::unexpected("sqlite3_open_v2: " + std::string(sqlite3_errstr(rc)));
  }
  // Hostile files: no extension loading, no triggers or views from the schema running code,
  // bounded lengths.
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, 256 << 20);
  rc = sqlite3_deserialize(db.get(), "main", copy, file.size(), file.size(),
                           SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK) {  // deserialize frees `copy` itself on failure
    return std::unexpected("sqlite3_deserialize: " + std::string(sqlite3_errmsg(db.get())));
  }

  sqlite3_stmt* raw_statement = nullptr;
  rc = sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages ORDER BY hnum", -1,
                          &raw_statement, nullptr);
  std::unique_ptr<sqlite3_stmt, FinalizeStatement> statement(raw_statement);
  if (rc != SQLITE_OK)
    return std::unexpected("reading Packages: " + std::string(sqlite3_errmsg(db.get())));

  std::vector<RpmdbBlob> rows;
  while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
    if (rows.size() >= kRpmdbMaxHeaders) {
      return std::unexpected("more than " + std::to_string(kRpmdbMaxHeaders) + " packages");
    }
    sqlite3_int64 hnum = sqlite3_column_int64(statement.get(), 0);
    const void* bytes = sqlite3_column_blob(statement.get(), 1);
    int size = sqlite3_column_bytes(statement.get(), 1);
    if (hnum < 0 || hnum > UINT32_MAX) continue;  // rpm's instance numbers are 32-bit
    RpmdbBlob row{static_cast<uint32_t>(hnum), {}};
    if (bytes && size > 0) row.blob.assign(static_cast<const char*>(bytes), size);
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    return std::unexpected("reading Packages: " + std::string(sqlite3_errmsg(db.get())));
  }
  return rows;
}

}  // namespace imageprobe::probes
