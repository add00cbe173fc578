// SPDX-License-Identifier: Apache-2.0
// References: see ssm_parsers.h.
#include "probes/aws/ssm_parsers.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "scanner/parse/json_reader.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

using nlohmann::json;

// Parses a JSON object through the shared reader (scanner/parse/json_reader.h: numbers of any
// size, a byte order mark, duplicate names as Go's encoding/json decides). Its errors never
// quote the input, which inside a Vault file can be part of a private key.
std::expected<json, std::string> ParseJsonObject(std::string_view text) {
  auto doc = parse::ReadJson(text, kMaxJsonDepth);
  if (!doc) return std::unexpected(doc.error().Message());
  if (!doc->is_object()) return std::unexpected("not a JSON object");
  return std::move(*doc);
}

// Member of `object` whose name equals `key` ignoring ASCII case (Go's encoding/json rule;
// an exact match wins over a case-insensitive one, as in Go).
const json* Member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  if (auto it = object.find(std::string(key)); it != object.end()) return &*it;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (parse::EqualsIgnoreCase(it.key(), key)) return &*it;
  }
  return nullptr;
}

// A string member, or "" when absent or null; a member of another type is an error.
std::expected<std::string, std::string> StringMember(const json& object, std::string_view key) {
  const json* value = Member(object, key);
  if (value == nullptr || value->is_null()) return std::string();
  if (!value->is_string()) return std::unexpected(std::string(key) + " is not a string");
  return value->get<std::string>();
}

}  // namespace

void to_json(nlohmann::json& j, const SsmRegistration& r) {
  j = {{"managed_instance_id", r.managed_instance_id},
       {"region", r.region},
       {"hybrid", r.IsHybrid()}};
}

std::expected<SsmRegistration, std::string> ParseSsmRegistration(std::string_view text) {
  auto doc = ParseJsonObject(text);
  if (!doc) return std::unexpected(doc.error());
  SsmRegistration r;
  auto id = StringMember(*doc, "ManagedInstanceID");
  if (!id) return std::unexpected(id.error());
  auto region = StringMember(*doc, "Region");
  if (!region) return std::unexpected(region.error());
  r.managed_instance_id = std::move(*id);
  r.region = std::move(*region);
  if (r.managed_instance_id.empty()) return std::unexpected("no ManagedInstanceID");
  return r;
}

std::expected<std::map<std::string, std::string>, std::string> ParseSsmVaultManifest(
    std::string_view text) {
  auto doc = ParseJsonObject(text);
  if (!doc) return std::unexpected(doc.error());
  std::map<std::string, std::string> manifest;
  for (auto it = doc->begin(); it != doc->end(); ++it) {
    if (!it->is_string()) return std::unexpected("manifest entry is not a string");
    manifest[it.key()] = it->get<std::string>();
  }
  return manifest;
}

std::string_view SsmIdentityStateName(SsmIdentityState state) {
  switch (state) {
    case SsmIdentityState::kRegistered:
      return "registered";
    case SsmIdentityState::kCleared:
      return "cleared";
    case SsmIdentityState::kPartial:
      return "partial";
  }
  return "partial";
}

void to_json(nlohmann::json& j, const SsmInstanceInfo& info) {
  j = {{"instance_id", info.instance_id},
       {"region", info.region},
       {"instance_type", info.instance_type},
       {"availability_zone", info.availability_zone},
       {"private_key_present", info.private_key_length > 0},
       {"private_key_length", info.private_key_length},
       {"private_key_type", info.private_key_type},
       {"private_key_created_date", info.private_key_created_date},
       {"public_key_present", info.public_key_present},
       {"state", SsmIdentityStateName(info.state)}};
}

