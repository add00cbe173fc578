// SPDX-License-Identifier: Apache-2.0
// /etc/fstab read the way util-linux libmount reads it (mount(8), systemd-fstab-generator), so
// that the scanner sees the entries the guest's own boot would mount and no others. Used by the
// lift-and-shift probe (probes/migration/fstab.h) and by the guestfs backend's light inspection
// (images/guestfs_fstab.h). Pure: text in, entries and problems out.
//
// The rules, from libmount's tab_parse.c (mnt_table_parse_next, mnt_parse_table_line) and
// lib/mangle.c (unmangle):
// - a line whose first non-blank character is '#' is a comment; blank lines are skipped; a '#'
//   anywhere else is an ordinary character (there are no trailing comments);
// - a trailing "\r" is dropped; a NUL byte ends the line (libmount reads C strings);
// - fields are separated by runs of spaces and tabs; source, target and type are required;
//   options are optional ("defaults" here when missing); freq and passno are optional but must
//   be integers when present, or the line is refused; anything after passno is ignored;
// - in every field "\" followed by three octal digits is that byte (\040 space, \011 tab,
//   \134 backslash), the value taken modulo 256 as libmount's char store does; "\000" ends the
//   field there. Any other backslash is kept as it is.
//
// References: fstab(5); util-linux libmount/src/tab_parse.c, lib/mangle.c.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/parse/problem.h"

namespace imageprobe::parse {

struct FstabEntry {
  std::string spec;  // first field, unescaped: "UUID=…", "LABEL=…", "/dev/xvda1", "host:/x"
  std::string mount_point;  // second field, unescaped, as written (not normalised)
  std::string type;         // "ext4", "xfs", "swap", "auto", …
  std::string options;      // "defaults" when the field is missing
  int freq = 0;             // dump(8) frequency, 0 when missing
  int passno = 0;           // fsck(8) order, 0 when missing
  uint32_t line = 0;        // 1-based

  // Whether `option` is one of the comma-separated options, exactly ("nofail", "bind").
  bool HasOption(std::string_view option) const;
};

struct ParsedFstab {
  std::vector<FstabEntry> entries;     // in file order
  std::vector<ParseProblem> problems;  // lines libmount refuses, skipped
};

ParsedFstab ParseFstab(std::string_view text);

// One fstab field with libmount's octal escapes decoded ("My\040Disk" -> "My Disk").
std::string UnescapeFstabField(std::string_view field);

}  // namespace imageprobe::parse
