// SPDX-License-Identifier: Apache-2.0
// References: sshd_config(5) (OpenSSH 9.x) Include, Match, TIME FORMATS; sshd(8) -o;
// openssh-portable servconf.c (parse_server_config_depth, process_server_config_line_depth,
// match_cfg_line, SERVCONF_MAX_DEPTH), misc.c (convtime, a2port), pathnames.h (SSHDIR).
#include "probes/sshd/sshd_config_parser.h"

#include <algorithm>
#include <cstdint>

#include "probes/sshd/sshd_tokenize.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

std::string SshdOrigin::Describe() const {
  switch (kind) {
    case Kind::kDefault:
      return "default";
    case Kind::kCommandLine:
      return "systemd drop-in " + file;
    case Kind::kFile:
      break;
  }
  return file + ":" + std::to_string(line);
}

namespace {

constexpr std::string_view kSshDir = "/etc/ssh";

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// misc.c convtime: "90", "1m30s", "1h"; units s m h d w, case-insensitive.
bool IsSshdTime(std::string_view text) {
  if (text.empty()) return false;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == start) return false;
    if (i < text.size()) {
      char unit = static_cast<char>(text[i] | 0x20);
      if (std::string_view("smhdw").find(unit) == std::string_view::npos) return false;
      ++i;
    }
  }
  return true;
}

bool IsChoice(std::string_view value, std::string_view choices) {
  for (std::string_view choice : parse::SplitFields(choices, '|')) {
    if (parse::EqualsIgnoreCase(choice, value)) return true;
  }
  return false;
}

// The reason sshd would reject these arguments, or empty.
std::string CheckArguments(const SshdKeyword& keyword, const std::vector<std::string>& args) {
  if (args.size() < keyword.min_args) return "missing argument";
  if (keyword.max_args != 0 && args.size() > keyword.max_args) {
    return "extra arguments at end of line";
  }
  if (args.empty()) return {};
  const std::string& value = args.front();
  switch (keyword.type) {
    case SshdValueType::kAny:
      return {};
    case SshdValueType::kFlag:
    case SshdValueType::kChoice:
      if (IsChoice(value, keyword.choices)) return {};
      return "unsupported value \"" + value + "\" (expected " + std::string(keyword.choices) + ")";
    case SshdValueType::kInteger:
      if (keyword.name == "Port" && (!IsDigits(value) || value.size() > 5 || std::stoi(value) < 1 ||
                                     std::stoi(value) > 65535)) {
        return "badly formatted port number \"" + value + "\"";
      }
      if (IsDigits(value) && value.size() <= 9) return {};
      return "bad number \"" + value + "\"";
    case SshdValueType::kTime:
      if (IsSshdTime(value) && value.size() <= 12) return {};
      return "bad time value \"" + value + "\"";
  }
  return {};
}

class TreeParser {
 public:
  TreeParser(const SshdConfigSource& source, const SshdParseOptions& options, SshdParsedConfig& out)
      : source_(source), options_(options), out_(out) {}

  void CommandLine(const SshdCommandLineOption& option) {
    SshdOrigin origin{SshdOrigin::Kind::kCommandLine, option.source, 0};
    SshdLineTokens tokens = TokenizeSshdLine(option.text);
    if (tokens.kind == SshdLineTokens::Kind::kBlank) return;
    if (tokens.kind == SshdLineTokens::Kind::kError) {
      Problem(option.source, 0, "-o \"" + option.text + "\": " + tokens.error);
      return;
    }
    const SshdKeyword* keyword = FindSshdKeyword(tokens.keyword);
    if (keyword == nullptr) {
      Problem(option.source, 0, "-o: bad configuration option: " + tokens.keyword);
      return;
    }
    if (keyword->combine == SshdCombine::kMatch || keyword->combine == SshdCombine::kInclude) {
      Problem(option.source, 0,
              "-o: " + std::string(keyword->name) + " is not supported on the command line");
      return;
    }
    AddDirective(*keyword, std::move(tokens.args), std::move(origin), {});
  }

  // Parses one file. `conditions`: the Match blocks the Include line that led here sat in.
  void File(const std::string& path, const std::vector<uint32_t>& conditions, uint32_t depth,
            std::vector<std::string>& stack) {
    std::expected<std::string, std::string> text = source_.Read(path);
    if (depth == 0) out_.main_present = text.has_value();
    if (!text) {
      Problem(path, 0, "cannot read: " + text.error());
      return;
    }
    out_.files_read.push_back(path);
    stack.push_back(path);
    std::vector<uint32_t> current = conditions;  // changes at each Match line of this file
    parse::ForEachLine(*text, [&](std::string_view line, uint32_t number) {
      Line(path, line, number, conditions, current, depth, stack);
    });
    stack.pop_back();
  }

