// SPDX-License-Identifier: Apache-2.0
// imageprobe-manual OUTDIR DOCDIR: writes the man pages (OUTDIR/man1/*.1) and the bash and zsh
// completions (OUTDIR/completions/{imageprobe,_imageprobe}) from the CLI's definitions. Run at
// build time; not installed. DOCDIR is where the installed pages say the documents are.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "probes/all_probes.h"
#include "scanner/cli/cli.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/manual.h"

namespace {

template <typename Render>
bool Write(const std::filesystem::path& path, Render render) {
  std::ofstream out(path, std::ios::trunc);
  render(out);
  out.close();
  if (!out) std::cerr << "imageprobe-manual: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace imageprobe::cli;
  if (argc != 3) {
    std::cerr << "usage: imageprobe-manual OUTDIR DOCDIR\n";
    return 2;
  }
  const std::filesystem::path root = argv[1];
  std::filesystem::create_directories(root / "man1");
  std::filesystem::create_directories(root / "completions");

  CLI::App app{"", "imageprobe"};
  CliCommands commands;
  DefineCli(app, commands);
  ManualContext context{.version = IMAGEPROBE_VERSION, .doc_dir = argv[2], .probe_names = {}};
  for (const imageprobe::Probe* p : imageprobe::probes::AllProbes()) {
    context.probe_names.emplace_back(p->name());
  }

  bool ok = true;
  for (const std::string& page : ManualPages(app)) {
    std::string file = page == "imageprobe" ? "imageprobe.1" : "imageprobe-" + page + ".1";
    ok &=
        Write(root / "man1" / file, [&](std::ostream& o) { RenderManPage(app, page, context, o); });
  }
  ok &= Write(root / "completions" / "imageprobe",
              [&](std::ostream& o) { RenderBashCompletion(app, context, o); });
  ok &= Write(root / "completions" / "_imageprobe",
              [&](std::ostream& o) { RenderZshCompletion(app, context, o); });
  return ok ? 0 : 1;
}
