// SPDX-License-Identifier: Apache-2.0
// References: man(7) and groff_man(7) for the page macros; bash(1) "Programmable Completion"
// (COMP_WORDS, COMP_CWORD, COMPREPLY, compgen, compopt); zshcompsys(1) (_arguments, _describe,
// _files).
#include "scanner/cli/manual.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "scanner/parse/text.h"

namespace imageprobe::cli {
namespace {

// ---- the CLI's definitions, read from the CLI11 app -----------------------------------------

// Options whose value names a file (the shells complete paths there).
const std::set<std::string> kFileOptions = {"--output", "--expect", "--ignore", "--baseline"};

struct OptionInfo {
  std::vector<std::string> names;  // "-f", "--format"; empty for a positional
  std::string positional;          // "IMAGE"
  std::string value;               // "FORMAT"; empty for a flag
  std::vector<std::string> choices;
  std::string default_value;
  std::string description;
  bool repeatable = false;
  bool required = false;
  bool hidden = false;
  bool files = false;   // the value (or the positional) is a path
  bool probes = false;  // the value is a probe name
};

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, sep);) parts.push_back(part);
  return parts;
}

OptionInfo Describe(const CLI::Option& opt) {
  OptionInfo o;
  for (const auto& s : opt.get_snames()) o.names.push_back("-" + s);
  for (const auto& l : opt.get_lnames()) o.names.push_back("--" + l);
  o.description = opt.get_description();
  o.default_value = opt.get_default_str();
  o.required = opt.get_required();
  o.hidden = opt.get_group().empty();
  o.repeatable = opt.get_items_expected_max() > 1;
  if (opt.nonpositional()) {
    if (opt.get_expected_max() == 0) return o;  // a flag
    std::string long_name = o.names.back();
    o.value = long_name.substr(2);
    std::ranges::transform(o.value, o.value.begin(), ::toupper);
    std::ranges::replace(o.value, '-', '_');
    o.files = kFileOptions.contains(long_name);
    o.probes = long_name == "--probe";
    if (o.files) o.value = long_name == "--baseline" ? "REPORT.json" : "FILE";
    if (long_name == "--probe") o.value = "NAME";
    if (long_name == "--as-of") o.value = "YYYY-MM-DD";
    if (long_name == "--fail-on") o.value = "SEVERITY";
    if (long_name.starts_with("--max-") || long_name == "--probe-time-budget") o.value = "N";
  } else {
    o.positional = opt.get_name();
    o.files = true;
  }
  // CLI::IsMember describes itself as "{a,b,c}" in the type name ("TEXT:{a,b,c}").
  std::string type = opt.get_type_name();
  if (size_t open = type.find('{'), close = type.find('}');
      open != std::string::npos && close != std::string::npos) {
    o.choices = Split(type.substr(open + 1, close - open - 1), ',');
  }
  return o;
}

std::vector<OptionInfo> Options(const CLI::App& app) {
  std::vector<OptionInfo> options;
  for (const CLI::Option* opt : app.get_options()) options.push_back(Describe(*opt));
  return options;
}

std::vector<const CLI::App*> Commands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

const CLI::App* Command(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : Commands(app)) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

// ---- prose ----------------------------------------------------------------------------------

// Paragraphs are separated by blank lines; `code` becomes bold. "@DOC@" is the doc directory.
struct CommandProse {
  std::string synopsis;  // after "imageprobe COMMAND"
  std::string description;
  std::string files;
  std::string examples;  // roff, verbatim
};

