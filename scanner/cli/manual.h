// SPDX-License-Identifier: Apache-2.0
// Man pages and shell completions generated from the CLI's own definitions (DefineCli, cli.h):
// every option, its values (CLI::IsMember) and its default come from the CLI11 app the binary
// parses with, so neither can fall behind the program. The prose around them (description,
// exit status, files, environment, examples) is kept here, next to the generator.
//
// Generated at build time by imageprobe-manual (manual_main.cc) and installed with the binary.
// A new command gets a page by adding it to DefineCli and a CommandProse entry in manual.cc.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace imageprobe::cli {

struct ManualContext {
  std::string version;                   // IMAGEPROBE_VERSION
  std::string doc_dir;                   // where docs/*.md and *.schema.json are installed
  std::vector<std::string> probe_names;  // registry order: --probe's values
};

// The pages: "imageprobe" (the overview, with `version`), then one per command that has one
// ("scan", "diff", "rules").
std::vector<std::string> ManualPages(const CLI::App& app);

// Writes page `page` ("imageprobe" or a command name) as man(7) roff.
void RenderManPage(const CLI::App& app, const std::string& page, const ManualContext& context,
                   std::ostream& out);

// bash: a `_imageprobe` function and `complete -F _imageprobe imageprobe`.
void RenderBashCompletion(const CLI::App& app, const ManualContext& context, std::ostream& out);
// zsh: an autoloadable `_imageprobe` (#compdef imageprobe).
void RenderZshCompletion(const CLI::App& app, const ManualContext& context, std::ostream& out);

}  // namespace imageprobe::cli