std::expected<SsmInstanceInfo, std::string> ParseSsmInstanceInfo(std::string_view text) {
  auto doc = ParseJsonObject(text);
  if (!doc) return std::unexpected(doc.error());
  SsmInstanceInfo info;
  struct Field {
    std::string_view key;
    std::string* into;
  };
  std::string private_key, public_key;
  for (Field field :
       {Field{"instanceID", &info.instance_id}, Field{"region", &info.region},
        Field{"instanceType", &info.instance_type},
        Field{"availabilityZone", &info.availability_zone}, Field{"privateKey", &private_key},
        Field{"publicKey", &public_key}, Field{"privateKeyType", &info.private_key_type},
        Field{"privateKeyCreatedDate", &info.private_key_created_date}}) {
    auto value = StringMember(*doc, field.key);
    if (!value) return std::unexpected(value.error());
    *field.into = std::move(*value);
  }
  info.private_key_length = private_key.size();
  info.public_key_present = !public_key.empty();
  // Wipe the key copy before it goes out of scope; the json document holds another copy and
  // is destroyed right after, which is the best a parser can do.
  std::fill(private_key.begin(), private_key.end(), '\0');
  // HasManagedInstancesCredentials: privateKey, region and instanceID all set. A cleared
  // record has every string empty except privateKeyCreatedDate.
  bool any = !info.instance_id.empty() || !info.region.empty() || info.private_key_length ||
             !info.instance_type.empty() || !info.availability_zone.empty() ||
             !info.private_key_type.empty() || info.public_key_present;
  if (info.private_key_length && !info.region.empty() && !info.instance_id.empty()) {
    info.state = SsmIdentityState::kRegistered;
  } else if (!any) {
    info.state = SsmIdentityState::kCleared;
  } else {
    info.state = SsmIdentityState::kPartial;
  }
  return info;
}

std::optional<std::string> SsmFingerprint::MachineId() const {
  auto it = hardware_hash.find("machine-id");
  if (it == hardware_hash.end()) return std::nullopt;
  return it->second;
}

void to_json(nlohmann::json& j, const SsmFingerprint& f) {
  j = {{"fingerprint", f.fingerprint},
       {"hardware_hash_keys", json::array()},
       {"similarity_threshold", f.similarity_threshold},
       {"cleared", f.cleared}};
  for (const auto& [key, value] : f.hardware_hash) j["hardware_hash_keys"].push_back(key);
  // Not the machine-id: it is "confidential" per machine-id(5), and a caller that wants it
  // writes a redacted form (the probe does). Where the fingerprint was taken, the source
  // machine's name and address, is no secret and traces a lifted image back to it.
  for (auto [key, field] : {std::pair{"hostname-info", "hostname_info"},
                            std::pair{"ipaddress-info", "ipaddress_info"}}) {
    if (auto it = f.hardware_hash.find(key); it != f.hardware_hash.end()) j[field] = it->second;
  }
}

std::expected<SsmFingerprint, std::string> ParseSsmFingerprint(std::string_view text) {
  auto doc = ParseJsonObject(text);
  if (!doc) return std::unexpected(doc.error());
  SsmFingerprint f;
  auto fingerprint = StringMember(*doc, "fingerprint");
  if (!fingerprint) return std::unexpected(fingerprint.error());
  f.fingerprint = std::move(*fingerprint);
  if (const json* hash = Member(*doc, "hardwareHash"); hash && !hash->is_null()) {
    if (!hash->is_object()) return std::unexpected("hardwareHash is not an object");
    for (auto it = hash->begin(); it != hash->end(); ++it) {
      if (!it->is_string()) return std::unexpected("hardwareHash value is not a string");
      f.hardware_hash[it.key()] = it->get<std::string>();
    }
  }
  if (const json* threshold = Member(*doc, "similarityThreshold");
      threshold && !threshold->is_null()) {
    if (!threshold->is_number_integer()) {
      return std::unexpected("similarityThreshold is not an integer");
    }
    f.similarity_threshold = threshold->get<int64_t>();
  }
  f.cleared = f.fingerprint.empty() && f.hardware_hash.empty();
  return f;
}