const std::map<std::string, CommandProse>& Prose() {
  static const std::map<std::string, CommandProse> prose = {
      {"scan",
       {"[\\fIOPTIONS\\fR] \\fIIMAGE\\fR...",
        "Opens each IMAGE read-only, without booting it, runs the probes over every root "
        "filesystem it holds, and writes one report per image. The format is detected from "
        "content, never from the file name: raw disks (MBR/GPT), bare ext2/3/4, XFS and btrfs "
        "images, VMDK, qcow2, VHD, VHDX, VDI, OVA, tar archives of a root tree (plain, gzip, xz, "
        "zstd, bzip2) and plain directories. Disk images are read by a libguestfs appliance; "
        "directories and tar archives need no appliance.\n\n"
        "Images that name other files (qcow2 backing files, VMDK parents, differencing VHD/VDI) "
        "are refused. Every read is bounded by the --max-* limits; what a limit stops is an "
        "error in the report naming the file and the limit.\n\n"
        "The JSON report is described by @DOC@/report.schema.json and @DOC@/report-format.md; "
        "every rule by `imageprobe rules` and @DOC@/rules.md.",
        "--expect FILE: JSON, what the image must hold (users, keys by SHA256 fingerprint, sudo "
        "rights, sshd settings, paths); format in @DOC@/gating.md.\n\n"
        "--ignore FILE: YAML, accepted findings (rule, path glob, user, reason, expires); format "
        "in @DOC@/gating.md.\n\n"
        "--baseline REPORT.json: a report saved with `imageprobe scan --format json`.",
        ".SS Gate an AMI before release\n"
        ".nf\n"
        "imageprobe scan ami.vmdk \\-\\-profile release \\-\\-expect expect.json \\e\n"
        "    \\-\\-ignore imageprobe\\-ignore.yaml \\-\\-baseline last\\-release.json \\e\n"
        "    \\-\\-fail-on high \\-\\-format json \\-\\-output report.json\n"
        ".fi\n"
        ".SS Investigate a lifted-and-shifted VM\n"
        ".nf\n"
        "imageprobe scan vm.ova \\-\\-profile forensic \\-\\-hash \\-\\-format html \\-\\-output "
        "vm.html\n"
        "imageprobe scan vm.ova \\-\\-probe migration.lift_and_shift\n"
        ".fi\n"
        ".SS Scan an unpacked root tree or a tar of one (no appliance)\n"
        ".nf\n"
        "imageprobe scan /mnt/rootfs\n"
        "imageprobe scan rootfs.tar.zst \\-\\-format sarif \\-\\-output scan.sarif\n"
        ".fi\n"}},
      {"diff",
       {"[\\fIOPTIONS\\fR] \\fIOLD\\fR \\fINEW\\fR",
        "Compares two versions of an image: who can log in, with which key, under which "
        "effective sshd settings; keys moved between users, host keys shared by both, sudo and "
        "password changes, every config file a probe read (hash, mode, and a unified diff of its "
        "text with secrets redacted), and the findings added, removed or changed. OLD and NEW "
        "are images in any format `imageprobe scan` reads, or reports it saved with --format "
        "json; two images are opened at the same time.\n\n"
        "The JSON diff is described by @DOC@/diff.schema.json.",
        "OLD and NEW may be saved JSON reports (`imageprobe scan --format json`).",
        ".SS Compare two versions of an AMI; fail when access was lost\n"
        ".nf\n"
        "imageprobe diff ami\\-v1.qcow2 ami\\-v2.qcow2 \\-\\-fail\\-on\\-regression\n"
        ".fi\n"
        ".SS Compare the last release's saved report with a new image, for a pull request\n"
        ".nf\n"
        "imageprobe diff last\\-release.json ami\\-v2.vmdk \\-\\-format markdown \\-\\-output "
        "diff.md\n"
        ".fi\n"}},
      {"rules",
       {"[\\fIOPTIONS\\fR]",
        "Lists every rule each probe (and the gate) can raise, in the order the probes run: id, "
        "severity, title, rationale and remediation. @DOC@/rules.md is this command's "
        "--format markdown output; --format probe-table prints the table of probes alone.",
        "",
        ".nf\n"
        "imageprobe rules\n"
        "imageprobe rules \\-\\-format json | jq \\-r '.probes[].rules[].id'\n"
        ".fi\n"}},
  };
  return prose;
}

constexpr const char* kExitStatus =
    ".TP\n.B 0\nok: every input was scanned or compared, and no gate failed.\n"
    ".TP\n.B 1\ngate failed: scan: a finding at or above \\-\\-fail\\-on that is not suppressed; "
    "diff: a regression (with \\-\\-fail\\-on\\-regression) or a new or raised finding at or "
    "above \\-\\-fail\\-on. Never with \\-\\-profile forensic.\n"
    ".TP\n.B 2\nusage error, or an input that is missing, unreadable, or neither a supported "
    "image nor a saved imageprobe report (one line on standard error names the input and the "
    "reason).\n"
    ".TP\n.B 128+N\ninterrupted by signal N (130 for SIGINT, 143 for SIGTERM): no report is "
    "written, the QEMU child is killed and every temporary file is removed.\n";

