#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The HTML report (scan and diff) rendered by a real browser: Debian's chromium, headless.

    html_chromium.py IMAGEPROBE SOURCE_DIR SCRATCH_DIR

For the demo root (tests/fixtures/demo/v1, copied to SCRATCH_DIR) and a v2 without its
authorized_keys files: `scan --format html` and `diff --format html` pages are rendered;
each must give a non-empty PNG screenshot, and the page text chromium builds (--dump-dom)
must hold every finding's title (scan) or every headline (diff) from the JSON output.
"""
import html
import json
import os
import shutil
import subprocess
import sys

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def main():
    binary, source, scratch = (os.path.abspath(a) for a in sys.argv[1:4])
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("html_chromium: chromium is not installed; run tools/install-deps")
    os.makedirs(scratch, exist_ok=True)
    v1 = os.path.join(scratch, "v1")
    v2 = os.path.join(scratch, "v2")
    for d in (v1, v2):
        shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(os.path.join(source, "tests/fixtures/demo/v1"), v1, symlinks=True)
    shutil.copytree(v1, v2, symlinks=True)
    for base, _, files in os.walk(v2):
        for name in files:
            if name == "authorized_keys":
                os.remove(os.path.join(base, name))

    def imageprobe(*args):
        proc = subprocess.run([binary, *args], capture_output=True, timeout=300)
        if proc.returncode not in (0, 1):
            sys.exit(f"imageprobe {' '.join(args)}: exit {proc.returncode}: {proc.stderr!r}")
        return proc.stdout.decode("utf-8")

    report = json.loads(imageprobe("scan", "-q", "--format", "json", v1))
    diff = json.loads(imageprobe("diff", "-q", "--format", "json", v1, v2))
    pages = {
        "scan": (imageprobe("scan", "-q", "--format", "html", v1),
                 [f["title"] for root in report["roots"] for f in root["findings"]]),
        "diff": (imageprobe("diff", "-q", "--format", "html", v1, v2),
                 [h["text"] for h in diff["headlines"]]),
    }
    failures = []
    for name, (page, expected) in pages.items():
        if not expected:
            failures.append(f"{name}: nothing to look for (no findings / headlines): bad fixture")
            continue
        page_path = os.path.join(scratch, f"{name}.html")
        png_path = os.path.join(scratch, f"{name}.png")
        with open(page_path, "w", encoding="utf-8") as f:
            f.write(page)
        if os.path.exists(png_path):
            os.remove(png_path)
        common = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                  "--no-first-run", "--disable-extensions",
                  f"--user-data-dir={os.path.join(scratch, 'chromium-profile')}"]
        subprocess.run([*common, f"--screenshot={png_path}", "--window-size=1280,2000",
                        "file://" + page_path], capture_output=True, timeout=180)
        with open(png_path, "rb") if os.path.exists(png_path) else open(os.devnull, "rb") as f:
            png = f.read()
        if not png.startswith(PNG_SIGNATURE) or len(png) < 1000:
            failures.append(f"{name}: no screenshot ({len(png)} bytes at {png_path})")
        dom = subprocess.run([*common, "--dump-dom", "file://" + page_path],
                             capture_output=True, timeout=180).stdout.decode("utf-8", "replace")
        text = html.unescape(dom)
        missing = [t for t in expected if t not in text]
        if missing:
            failures.append(f"{name}: the rendered page lacks {missing}")
        print(f"{name}: {len(expected)} strings found in the DOM, screenshot {len(png)} bytes")
    if failures:
        sys.exit("\n".join(failures))


if __name__ == "__main__":
    main()
