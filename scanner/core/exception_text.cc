// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/exception_text.h"

#include <new>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <typeinfo>

#include "scanner/parse/json_reader.h"

namespace imageprobe {
namespace {

std::string Bug(std::string_view what) {
  std::string text = "internal error (a bug in imageprobe): ";
  text.append(what);
  return text;
}

}  // namespace

std::string ExceptionInOurWords(const std::exception& e) {
  if (dynamic_cast<const std::bad_alloc*>(&e)) return "out of memory";
  if (auto* json = dynamic_cast<const nlohmann::json::exception*>(&e)) {
    return "internal error reading JSON: " + parse::JsonAccessErrorInOurWords(*json);
  }
  const char* bug = dynamic_cast<const std::out_of_range*>(&e)       ? "index out of range"
                    : dynamic_cast<const std::length_error*>(&e)     ? "length limit exceeded"
                    : dynamic_cast<const std::invalid_argument*>(&e) ? "invalid argument"
                    : dynamic_cast<const std::logic_error*>(&e)      ? "logic error"
                    : dynamic_cast<const std::bad_cast*>(&e)         ? "bad cast"
                                                                     : nullptr;
  if (bug != nullptr) return Bug(bug);
  std::string what = e.what();
  if (what.starts_with("yaml-cpp: ")) return "invalid YAML: " + what.substr(10);
  if (what.empty() || what == "std::exception") return Bug("unknown error");
  return what;
}

}  // namespace imageprobe