namespace {

// seelog's level names, matched exactly (LogLevelFromString is a map lookup).
constexpr std::string_view kSeelogLevels[] = {"trace", "debug",    "info", "warn",
                                              "error", "critical", "off"};

bool IsSeelogLevel(std::string_view name) {
  return std::ranges::find(kSeelogLevels, name) != std::end(kSeelogLevels);
}

// levels="…" as seelog's parseLevels splits it: every space removed, then comma-separated.
std::vector<std::string> SeelogLevelList(std::string_view list) {
  std::string packed;
  for (char c : list) {
    if (c != ' ') packed += c;
  }
  std::vector<std::string> out;
  for (auto level : parse::SplitFields(packed, ',')) out.emplace_back(level);
  return out;
}

// What seelog's getConstraints refuses, in its order.
std::optional<std::string> SeelogRefusal(const SeelogLevels& s) {
  if (s.levels && s.minlevel && s.maxlevel) return "levels= beside both minlevel= and maxlevel=";
  if (s.levels) {
    if (parse::TrimWhitespace(*s.levels) == "off") return std::nullopt;
    for (const std::string& level : SeelogLevelList(*s.levels)) {
      if (!IsSeelogLevel(level)) return "unknown level \"" + level + "\" in levels=";
    }
    return std::nullopt;
  }
  if (s.minlevel && !IsSeelogLevel(*s.minlevel)) return "unknown minlevel \"" + *s.minlevel + "\"";
  if (s.maxlevel && !IsSeelogLevel(*s.maxlevel)) return "unknown maxlevel \"" + *s.maxlevel + "\"";
  return std::nullopt;
}

}  // namespace

bool SeelogLevels::VerboseLogging() const {
  if (!seelog_element_found || refused) return false;
  auto verbose = [](std::string_view level) { return level == "trace" || level == "debug"; };
  if (levels) {
    if (parse::TrimWhitespace(*levels) == "off") return false;
    return std::ranges::any_of(SeelogLevelList(*levels), verbose);
  }
  if (!minlevel) return maxlevel != "off";  // seelog's minimum defaults to trace
  return verbose(*minlevel);
}

void to_json(nlohmann::json& j, const SeelogLevels& s) {
  j = {{"seelog_element_found", s.seelog_element_found}, {"verbose", s.VerboseLogging()}};
  if (s.minlevel) j["minlevel"] = *s.minlevel;
  if (s.maxlevel) j["maxlevel"] = *s.maxlevel;
  if (s.levels) j["levels"] = *s.levels;
  if (s.refused) j["refused"] = *s.refused;
}

namespace {

// An attribute value with its references replaced, as Go's encoding/xml hands it to seelog: the
// five predefined entities and character references (&#100; &#x64;). Anything else (an entity a
// DOCTYPE would define, which encoding/xml refuses) stays as written.
std::string DecodeXmlReferences(std::string_view value) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"apos", '\''}, {"quot", '"'}};
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    size_t end = value[i] == '&' ? value.find(';', i) : std::string_view::npos;
    if (end == std::string_view::npos || end - i > 10) {
      out += value[i];
      continue;
    }
    std::string_view name = value.substr(i + 1, end - i - 1);
    auto entity = std::ranges::find(kEntities, name, &std::pair<std::string_view, char>::first);
    if (entity != std::end(kEntities)) {
      out += entity->second;
      i = end;
      continue;
    }
    uint32_t code = 0;
    bool hex = name.starts_with("#x");
    bool valid = name.starts_with('#');
    std::string_view digits = valid ? name.substr(hex ? 2 : 1) : std::string_view();
    valid = valid && !digits.empty();
    for (char c : digits) {
      int digit = -1;
      if (c >= '0' && c <= '9') digit = c - '0';
      if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      if (digit < 0) valid = false;
      if (valid) code = code * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
    }
    if (!valid || code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      out += value[i];
      continue;
    }
    parse::AppendUtf8(out, code);  // as encoding/xml writes the rune
    i = end;
  }
  return out;
}

