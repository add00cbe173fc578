// SPDX-License-Identifier: Apache-2.0
// Making image strings safe for the markup formats. Everything from an image (paths, users,
// evidence, OS fields, fact values, headline text) is hostile: in HTML it could add elements,
// scripts or links that fetch; in a pull-request comment it could add links, images, mentions
// that notify people, or break the table it sits in. These escape it so it shows as the text it
// is, and nothing more.
//
// Both start from Printable(): EscapeForTerminal (control characters and invalid UTF-8 become
// \xNN) plus the bidirectional-override characters (U+202A-U+202E, U+2066-U+2069), which can
// make a line read differently from what it is ("Trojan Source"); they become \u{202E}.
#pragma once

#include <string>
#include <string_view>

namespace imageprobe::report {

// One line of visible text: no control characters, no bidi overrides, valid UTF-8.
std::string Printable(std::string_view text);

// Text for HTML element content or a quoted attribute value: Printable, then & < > " ' as
// character references.
std::string EscapeHtml(std::string_view text);

// Text for a Markdown paragraph or a table cell (GitHub Flavored Markdown):
//  - Printable (so no newline can end a table row or start a block);
//  - every character with inline meaning (\ ` * _ [ ] | ~ $ and a leading # + - = > or
//    "1." list marker) is backslash-escaped; & < > become character references, so no raw
//    HTML, entity or autolink <…> gets through;
//  - a zero-width space breaks what GitHub would otherwise link on its own: "://" (URL
//    autolinks), "www.", "@" (mentions and e-mail addresses) and "#" (issue references).
std::string EscapeMarkdown(std::string_view text);

// Text for a line inside a Markdown comment's raw HTML <pre> block: EscapeHtml, plus the
// zero-width spaces of EscapeMarkdown (after "@", "#", in "://", "www." and "](") so that
// renderers which still autolink inside HTML blocks find nothing to link.
std::string EscapeHtmlForMarkdown(std::string_view text);

}  // namespace imageprobe::report