constexpr const char* kEnvironment =
    ".TP\n.B LIBGUESTFS_BACKEND\\fR, \\fBLIBGUESTFS_BACKEND_SETTINGS\n"
    "When either is set (for example LIBGUESTFS_BACKEND_SETTINGS=force_tcg), the appliance is "
    "started exactly as configured, once; otherwise imageprobe tries KVM, and falls back to TCG "
    "when the appliance is not up within 20 s. LIBGUESTFS_ATTACH_METHOD is the old name of "
    "LIBGUESTFS_BACKEND.\n"
    ".TP\n.B LIBGUESTFS_*\n"
    "Every other libguestfs variable (LIBGUESTFS_DEBUG, LIBGUESTFS_TRACE, LIBGUESTFS_HV, "
    "LIBGUESTFS_CACHEDIR, ...) is read by libguestfs itself; see guestfs(3).\n"
    ".TP\n.B XDG_CACHE_HOME\\fR, \\fBHOME\n"
    "The KVM verdict for this host is kept in $XDG_CACHE_HOME/imageprobe/kvm\\-failure, or "
    "$HOME/.cache/imageprobe/kvm\\-failure.\n"
    ".TP\n.B TMPDIR\n"
    "Parent of the private temporary directory each run makes (OVA extraction, QEMU's overlay, "
    "libguestfs' sockets) and removes on every exit; /tmp when unset.\n"
    ".TP\n.B IMAGEPROBE_TRACE\n"
    "When 1, every appliance call a probe makes is printed to standard error with its time, and "
    "the process' peak resident memory at exit.\n"
    ".TP\n.B NO_COLOR\n"
    "When set and not empty, the text report has no colour (it has none unless standard output "
    "is a terminal anyway).\n";

constexpr const char* kCacheFile =
    ".TP\n.I $XDG_CACHE_HOME/imageprobe/kvm\\-failure\n"
    "One line recording that KVM could not start the appliance under this kernel and QEMU; "
    "scans then use TCG at once. Delete it to try KVM again; \\fBimageprobe version\\fR shows the "
    "verdict.\n";

// ---- roff -----------------------------------------------------------------------------------

// Escapes text for roff: backslashes, hyphens (so they stay ASCII minus signs for copy and
// paste), a leading '.' or '\''; `code` becomes bold.
std::string Roff(const std::string& text) {
  std::string out;
  bool code = false;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c == '`') {
      out += code ? "\\fR" : "\\fB";
      code = !code;
    } else {
      out += c;
    }
  }
  if (code) out += "\\fR";
  std::string safe;
  bool line_start = true;
  for (char c : out) {
    if (line_start && (c == '.' || c == '\'')) safe += "\\&";
    safe += c;
    line_start = c == '\n';
  }
  return safe;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The help text names documents by their place in the source tree (docs/x); the installed
// pages name the installed copy.
std::string Docs(const std::string& text, const ManualContext& context) {
  return Replace(Replace(text, "docs/", context.doc_dir + "/"), "@DOC@", context.doc_dir);
}

void Paragraphs(const std::string& text, const ManualContext& context, std::ostream& out) {
  std::string body = Docs(text, context);
  size_t start = 0;
  while (start <= body.size()) {
    size_t blank = body.find("\n\n", start);
    std::string para = body.substr(start, blank == std::string::npos ? blank : blank - start);
    out << ".PP\n" << Roff(para) << '\n';
    if (blank == std::string::npos) break;
    start = blank + 2;
  }
}