// seelog reads only up to the end of the root element: unmarshalConfig then looks for a second
// root and discards the error of that look, so bytes after </seelog> (or after a self-closing
// <seelog …/>) cannot make it refuse the file. Where the root ends, or text.size().
size_t SeelogRootEnd(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    std::string_view rest = text.substr(i);
    if (rest.starts_with("<!--") || rest.starts_with("<?")) {
      bool comment = rest.starts_with("<!--");
      size_t close = text.find(comment ? "-->" : "?>", i + 2);
      if (close == std::string_view::npos) return text.size();
      i = close + 2;
      continue;
    }
    bool root =
        rest.starts_with("<seelog") &&
        (rest.size() == 7 || std::string_view(" \t\r\n/>").find(rest[7]) != std::string_view::npos);
    if (!root) {
      ++i;
      continue;
    }
    char quote = 0;  // a quoted attribute value may hold '>'
    for (size_t j = i + 7; j < text.size(); ++j) {
      if (quote) {
        if (text[j] == quote) quote = 0;
      } else if (text[j] == '"' || text[j] == '\'') {
        quote = text[j];
      } else if (text[j] == '>') {
        if (text[j - 1] == '/') return j + 1;
        break;
      }
    }
    size_t close = text.rfind("</seelog");
    if (close == std::string_view::npos || close < i) return text.size();
    size_t end = text.find('>', close);
    return end == std::string_view::npos ? text.size() : end + 1;
  }
  return text.size();
}

// Go's encoding/xml, which seelog reads its file with, stops at the first thing it cannot
// read, and seelog then refuses the whole file: bytes that are not UTF-8, or a character XML 1.0
// does not allow (control characters but tab, LF and CR; U+FFFE, U+FFFF), anywhere but inside a
// comment or a processing instruction (read without that check); and an XML declaration with a
// version other than 1.0 or an encoding other than UTF-8 (seelog sets no CharsetReader).
std::optional<std::string> XmlCharacterRefusal(std::string_view text) {
  auto declared = [](std::string_view declaration, std::string_view name) -> std::string {
    // procInst in encoding/xml: name="value" or name='value'.
    size_t at = declaration.find(std::string(name) + "=");
    if (at == std::string_view::npos) return {};
    std::string_view rest = declaration.substr(at + name.size() + 1);
    if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) return {};
    size_t close = rest.find(rest.front(), 1);
    return close == std::string_view::npos ? std::string() : std::string(rest.substr(1, close - 1));
  };
  for (size_t i = 0; i < text.size();) {
    std::string_view rest = text.substr(i);
    if (rest.starts_with("<!--") || rest.starts_with("<?")) {
      bool comment = rest.starts_with("<!--");
      size_t close = text.find(comment ? "-->" : "?>", i + (comment ? 4 : 2));
      if (close == std::string_view::npos) return std::nullopt;  // unreadable anyway, not by this
      std::string_view body = text.substr(i + 2, close - i - 2);
      if (!comment && body.starts_with("xml") && body.size() > 3 &&
          (body[3] == ' ' || body[3] == '\t' || body[3] == '\r' || body[3] == '\n')) {
        std::string version = declared(body, "version");
        if (!version.empty() && version != "1.0") return "XML version " + version + " declared";
        std::string encoding = declared(body, "encoding");
        if (!encoding.empty() && !parse::EqualsIgnoreCase(encoding, "utf-8")) {
          return "encoding " + encoding + " declared; seelog reads only UTF-8";
        }
      }
      i = close + (comment ? 3 : 2);
      continue;
    }
    std::optional<parse::Utf8Rune> rune = parse::DecodeUtf8(text, i);
    if (!rune) return "bytes at offset " + std::to_string(i) + " are not UTF-8";
    char32_t c = rune->code;
    bool allowed = c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0xD7FF) ||
                   (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
    if (!allowed) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      return "character " + std::string(code) + " at offset " + std::to_string(i) +
             " is not allowed in XML";
    }
    i += rune->length;
  }
  return std::nullopt;
}

}  // namespace

