#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""docs/rules.md must be exactly `imageprobe rules --format markdown`.

    rules_doc.py IMAGEPROBE DOCS_RULES_MD
"""
import difflib
import subprocess
import sys


def main():
    binary, doc = sys.argv[1:3]
    generated = subprocess.run([binary, "rules", "--format", "markdown"], capture_output=True,
                               check=True, timeout=60).stdout.decode("utf-8")
    try:
        with open(doc, encoding="utf-8") as f:
            committed = f.read()
    except FileNotFoundError:
        committed = ""
    if generated == committed:
        print(f"{doc} is up to date ({generated.count(chr(10))} lines)")
        return
    diff = difflib.unified_diff(committed.splitlines(True), generated.splitlines(True),
                                "docs/rules.md (committed)", "imageprobe rules --format markdown")
    sys.stdout.writelines(list(diff)[:80])
    sys.exit("docs/rules.md differs from the rule registry. Regenerate it with\n"
             "    build/scanner/cli/imageprobe rules --format markdown > docs/rules.md\n"
             "(or tools/update-golden, which does the same) and commit the result.")


if __name__ == "__main__":
    main()