void RenderOptions(const std::vector<OptionInfo>& options, const ManualContext& context,
                   std::ostream& out) {
  for (const OptionInfo& o : options) {
    if (!o.positional.empty()) continue;
    out << ".TP\n";
    for (size_t i = 0; i < o.names.size(); ++i) {
      out << (i ? ", " : "") << "\\fB" << Roff(o.names[i]) << "\\fR";
    }
    if (!o.value.empty()) out << " \\fI" << Roff(o.value) << "\\fR";
    out << '\n';
    std::string text = Docs(o.description, context);
    if (o.hidden) text += " Kept for existing scripts; not shown by --help.";
    if (o.probes && !context.probe_names.empty()) {
      std::string names;
      for (const auto& n : context.probe_names) names += (names.empty() ? "" : ", ") + n;
      text += " Probes: " + names + ".";
    }
    if (!o.choices.empty()) {
      std::string values;
      for (const auto& c : o.choices) values += (values.empty() ? "" : ", ") + c;
      text += " One of: " + values + ".";
    }
    if (!o.default_value.empty()) text += " Default: " + o.default_value + ".";
    out << Roff(text) << '\n';
  }
}

void Header(const std::string& title, const std::string& name, const std::string& summary,
            const ManualContext& context, std::ostream& out) {
  std::string upper = title;
  std::ranges::transform(upper, upper.begin(), ::toupper);
  out << ".\\\" Generated by imageprobe-manual from the CLI's own definitions; do not edit.\n"
      << ".TH " << Roff(upper) << " 1 \"\" \"imageprobe " << context.version
      << "\" \"User Commands\"\n"
      << ".SH NAME\n"
      << Roff(name) << " \\- " << Roff(summary) << '\n';
}

void SeeAlso(const std::string& self, const CLI::App& app, std::ostream& out) {
  std::vector<std::string> refs;
  if (self != "imageprobe") refs.push_back("\\fBimageprobe\\fR(1)");
  for (const std::string& page : ManualPages(app)) {
    if (page != "imageprobe" && page != self)
      refs.push_back("\\fBimageprobe\\-" + page + "\\fR(1)");
  }
  for (const char* other :
       {"\\fBvirt\\-inspector\\fR(1)", "\\fBguestfs\\fR(3)", "\\fBsshd_config\\fR(5)"}) {
    refs.push_back(other);
  }
  out << ".SH SEE ALSO\n";
  for (size_t i = 0; i < refs.size(); ++i) out << (i ? ",\n" : "") << refs[i];
  out << '\n';
}