SeelogLevels ParseSeelogLevels(std::string_view text) {
  // Drop <!-- … --> comments first, so a commented-out <seelog minlevel="debug"> is ignored.
  // An unterminated comment swallows the rest, as an XML parser would refuse it anyway.
  std::string stripped;
  stripped.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    size_t open = text.find("<!--", pos);
    if (open == std::string_view::npos) {
      stripped.append(text.substr(pos));
      break;
    }
    stripped.append(text.substr(pos, open - pos));
    size_t close = text.find("-->", open + 4);
    if (close == std::string_view::npos) break;
    pos = close + 3;
  }
  // The root start tag: "<seelog" followed by whitespace, "/" or ">". Attribute values are
  // quoted with " or ' and cannot contain "<" in well-formed XML, but may contain ">" (Go's
  // encoding/xml, which seelog uses, reads type="a>b" as a value), hence the quoted strings.
  static const RE2 kSeelogTag(R"re((?s)<seelog(\s(?:[^<>"']|"[^"]*"|'[^']*')*)?/?>)re");
  static const RE2 kAttribute(
      R"re((?s)(?:^|\s)([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'))re");
  SeelogLevels result;
  re2::StringPiece attributes;
  if (!RE2::PartialMatch(stripped, kSeelogTag, &attributes)) return result;
  result.seelog_element_found = true;
  std::string name, double_quoted, single_quoted;
  re2::StringPiece input = attributes;
  // seelog keys attributes by their local name, case-sensitively, and refuses a duplicate.
  std::vector<std::string> seen;
  while (RE2::FindAndConsume(&input, kAttribute, &name, &double_quoted, &single_quoted)) {
    std::string value = DecodeXmlReferences(double_quoted.empty() ? single_quoted : double_quoted);
    std::string local = name.substr(name.find(':') == std::string::npos ? 0 : name.find(':') + 1);
    if (std::ranges::find(seen, local) != seen.end()) {
      if (!result.refused) result.refused = "duplicate attribute " + local + "=";
      continue;
    }
    seen.push_back(local);
    if (local == "minlevel") result.minlevel = value;
    if (local == "maxlevel") result.maxlevel = value;
    if (local == "levels") result.levels = value;
  }
  // Unreadable XML up to the root's end makes seelog refuse the file whatever the attributes
  // say; it is named first because it is the one to fix.
  if (std::optional<std::string> unreadable =
          XmlCharacterRefusal(text.substr(0, SeelogRootEnd(text)))) {
    result.refused = "not readable as XML: " + *unreadable;
  }
  if (!result.refused) result.refused = SeelogRefusal(result);
  return result;
}

void to_json(nlohmann::json& j, const SsmAgentConfig& c) {
  j = {{"overrides", c.overrides}};
  if (c.consumption_order) j["identity_consumption_order"] = *c.consumption_order;
  j["custom_identities"] = json::array();
  for (const auto& id : c.custom_identities) {
    j["custom_identities"].push_back({{"instance_id", id.instance_id},
                                      {"region", id.region},
                                      {"credentials_provider", id.credentials_provider}});
  }
  if (c.share_creds) j["profile_share_creds"] = *c.share_creds;
  if (c.share_profile) j["profile_share_profile"] = *c.share_profile;
  if (c.force_update_creds) j["profile_force_update_creds"] = *c.force_update_creds;
  if (c.self_update) j["agent_self_update"] = *c.self_update;
  if (c.container_mode) j["agent_container_mode"] = *c.container_mode;
  if (c.session_logs_destination) j["ssm_session_logs_destination"] = *c.session_logs_destination;
  if (!c.problems.empty()) j["problems"] = c.problems;
}

