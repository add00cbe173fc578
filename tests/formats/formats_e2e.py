#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The report formats on real CLI output, checked against their specifications.

    formats_e2e.py IMAGEPROBE SOURCE_DIR SCRATCH_DIR [unittest args]

Two versions of the demo root (tests/fixtures/demo/v1 as it is, and a v2 that lost every
authorized_keys file and got a hostile os-release) are copied into SCRATCH_DIR at test time and
scanned as directories, so no appliance is needed. Then:
  - `scan --format sarif` validates against the OASIS SARIF 2.1.0 schema
    (tests/report/sarif-schema-2.1.0.json) and its ruleIndex/partialFingerprints hold;
  - `scan --format json` (one image and several) validates against docs/report.schema.json,
    `diff --format json` (images and saved reports) against docs/diff.schema.json;
  - Markdown (scan and diff) fits a GitHub comment and lets no image string through as markup;
  - HTML (scan and diff) fetches nothing: no src/href to a URL, no @import or url(), no script.
Each schema check also runs on a deliberately broken document, which must fail: the validator
is really looking.

Needs Debian's python3-jsonschema (tools/install-deps).
"""
import copy
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

try:
    import jsonschema
    from jsonschema import RefResolver
except ImportError:  # pragma: no cover
    sys.exit("formats_e2e: python3-jsonschema is missing; run tools/install-deps")

BINARY = SOURCE = SCRATCH = None
HOSTILE_NAME = ('<img src=http://evil.example/x.png onerror=alert(1)> '
                '[click](https://evil.example/) @octocat #1 | `tick` www.evil.example')


def run(*args, expect=(0, 1)):
    proc = subprocess.run([BINARY, *args], capture_output=True, timeout=300)
    if proc.returncode not in expect:
        raise AssertionError(f"imageprobe {' '.join(args)} exited {proc.returncode}:\n"
                             f"{proc.stderr.decode(errors='replace')}")
    return proc.stdout.decode("utf-8")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def make_roots():
    v1 = os.path.join(SCRATCH, "v1")
    v2 = os.path.join(SCRATCH, "v2")
    for d in (v1, v2):
        if os.path.exists(d):
            shutil.rmtree(d)
    shutil.copytree(os.path.join(SOURCE, "tests/fixtures/demo/v1"), v1, symlinks=True)
    shutil.copytree(v1, v2, symlinks=True)
    for base, _, files in os.walk(v2):
        for name in files:
            if name == "authorized_keys":
                os.remove(os.path.join(base, name))
    with open(os.path.join(v2, "etc/ssh/sshd_config"), "w") as f:
        f.write("PermitRootLogin yes\nSubsystem sftp /usr/lib/openssh/sftp-server\n")
    os_release = os.path.join(v2, "etc/os-release")
    if os.path.islink(os_release):
        os.remove(os_release)
    with open(os_release, "w") as f:
        f.write(f'PRETTY_NAME="{HOSTILE_NAME}"\nNAME="Ubuntu"\nVERSION_ID="22.04"\n'
                'ID=ubuntu\nID_LIKE=debian\n')
    with open(os.path.join(v2, "etc/hostname"), "w") as f:
        f.write("evil<b>host</b>\n")
    return v1, v2


def report_validator():
    schema = load(os.path.join(SOURCE, "docs/report.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def diff_validator():
    report = load(os.path.join(SOURCE, "docs/report.schema.json"))
    diff = load(os.path.join(SOURCE, "docs/diff.schema.json"))
    jsonschema.Draft202012Validator.check_schema(diff)
    # Both schemas come from the repository; nothing is fetched.
    resolver = RefResolver.from_schema(diff, store={report["$id"]: report, diff["$id"]: diff})
    return jsonschema.Draft202012Validator(diff, resolver=resolver)


def sarif_validator():
    schema = load(os.path.join(SOURCE, "tests/report/sarif-schema-2.1.0.json"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def errors_of(validator, document):
    return sorted(validator.iter_errors(document), key=lambda e: list(e.path))


class Formats(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.v1, cls.v2 = make_roots()
        cls.report_v1 = json.loads(run("scan", "-q", "--format", "json", cls.v1))
        cls.report_v2 = json.loads(run("scan", "-q", "--format", "json", cls.v2))
        cls.saved_v1 = os.path.join(SCRATCH, "v1.json")
        cls.saved_v2 = os.path.join(SCRATCH, "v2.json")
        for path, report in ((cls.saved_v1, cls.report_v1), (cls.saved_v2, cls.report_v2)):
            with open(path, "w", encoding="utf-8") as f:
                json.dump(report, f)

    # --- JSON schemas -------------------------------------------------------------------------

    def test_scan_json_validates_against_report_schema(self):
        v = report_validator()
        for report in (self.report_v1, self.report_v2):
            self.assertEqual(errors_of(v, report), [])
        self.assertGreater(len(self.report_v1["roots"][0]["facts"]), 10)
        self.assertGreater(self.report_v2["summary"]["total"], 0)
        several = json.loads(run("scan", "-q", "--format", "json", self.v1, self.v2))
        self.assertEqual(len(several), 2)
        for report in several:
            self.assertEqual(errors_of(v, report), [])

    def test_report_schema_rejects_a_broken_report(self):
        v = report_validator()

        def fact(report, kind):
            return next(f for f in report["roots"][0]["facts"] if f["kind"] == kind)

        for mutate in (lambda r: r.pop("schema"),
                       lambda r: r["roots"][0]["findings"][0].update(severity="urgent"),
                       lambda r: r["roots"][0]["facts"][0].pop("key"),
                       lambda r: r["summary"]["counts"].pop("high"),
                       # A kind's payload is held to the members its probe declares.
                       lambda r: fact(r, "os/release")["data"].update(id=7),
                       lambda r: fact(r, "users/user")["data"].pop("uid"),
                       lambda r: fact(r, "sshd/setting")["data"].update(origins="x")):
            broken = copy.deepcopy(self.report_v2)
            mutate(broken)
            self.assertNotEqual(errors_of(v, broken), [])

    def test_report_schema_accepts_what_a_newer_v1_writer_may_add(self):
        v = report_validator()
        newer = copy.deepcopy(self.report_v2)
        facts = newer["roots"][0]["facts"]
        facts.append({"kind": "future/thing", "key": "k", "data": {"anything": [1, {"x": None}]}})
        next(f for f in facts if f["kind"] == "os/release")["data"]["new_member"] = {"a": 1}
        self.assertEqual(errors_of(v, newer), [])

    def test_diff_json_validates_against_diff_schema(self):
        v = diff_validator()
        from_images = json.loads(run("diff", "-q", "--format", "json", self.v1, self.v2))
        from_saved = json.loads(run("diff", "-q", "--format", "json", self.saved_v1,
                                    self.saved_v2))
        for d in (from_images, from_saved):
            self.assertEqual(errors_of(v, d), [])
            self.assertTrue(d["regression"])
            self.assertTrue(any(c["change"] == "removed" for c in d["facts"]))
            self.assertTrue(any(c["change"] == "added" for c in d["findings"]))
        broken = copy.deepcopy(from_saved)
        broken["facts"][0]["change"] = "moved"
        self.assertNotEqual(errors_of(v, broken), [])
        broken = copy.deepcopy(from_saved)
        added = next(c for c in broken["findings"] if c["change"] == "added")
        added.pop("new")
        self.assertNotEqual(errors_of(v, broken), [])

    # --- SARIF -------------------------------------------------------------------------------

    def test_sarif_validates_against_the_oasis_schema(self):
        v = sarif_validator()
        log = json.loads(run("scan", "-q", "--format", "sarif", self.v2))
        self.assertEqual(errors_of(v, log), [])
        two = json.loads(run("scan", "-q", "--format", "sarif", self.v1, self.v2))
        self.assertEqual(errors_of(v, two), [])
        self.assertEqual(len(two["runs"]), 2)
        broken = copy.deepcopy(log)
        broken["runs"][0]["results"][0]["level"] = "fatal"
        self.assertNotEqual(errors_of(v, broken), [])
        broken = copy.deepcopy(log)
        del broken["version"]
        self.assertNotEqual(errors_of(v, broken), [])

    def test_sarif_results_match_the_report(self):
        log = json.loads(run("scan", "-q", "--format", "sarif", self.v2))
        run_ = log["runs"][0]
        rules = run_["tool"]["driver"]["rules"]
        catalogue = json.loads(run("rules", "--format", "json"))
        ids = [r["id"] for p in catalogue["probes"] for r in p["rules"]]
        self.assertEqual([r["id"] for r in rules][:len(ids)], ids)
        for rule in rules[:len(ids)]:
            self.assertTrue(rule["help"]["text"])
            self.assertIn(rule["defaultConfiguration"]["level"], ("error", "warning", "note"))
            float(rule["properties"]["security-severity"])
        findings = [f for root in self.report_v2["roots"] for f in root["findings"]]
        results = run_["results"]
        self.assertEqual(len(results), len(findings))
        self.assertEqual(sorted(r["partialFingerprints"]["imageprobe/identity/v1"]
                                for r in results), sorted(f["identity"] for f in findings))
        for r in results:
            self.assertEqual(rules[r["ruleIndex"]]["id"], r["ruleId"])
            loc = r["locations"][0]
            if "physicalLocation" in loc:
                uri = loc["physicalLocation"]["artifactLocation"]["uri"]
                self.assertFalse(uri.startswith("/"), uri)
                self.assertIn(loc["physicalLocation"]["artifactLocation"]["uriBaseId"],
                              run_["originalUriBaseIds"])
        self.assertEqual(run_["properties"]["input"]["path"], self.v2)

    # --- Markdown ----------------------------------------------------------------------------

    def check_markdown_is_inert(self, text):
        self.assertLess(len(text), 65536)
        self.assertNotIn("<img", text)
        self.assertNotIn("<b>", text)
        self.assertIsNone(re.search(r"(?<!\\)\]\(", text))  # no unescaped "](": no link
        self.assertNotIn("http://evil", text)
        self.assertNotIn("https://evil", text)
        self.assertNotIn("@octocat", text)
        self.assertNotIn("www.evil", text)
        self.assertEqual(text.count("<details>"), text.count("</details>"))

    def test_markdown_scan_and_diff(self):
        scan = run("scan", "-q", "--format", "markdown", self.v2)
        self.check_markdown_is_inert(scan)
        self.assertIn("&lt;img src=", scan)  # the hostile name is there, as text
        for root in self.report_v2["roots"]:
            for f in root["findings"]:
                self.assertIn(f["rule_id"].replace("_", "\\_"), scan)
        diff = run("diff", "-q", "--format", "markdown", self.saved_v1, self.saved_v2)
        self.check_markdown_is_inert(diff)
        self.assertIn("REGRESSION", diff)
        first_headline = json.loads(run("diff", "-q", "--format", "json", self.saved_v1,
                                        self.saved_v2))["headlines"][0]["text"]
        # The headline comes first, before any section.
        self.assertLess(diff.index("REGRESSION"), diff.index("###"))
        self.assertTrue(first_headline)

    # --- HTML --------------------------------------------------------------------------------

    def test_html_fetches_nothing(self):
        for args in (("scan", "-q", "--format", "html", self.v1, self.v2),
                     ("diff", "-q", "--format", "html", self.saved_v1, self.saved_v2)):
            page = run(*args)
            self.assertTrue(page.startswith("<!DOCTYPE html>"))
            self.assertEqual(external_references(page), [])
            self.assertNotIn("<img", page)
            self.assertNotIn("<b>host", page)
        page = run("scan", "-q", "--format", "html", self.v2)
        self.assertIn("&lt;img src=http://evil.example/x.png onerror=alert(1)&gt;", page)
        self.assertIn("Who can log in", page)

    def test_the_external_reference_check_can_fail(self):
        for bad in ('<img src="https://x.example/a.png">', "<style>@import 'x.css';</style>",
                    '<a href="//x.example/">', "<script>1</script>",
                    '<div style="background: url(x.png)">', '<link rel=stylesheet href=a.css>'):
            self.assertNotEqual(external_references(bad), [], bad)
        self.assertEqual(external_references("<p>&lt;img src=http://x.example&gt;</p>"), [])


class ExternalReferences(html.parser.HTMLParser):
    """Collects whatever in a page could make a browser fetch or run something: a tag that
    loads (script, link, img, iframe, object, embed…), a URL-bearing attribute with a URL in
    it, an event-handler attribute, and @import or url( in a style sheet or style attribute."""
    LOADING_TAGS = {"script", "link", "img", "iframe", "object", "embed", "frame", "audio",
                    "video", "source", "track", "image", "base", "form", "meta-refresh"}
    URL_ATTRIBUTES = {"src", "href", "action", "srcset", "poster", "data", "background",
                      "formaction", "xlink:href", "ping", "cite", "longdesc", "manifest"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in self.LOADING_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "style":
            self.in_style = True
        for name, value in attrs:
            value = value or ""
            if name in self.URL_ATTRIBUTES:
                self.found.append(f"{tag} {name}={value}")
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name == "style" and re.search(r"@import|url\(", value, re.I):
                self.found.append(f"{tag} style={value}")
            if name == "http-equiv" and value.lower() == "refresh":
                self.found.append("meta refresh")

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style and re.search(r"@import|url\(", data, re.I):
            self.found.append("style sheet: @import or url(")


def external_references(page):
    parser = ExternalReferences()
    parser.feed(page)
    parser.close()
    return parser.found


def main():
    global BINARY, SOURCE, SCRATCH
    BINARY, SOURCE, SCRATCH = (os.path.abspath(a) for a in sys.argv[1:4])
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=[sys.argv[0], *sys.argv[4:]], verbosity=2)


if __name__ == "__main__":
    main()
