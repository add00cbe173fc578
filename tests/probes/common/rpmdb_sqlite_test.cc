// SPDX-License-Identifier: Apache-2.0
// ReadRpmdbSqlite on databases made here with SQLite (serialized to bytes) and on junk. The
// rpmdb.sqlite that rpm itself writes is read in rpmdb_oracle_test.cc.
#include "probes/common/rpmdb_sqlite.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace imageprobe::probes {
namespace {

// A database built by running `sql`, as the bytes of its file.
std::string DatabaseBytes(const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db, "main", &size, 0);
  std::string out(reinterpret_cast<char*>(bytes), size);
  sqlite3_free(bytes);
  sqlite3_close(db);
  return out;
}

TEST(RpmdbSqlite, ReadsEveryRowOfPackages) {
  std::string file = DatabaseBytes(
      "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);"
      "INSERT INTO Packages VALUES (3, x'00010203'), (1, x'ff');");
  auto rows = ReadRpmdbSqlite(file);
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].hnum, 1u);
  EXPECT_EQ((*rows)[0].blob, "\xff");
  EXPECT_EQ((*rows)[1].hnum, 3u);
  EXPECT_EQ((*rows)[1].blob, std::string("\0\1\2\3", 4));
}

TEST(RpmdbSqlite, WalModeDatabaseIsReadLikeRpmLeavesIt) {
  std::string file = DatabaseBytes(
      "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL);"
      "INSERT INTO Packages VALUES (1, x'aa');");
  file[18] = file[19] = 2;  // what journal_mode=WAL writes in the file header
  auto rows = ReadRpmdbSqlite(file);
  ASSERT_TRUE(rows) << rows.error();
  EXPECT_EQ(rows->size(), 1u);
}

TEST(RpmdbSqlite, DatabaseWithoutPackagesTableIsAnError) {
  auto rows = ReadRpmdbSqlite(DatabaseBytes("CREATE TABLE Other (x);"));
  ASSERT_FALSE(rows);
  EXPECT_NE(rows.error().find("Packages"), std::string::npos);
}

TEST(RpmdbSqlite, AViewNamedPackagesIsNotEvaluated) {
  // A hostile schema may define Packages as a view; views are disabled on the connection.
  auto rows = ReadRpmdbSqlite(DatabaseBytes(
      "CREATE TABLE t (hnum, blob); CREATE VIEW Packages AS SELECT hnum, blob FROM t;"));
  EXPECT_FALSE(rows);
}

TEST(RpmdbSqlite, JunkTruncatedAndEmptyInputsAreErrors) {
  EXPECT_FALSE(ReadRpmdbSqlite(""));
  EXPECT_FALSE(ReadRpmdbSqlite("SQLite format 3"));
  EXPECT_FALSE(ReadRpmdbSqlite(std::string(4096, '\0')));
  std::string junk = std::string("SQLite format 3\0", 16) + std::string(8192, '\x5a');
  EXPECT_FALSE(ReadRpmdbSqlite(junk));
  std::string file = DatabaseBytes(
      "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL);"
      "INSERT INTO Packages VALUES (1, randomblob(20000));");
  ASSERT_TRUE(ReadRpmdbSqlite(file));
  for (size_t n = 100; n < file.size(); n += 509) {
    auto rows = ReadRpmdbSqlite(file.substr(0, n));
    if (rows) {
      EXPECT_LE(rows->size(), 1u);  // a cut file may still read; never crash
    }
  }
  // Every byte of the schema page flipped in turn: errors or rows, never a crash.
  for (size_t i = 100; i < 1024 && i < file.size(); i += 7) {
    std::string flipped = file;
    flipped[i] = static_cast<char>(~flipped[i]);
    (void)ReadRpmdbSqlite(flipped);
  }
}

}  // namespace
}  // namespace imageprobe::probes
