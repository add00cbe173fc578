// SPDX-License-Identifier: Apache-2.0
// An exception caught at a boundary (the runner's per-probe catch, the CLI's), as a message in
// our words. A library's own text ("[json.exception.type_error.302] …", "yaml-cpp: …",
// "basic_string::substr: __pos …", "std::bad_alloc") must never reach a report or the terminal:
// it names our internals, not the input, and can quote bytes of the image.
#pragma once

#include <exception>
#include <string>

namespace imageprobe {

// - std::bad_alloc: "out of memory";
// - nlohmann::json::exception: "internal error reading JSON: " and the access error in our
//   words (scanner/parse/json_reader.h);
// - the standard library's logic errors (out_of_range, length_error, invalid_argument…), which
//   only a bug in imageprobe raises: "internal error (a bug in imageprobe): index out of range";
// - yaml-cpp's exceptions: "invalid YAML: " and its position and reason;
// - anything else (ImageError and the other exceptions of ours): its what().
std::string ExceptionInOurWords(const std::exception& e);

}  // namespace imageprobe