std::expected<SsmAgentConfig, std::string> ParseSsmAgentConfig(std::string_view text) {
  auto doc = ParseJsonObject(text);
  if (!doc) return std::unexpected(doc.error());
  SsmAgentConfig c;
  std::vector<std::string_view> reported;  // sections already said to be of the wrong type
  auto section = [&](std::string_view name) -> const json* {
    const json* s = Member(*doc, name);
    if (s && !s->is_object() && !s->is_null()) {
      if (std::ranges::find(reported, name) == reported.end()) {
        reported.push_back(name);
        c.problems.push_back(std::string(name) + " is not an object");
      }
      return nullptr;
    }
    return s && s->is_object() ? s : nullptr;
  };
  auto string_field = [&](const json* s, std::string_view sname,
                          std::string_view key) -> std::optional<std::string> {
    if (!s) return std::nullopt;
    const json* v = Member(*s, key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      c.problems.push_back(std::string(sname) + "." + std::string(key) + " is not a string");
      return std::nullopt;
    }
    return v->get<std::string>();
  };
  auto bool_field = [&](const json* s, std::string_view sname,
                        std::string_view key) -> std::optional<bool> {
    if (!s) return std::nullopt;
    const json* v = Member(*s, key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_boolean()) {
      c.problems.push_back(std::string(sname) + "." + std::string(key) + " is not a boolean");
      return std::nullopt;
    }
    return v->get<bool>();
  };

  struct Override {
    std::string_view section, key;
  };
  for (Override o :
       {Override{"Mds", "Endpoint"}, Override{"Ssm", "Endpoint"}, Override{"Mgs", "Region"},
        Override{"Mgs", "Endpoint"}, Override{"Agent", "Region"}, Override{"S3", "Endpoint"},
        Override{"S3", "Region"}, Override{"Kms", "Endpoint"}}) {
    auto value = string_field(section(o.section), o.section, o.key);
    if (value && !parse::TrimWhitespace(*value).empty()) {
      c.overrides[std::string(o.section) + "." + std::string(o.key)] = *value;
    }
  }
  const json* profile = section("Profile");
  c.share_creds = bool_field(profile, "Profile", "ShareCreds");
  c.share_profile = string_field(profile, "Profile", "ShareProfile");
  c.force_update_creds = bool_field(profile, "Profile", "ForceUpdateCreds");
  const json* agent = section("Agent");
  c.self_update = bool_field(agent, "Agent", "SelfUpdate");
  c.container_mode = bool_field(agent, "Agent", "ContainerMode");
  c.session_logs_destination = string_field(section("Ssm"), "Ssm", "SessionLogsDestination");

  if (const json* identity = section("Identity")) {
    if (const json* order = Member(*identity, "ConsumptionOrder"); order && !order->is_null()) {
      if (order->is_array()) {
        std::vector<std::string> names;
        for (const auto& item : *order) {
          if (item.is_string())
            names.push_back(item.get<std::string>());
          else
            c.problems.push_back("Identity.ConsumptionOrder holds a non-string");
        }
        c.consumption_order = std::move(names);
      } else {
        c.problems.push_back("Identity.ConsumptionOrder is not an array");
      }
    }
    if (const json* custom = Member(*identity, "CustomIdentities"); custom && !custom->is_null()) {
      if (!custom->is_array()) {
        c.problems.push_back("Identity.CustomIdentities is not an array");
      } else {
        for (const auto& item : *custom) {
          if (!item.is_object()) {
            c.problems.push_back("Identity.CustomIdentities holds a non-object");
            continue;
          }
          SsmCustomIdentity id;
          id.instance_id = string_field(&item, "CustomIdentities", "InstanceID").value_or("");
          id.region = string_field(&item, "CustomIdentities", "Region").value_or("");
          id.credentials_provider =
              string_field(&item, "CustomIdentities", "CredentialsProvider").value_or("");
          c.custom_identities.push_back(std::move(id));
        }
      }
    }
  }
  return c;
}

}  // namespace imageprobe::probes