 private:
  void Problem(const std::string& file, uint32_t line, std::string message, bool fatal = true) {
    out_.problems.push_back({file, line, std::move(message), fatal});
  }

  void AddDirective(const SshdKeyword& keyword, std::vector<std::string> args, SshdOrigin origin,
                    std::vector<uint32_t> conditions) {
    std::string error = CheckArguments(keyword, args);
    if (!error.empty()) {
      Problem(origin.file, origin.line, std::string(keyword.name) + ": " + error);
      return;
    }
    if (keyword.name == "Subsystem" && conditions.empty()) {
      // servconf.c (9.x before 9.5): a second definition of one subsystem name is fatal.
      if (std::find(subsystems_.begin(), subsystems_.end(), args.front()) != subsystems_.end()) {
        Problem(origin.file, origin.line, "Subsystem '" + args.front() + "' already defined");
        return;
      }
      subsystems_.push_back(args.front());
    }
    if (keyword.name == "AuthorizedKeysFile" || keyword.name == "AuthorizedPrincipalsFile") {
      // servconf.c: tilde_expand_filename(arg, getuid()) as each argument is read.
      for (std::string& arg : args) {
        if (!arg.starts_with('~')) continue;
        std::optional<std::string> expanded = ExpandSshdTilde(arg, options_);
        if (!expanded) {
          Problem(origin.file, origin.line,
                  std::string(keyword.name) + " " + Shorten(arg) + ": no such user in /etc/passwd");
          return;
        }
        arg = std::move(*expanded);
      }
    }
    out_.directives.push_back(
        {&keyword, std::move(args), std::move(origin), std::move(conditions)});
  }

  void Line(const std::string& path, std::string_view line, uint32_t number,
            const std::vector<uint32_t>& inherited, std::vector<uint32_t>& current, uint32_t depth,
            std::vector<std::string>& stack) {
    SshdLineTokens tokens = TokenizeSshdLine(line);
    if (tokens.kind == SshdLineTokens::Kind::kBlank) return;
    if (tokens.kind == SshdLineTokens::Kind::kError) {
      Problem(path, number, tokens.error);
      return;
    }
    const SshdKeyword* keyword = FindSshdKeyword(tokens.keyword);
    if (keyword == nullptr) {
      Problem(path, number, "bad configuration option: " + Shorten(tokens.keyword));
      return;
    }
    SshdOrigin origin{SshdOrigin::Kind::kFile, path, number};
    switch (keyword->combine) {
      case SshdCombine::kMatch: {
        std::string error;
        std::optional<SshdMatchBlock> block = ParseSshdMatch(tokens.rest, error);
        if (!block) {
          Problem(path, number, "bad Match condition: " + error);
          // sshd stops here; treat the rest of the file as a block that never matches.
          block = SshdMatchBlock{};
          block->criteria.push_back({"invalid", tokens.rest});
        }
        block->origin = origin;
        out_.match_blocks.push_back(std::move(*block));
        current = inherited;
        current.push_back(static_cast<uint32_t>(out_.match_blocks.size() - 1));
        return;
      }
      case SshdCombine::kInclude:
        Include(path, number, tokens.args, current, depth, stack);
        return;
      case SshdCombine::kDeprecated:
        Problem(path, number, "deprecated option " + std::string(keyword->name) + " (ignored)",
                false);
        return;
      case SshdCombine::kUnsupported:
        Problem(path, number, "unsupported option " + std::string(keyword->name) + " (ignored)",
                false);
        return;
      case SshdCombine::kFirstWins:
      case SshdCombine::kAccumulate:
        break;
    }
    if (!current.empty() && !keyword->allowed_in_match) {
      Problem(path, number,
              "directive " + std::string(keyword->name) + " is not allowed within a Match block");
      return;
    }
    AddDirective(*keyword, std::move(tokens.args), std::move(origin), current);
  }