std::string FirstSentence(const std::string& text) {
  size_t end = text.find(". ");
  std::string s = end == std::string::npos ? text : text.substr(0, end);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

void RenderOverview(const CLI::App& app, const ManualContext& context, std::ostream& out) {
  Header("imageprobe", "imageprobe", "offline forensic scanner for cloud and VM disk images",
         context, out);
  out << ".SH SYNOPSIS\n";
  for (const CLI::App* sub : Commands(app)) {
    auto it = Prose().find(sub->get_name());
    out << ".B imageprobe " << sub->get_name() << "\n"
        << (it != Prose().end() ? it->second.synopsis : std::string("[\\fIOPTIONS\\fR]"))
        << "\n.br\n";
  }
  out << ".B imageprobe\n\\-\\-help\n";
  Paragraphs(
      "\n\nimageprobe opens a cloud or VM disk image read-only, without booting it, runs probes "
      "over each root filesystem and writes a report (text, JSON, SARIF, Markdown or HTML). It "
      "answers three questions about images nobody can log into: is this image fit to release "
      "(baked host keys, registrations, credentials, build keys, cloud-init state); what does a "
      "lifted-and-shifted VM carry from its old platform; and what changed between two versions "
      "(who can log in, with which key, under which sshd settings).\n\n"
      "Disk images are read through a libguestfs appliance (a small VM: KVM when usable, TCG "
      "otherwise); directories and tar archives of a root tree are read directly, without "
      "libguestfs. `imageprobe version` says which engines this machine has.",
      context, out);
  out << ".SH COMMANDS\n";
  for (const CLI::App* sub : Commands(app)) {
    out << ".TP\n.B " << sub->get_name() << '\n' << Roff(Docs(sub->get_description(), context));
    if (Prose().contains(sub->get_name())) {
      out << " See \\fBimageprobe\\-" << sub->get_name() << "\\fR(1).";
    }
    out << '\n';
  }
  out << ".SH OPTIONS\n";
  RenderOptions(Options(app), context, out);
  for (const CLI::App* sub : Commands(app)) {
    if (Prose().contains(sub->get_name())) continue;
    out << ".SS imageprobe " << sub->get_name() << "\n";
    RenderOptions(Options(*sub), context, out);
  }
  out << ".SH EXIT STATUS\n" << kExitStatus;
  out << ".SH ENVIRONMENT\n" << kEnvironment;
  out << ".SH FILES\n" << kCacheFile;
  out << ".TP\n.I " << Roff(context.doc_dir) << "\n"
      << Roff(
             "report.schema.json (the JSON report; `imageprobe schema` prints it) and "
             "diff.schema.json (the JSON diff), gating.md (the "
             "--expect and --ignore files), rules.md (every rule), report-format.md.")
      << '\n';
  out << ".SH EXAMPLES\n";
  for (const char* page : {"scan", "diff"}) out << Prose().at(page).examples;
  out << ".SS What this machine can open, and with which accelerator\n.nf\n"
         "imageprobe version\nimageprobe version \\-\\-format json\n.fi\n";
  SeeAlso("imageprobe", app, out);
}

void RenderCommand(const CLI::App& command, const CLI::App& app, const ManualContext& context,
                   std::ostream& out) {
  const std::string name = command.get_name();
  const CommandProse& prose = Prose().at(name);
  Header("imageprobe-" + name, "imageprobe-" + name, FirstSentence(command.get_description()),
         context, out);
  out << ".SH SYNOPSIS\n.B imageprobe " << name << "\n" << prose.synopsis << '\n';
  out << ".SH DESCRIPTION\n";
  Paragraphs(prose.description, context, out);
  std::vector<OptionInfo> options = Options(command);
  bool positional =
      std::ranges::any_of(options, [](const auto& o) { return !o.positional.empty(); });
  if (positional) {
    out << ".SH ARGUMENTS\n";
    for (const OptionInfo& o : options) {
      if (o.positional.empty()) continue;
      out << ".TP\n.I " << Roff(o.positional) << (o.repeatable ? "..." : "") << '\n'
          << Roff(Docs(o.description, context)) << '\n';
    }
  }
  out << ".SH OPTIONS\n";
  RenderOptions(options, context, out);
  out << ".SH EXIT STATUS\n" << kExitStatus;
  out << ".SH ENVIRONMENT\n" << kEnvironment;
  out << ".SH FILES\n";
  if (!prose.files.empty()) Paragraphs(prose.files, context, out);
  out << kCacheFile;
  out << ".SH EXAMPLES\n" << prose.examples;
  SeeAlso(name, app, out);
}

// ---- shells ---------------------------------------------------------------------------------

std::string Values(const OptionInfo& o, const ManualContext& context) {
  if (!o.choices.empty()) return parse::Join(o.choices, " ");
  if (o.probes) return parse::Join(context.probe_names, " ");
  return "";
}

// Single-quoted for zsh, with the characters _arguments gives meaning to escaped.
std::string ZshDescription(const std::string& text) {
  std::string out;
  for (char c : FirstSentence(text)) {
    if (c == '\'') {
      out += "'\\''";
    } else if (c == '[' || c == ']' || c == ':' || c == '\\' || c == '`') {
      if (c == '[' || c == ']' || c == ':') out += '\\';
      if (c != '`') out += c;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> ManualPages(const CLI::App& app) {
  std::vector<std::string> pages = {"imageprobe"};
  for (const CLI::App* sub : Commands(app)) {
    if (Prose().contains(sub->get_name())) pages.push_back(sub->get_name());
  }
  return pages;
}

void RenderManPage(const CLI::App& app, const std::string& page, const ManualContext& context,
                   std::ostream& out) {
  if (page == "imageprobe") return RenderOverview(app, context, out);
  const CLI::App* command = Command(app, page);
  if (command == nullptr || !Prose().contains(page)) {
    throw std::invalid_argument("no manual page for \"" + page + "\"");
  }
  RenderCommand(*command, app, context, out);
}

void RenderBashCompletion(const CLI::App& app, const ManualContext& context, std::ostream& out) {
  std::vector<std::string> command_names;
  for (const CLI::App* sub : Commands(app)) command_names.push_back(sub->get_name());
  std::vector<std::string> top_options;
  for (const OptionInfo& o : Options(app)) {
    for (const auto& n : o.names) top_options.push_back(n);
  }
  out << "# bash completion for imageprobe " << context.version
      << "; generated by imageprobe-manual from the CLI's own definitions.\n"
         "_imageprobe_files() {\n"
         "  compopt -o filenames 2>/dev/null\n"
         "  local IFS=$'\\n'\n"
         "  COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "}\n\n"
         "_imageprobe() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i\n"
         "  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
         "  COMPREPLY=()\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    case ${COMP_WORDS[i]} in\n"
         "      "
      << parse::Join(command_names, "|")
      << ") cmd=${COMP_WORDS[i]}; break ;;\n"
         "    esac\n"
         "  done\n"
         "  case $cmd in\n"
         "    '')\n"
         "      COMPREPLY=($(compgen -W \""
      << parse::Join(command_names, " ") << ' ' << parse::Join(top_options, " ")
      << "\" -- \"$cur\"))\n"
         "      return 0 ;;\n";
  for (const CLI::App* sub : Commands(app)) {
    std::vector<OptionInfo> options = Options(*sub);
    std::vector<std::string> names;
    bool positional_files = false;
    out << "    " << sub->get_name() << ")\n      case $prev in\n";
    for (const OptionInfo& o : options) {
      if (!o.positional.empty()) {
        positional_files = positional_files || o.files;
        continue;
      }
      if (!o.hidden) names.insert(names.end(), o.names.begin(), o.names.end());
      if (o.value.empty()) continue;
      out << "        " << parse::Join(o.names, "|") << ")\n          ";
      if (o.files) {
        out << "_imageprobe_files";
      } else if (std::string values = Values(o, context); !values.empty()) {
        out << "COMPREPLY=($(compgen -W \"" << values << "\" -- \"$cur\"))";
      } else {
        out << ":";  // a number or a date: nothing to offer
      }
      out << "\n          return 0 ;;\n";
    }
    out << "      esac\n"
        << "      if [[ $cur == -* ]]; then\n"
        << "        COMPREPLY=($(compgen -W \"" << parse::Join(names, " ") << "\" -- \"$cur\"))\n"
        << (positional_files ? "      else\n        _imageprobe_files\n" : "")
        << "      fi\n      return 0 ;;\n";
  }
  out << "  esac\n}\n\ncomplete -F _imageprobe imageprobe\n";
}

void RenderZshCompletion(const CLI::App& app, const ManualContext& context, std::ostream& out) {
  out << "#compdef imageprobe\n"
      << "# zsh completion for imageprobe " << context.version
      << "; generated by imageprobe-manual from the CLI's own definitions.\n\n"
      << "_imageprobe() {\n"
      << "  local -a commands\n"
      << "  commands=(\n";
  for (const CLI::App* sub : Commands(app)) {
    out << "    '" << sub->get_name() << ':' << ZshDescription(sub->get_description()) << "'\n";
  }
  out << "  )\n"
      << "  if (( CURRENT == 2 )); then\n"
      << "    _describe -t commands 'imageprobe command' commands\n"
      << "    return\n"
      << "  fi\n"
      << "  local cmd=$words[2]\n"
      << "  shift words\n"
      << "  (( CURRENT-- ))\n"
      << "  case $cmd in\n";
  for (const CLI::App* sub : Commands(app)) {
    out << "    " << sub->get_name() << ")\n      _arguments -s";
    for (const OptionInfo& o : Options(*sub)) {
      if (o.hidden) continue;
      std::string action;
      if (o.files) {
        action = ":" + (o.positional.empty() ? o.value : o.positional) + ":_files";
      } else if (std::string values = Values(o, context); !values.empty()) {
        action = ":" + o.value + ":(" + values + ")";
      } else if (!o.value.empty()) {
        action = ":" + o.value + ": ";
      }
      if (!o.positional.empty()) {
        out << " \\\n        '" << (o.repeatable ? "*" : "") << ':' << ZshDescription(o.description)
            << action.substr(action.find(':', 1)) << "'";
        continue;
      }
      for (const auto& n : o.names) {
        out << " \\\n        '" << (o.repeatable ? "*" : "") << n << '['
            << ZshDescription(o.description) << ']' << action << "'";
      }
    }
    out << " ;;\n";
  }
  out << "  esac\n}\n\n_imageprobe \"$@\"\n";
}

}  // namespace imageprobe::cli
