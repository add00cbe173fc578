// SPDX-License-Identifier: Apache-2.0
// The frame the HTML renderers share: a self-contained page (inline CSS, no script, nothing
// fetched). A Content-Security-Policy of default-src 'none' makes a browser refuse any fetch
// even if some string were to slip through unescaped; the escaping (EscapeHtml) is the first
// line of defence, the policy the second.
#pragma once

#include <ostream>
#include <string_view>

namespace imageprobe::report {

// <!DOCTYPE html> … <body>; `title` must be escaped text.
void HtmlPageStart(std::ostream& out, std::string_view title);
// … </body></html>
void HtmlPageEnd(std::ostream& out);

}  // namespace imageprobe::report