  void Include(const std::string& path, uint32_t number, const std::vector<std::string>& args,
               const std::vector<uint32_t>& conditions, uint32_t depth,
               std::vector<std::string>& stack) {
    for (const std::string& arg : args) {
      if (arg.empty()) continue;
      if (arg[0] == '~') {
        // sshd globs with flags 0 (no GLOB_TILDE): "~/x" is relative to / and matches nothing.
        Problem(path, number, "Include \"" + Shorten(arg) + "\": \"~\" is not expanded by sshd",
                false);
        continue;
      }
      std::string pattern = arg[0] == '/' ? arg : std::string(kSshDir) + "/" + arg;
      for (const std::string& file : source_.Glob(pattern)) {
        if (std::find(stack.begin(), stack.end(), file) != stack.end()) {
          Problem(path, number, "Include loop: " + file + " is already being read");
          continue;
        }
        if (depth + 1 > options_.max_include_depth) {
          Problem(path, number,
                  "Include nesting deeper than " + std::to_string(options_.max_include_depth) +
                      ": " + file);
          continue;
        }
        if (out_.files_read.size() >= options_.max_files) {
          Problem(path, number,
                  "more than " + std::to_string(options_.max_files) +
                      " included files; stopped at " + file);
          return;
        }
        File(file, conditions, depth + 1, stack);
      }
    }
  }

  static std::string Shorten(std::string_view text) {
    if (text.size() <= 80) return std::string(text);
    return std::string(text.substr(0, 80)) + "…";
  }

  const SshdConfigSource& source_;
  const SshdParseOptions& options_;
  SshdParsedConfig& out_;
  std::vector<std::string> subsystems_;  // names defined so far (global lines)
};

}  // namespace

std::optional<SshdMatchBlock> ParseSshdMatch(std::string_view text, std::string& error) {
  // match_cfg_line splits with strdelim, for which "=" separates like whitespace
  // ("Match User=root").
  std::string spaced(text);
  std::replace(spaced.begin(), spaced.end(), '=', ' ');
  std::vector<std::string> words;
  if (!SplitSshdArgs(spaced, words)) {
    error = "invalid quotes";
    return std::nullopt;
  }
  SshdMatchBlock block;
  block.text = std::string(parse::TrimWhitespace(text));
  if (size_t hash = block.text.find(" #"); hash != std::string::npos) {
    block.text = std::string(parse::TrimWhitespace(std::string_view(block.text).substr(0, hash)));
  }
  if (words.empty()) {
    error = "one or more attributes required";
    return std::nullopt;
  }
  for (size_t i = 0; i < words.size(); i += 2) {  // attribute, criteria
    std::string attribute = parse::ToLower(words[i]);
    if (attribute == "all") {
      if (words.size() != 1) {
        error = "'all' cannot be combined with other Match attributes";
        return std::nullopt;
      }
      block.all = true;
      return block;
    }
    static constexpr std::string_view kKnown[] = {"user",         "group",     "host",   "address",
                                                  "localaddress", "localport", "rdomain"};
    if (std::find(std::begin(kKnown), std::end(kKnown), attribute) == std::end(kKnown)) {
      error = "unsupported attribute " + attribute.substr(0, 40);
      return std::nullopt;
    }
    if (i + 1 >= words.size() || words[i + 1].empty()) {
      error = "missing criteria for " + attribute;
      return std::nullopt;
    }
    if (attribute == "localport") {
      const std::string& port = words[i + 1];
      if (!IsDigits(port) || port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535) {
        error = "invalid LocalPort " + port.substr(0, 40);
        return std::nullopt;
      }
    }
    block.criteria.push_back({std::move(attribute), words[i + 1]});
  }
  return block;
}

std::optional<std::string> ExpandSshdTilde(std::string_view arg, const SshdParseOptions& options) {
  if (!arg.starts_with('~')) return std::string(arg);
  std::string_view rest = arg.substr(1);
  std::string_view user;
  if (!rest.empty() && rest.front() != '/') {
    size_t slash = rest.find('/');
    user = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  while (rest.starts_with('/')) rest.remove_prefix(1);  // strspn(path, "/")
  std::string home = options.root_home;
  if (!user.empty()) {
    auto it = options.homes.find(user);
    if (it == options.homes.end()) return std::nullopt;  // error_f("No such user %s")
    home = it->second;
  }
  if (home.empty() || home.back() != '/') home += '/';
  return home + std::string(rest);
}

SshdParsedConfig ParseSshdConfigTree(const SshdConfigSource& source, std::string_view main_path,
                                     std::span<const SshdCommandLineOption> command_line,
                                     const SshdParseOptions& options) {
  SshdParsedConfig out;
  out.main_path = std::string(main_path);
  TreeParser parser(source, options, out);
  for (const SshdCommandLineOption& option : command_line) parser.CommandLine(option);
  std::vector<std::string> stack;
  parser.File(out.main_path, {}, 0, stack);
  return out;
}

}  // namespace imageprobe::probes
