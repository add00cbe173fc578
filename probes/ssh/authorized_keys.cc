// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/authorized_keys.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "probes/ssh/wire.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::ssh {

namespace {

using Error = std::unexpected<std::string>;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view SkipBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  return s;
}

// opt_flag: an optional "no-" (when allowed) and a case-insensitive prefix match.
// Returns -1 when it does not match, else 1 (set) or 0 (negated).
int OptFlag(std::string_view name, bool allow_negate, std::string_view& opts) {
  std::string_view s = opts;
  bool negate = false;
  if (allow_negate && parse::StartsWithIgnoreCase(s, "no-")) {
    s.remove_prefix(3);
    negate = true;
  }
  if (!parse::StartsWithIgnoreCase(s, name)) return -1;
  opts = s.substr(name.size());
  return negate ? 0 : 1;
}

// opt_match: "name=" case-insensitively.
bool OptMatch(std::string_view name, std::string_view& opts) {
  if (opts.size() > name.size() && parse::StartsWithIgnoreCase(opts, name) &&
      opts[name.size()] == '=') {
    opts.remove_prefix(name.size() + 1);
    return true;
  }
  return false;
}

// opt_dequote: a double-quoted value where \" is a literal quote.
std::expected<std::string, std::string> OptDequote(std::string_view& opts) {
  if (opts.empty() || opts.front() != '"') return Error("missing start quote");
  std::string value;
  size_t i = 1;
  while (i < opts.size() && opts[i] != '"') {
    if (opts[i] == '\\' && i + 1 < opts.size() && opts[i + 1] == '"') ++i;
    value.push_back(opts[i++]);
  }
  if (i == opts.size()) return Error("missing end quote");
  opts.remove_prefix(i + 1);
  return value;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

template <class T>
std::optional<T> ParseNumber(std::string_view s) {
  T v{};
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// parse_absolute_time: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, optionally followed by Z.
bool ValidExpiryTime(std::string_view s) {
  if (s.size() > 1 && (s.back() == 'Z' || s.back() == 'z')) s.remove_suffix(1);
  if ((s.size() != 8 && s.size() != 12 && s.size() != 14) || !AllDigits(s)) return false;
  auto field = [&](size_t pos, size_t len) { return *ParseNumber<int>(s.substr(pos, len)); };
  if (field(4, 2) < 1 || field(4, 2) > 12 || field(6, 2) < 1 || field(6, 2) > 31) return false;
  if (s.size() >= 12 && (field(8, 2) > 23 || field(10, 2) > 59)) return false;
  if (s.size() == 14 && field(12, 2) > 61) return false;
  return true;
}

// a2tun without a remote part: "any" or a device number up to SSH_TUNID_MAX.
bool ValidTunnel(std::string_view s) {
  if (parse::EqualsIgnoreCase(s, "any")) return true;
  auto n = ParseNumber<uint64_t>(s);
  return n && *n <= 0x7fffffff - 2;
}

// handle_permit: "host:port" (hpdelim2; "[v6]:port"), port a number 1..65535, "*", or a
// service name (a2port asks getservbyname, which an offline scan cannot; names are accepted).
std::expected<std::string, std::string> ParsePermit(std::string_view& opts, bool allow_bare_port) {
  auto value = OptDequote(opts);
  if (!value) return value;
  std::string spec = *value;
  if (allow_bare_port && spec.find(':') == std::string::npos) spec = "*:" + spec;
  std::string_view s = spec;
  size_t delim;
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return Error("invalid permission hostname");
    delim = close + 1;
  } else {
    delim = s.find_first_of(":/");
    if (delim == std::string_view::npos) delim = s.size();
  }
  if (delim < s.size() && s[delim] != ':' && s[delim] != '/') {
    return Error("invalid permission hostname");
  }
  if (delim >= s.size()) return Error("invalid permission port");
  std::string_view host = s.substr(0, delim), port = s.substr(delim + 1);
  if (host.size() >= 1025) return Error("invalid permission hostname");  // NI_MAXHOST
  bool port_ok;
  if (port == "*") {
    port_ok = true;
  } else if (AllDigits(port)) {
    auto n = ParseNumber<uint32_t>(port);
    port_ok = n && *n >= 1 && *n <= 65535;
  } else {
    port_ok = !port.empty() && std::ranges::all_of(port, [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
  }
  if (!port_ok) return Error("invalid permission port");
  return *value;
}

// sshkey_advance_past_options: to the first blank outside double quotes; \" never toggles.
std::expected<size_t, std::string> OptionsLength(std::string_view s) {
  bool quoted = false;
  size_t i = 0;
  for (; i < s.size() && (quoted || !IsBlank(s[i])); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '"') {
      ++i;
    } else if (s[i] == '"') {
      quoted = !quoted;
    }
  }
  if (i == s.size() && quoted) return Error("unterminated quote in key options");
  return i;
}

struct ReadKey {
  const KeyTypeInfo* written = nullptr;
  std::string written_name;
  PublicKey key;
  std::string_view comment;
};

// sshkey_read with KEY_UNSPEC: "type blob[ comment]".
std::expected<ReadKey, std::string> SshKeyRead(std::string_view s) {
  size_t space = s.find_first_of(" \t");
  if (space == std::string_view::npos) return Error("no key after the type");
  std::string_view name = s.substr(0, space);
  const KeyTypeInfo* written = LookupKeyTypeName(name);
  if (written == nullptr) return Error("unknown key type");
  s = SkipBlanks(s.substr(space));
  if (s.empty()) return Error("no key after the type");
  size_t end = s.find_first_of(" \t");
  std::string_view token = s.substr(0, end);
  auto blob = DecodeBase64(token);
  if (!blob) return Error("invalid base64 in the key");
  auto key = DecodePublicKeyBlob(*blob);
  if (!key) return Error(key.error());
  if (key->type->algorithm != written->algorithm ||
      key->type->certificate != written->certificate) {
    return Error("key type " + std::string(name) + " does not match the key (" +
                 std::string(key->type_name()) + ")");
  }
  if (written->algorithm == KeyAlgorithm::kEcdsa && key->type->curve != written->curve) {
    return Error("key type " + std::string(name) + " does not match the curve " + key->curve);
  }
  ReadKey out{written, std::string(name), std::move(*key), {}};
  out.comment = end == std::string_view::npos ? std::string_view() : SkipBlanks(s.substr(end));
  return out;
}

}  // namespace

bool KeyOptions::empty() const {
  return !restrict && !cert_authority && !port_forwarding && !agent_forwarding && !x11_forwarding &&
         !pty && !user_rc && !touch_required && !verify_required && !command && !principals &&
         !from && !expiry_time && !tunnel && environment.empty() && permitopen.empty() &&
         permitlisten.empty();
}

void to_json(nlohmann::json& j, const KeyOptions& o) {
  j = nlohmann::json::object();
  if (o.restrict) j["restrict"] = true;
  if (o.cert_authority) j["cert_authority"] = true;
  auto flag = [&](const char* name, const std::optional<bool>& v) {
    if (v) j[name] = *v;
  };
  flag("port_forwarding", o.port_forwarding);
  flag("agent_forwarding", o.agent_forwarding);
  flag("x11_forwarding", o.x11_forwarding);
  flag("pty", o.pty);
  flag("user_rc", o.user_rc);
  flag("touch_required", o.touch_required);
  flag("verify_required", o.verify_required);
  auto text = [&](const char* name, const std::optional<std::string>& v) {
    if (v) j[name] = *v;
  };
  text("command", o.command);
  text("principals", o.principals);
  text("from", o.from);
  text("expiry_time", o.expiry_time);
  text("tunnel", o.tunnel);
  // Environment values can carry secrets: names only.
  if (!o.environment.empty()) {
    auto names = nlohmann::json::array();
    for (const auto& e : o.environment) names.push_back(e.substr(0, e.find('=')));
    j["environment"] = names;
  }
  if (!o.permitopen.empty()) j["permitopen"] = o.permitopen;
  if (!o.permitlisten.empty()) j["permitlisten"] = o.permitlisten;
}

std::expected<KeyOptions, std::string> ParseKeyOptions(std::string_view opts) {
  KeyOptions o;
  while (!opts.empty() && !IsBlank(opts.front())) {
    int r;
    if ((r = OptFlag("restrict", false, opts)) != -1) {
      o.restrict = true;
    } else if ((r = OptFlag("cert-authority", false, opts)) != -1) {
      o.cert_authority = true;
    } else if ((r = OptFlag("port-forwarding", true, opts)) != -1) {
      o.port_forwarding = r == 1;
    } else if ((r = OptFlag("agent-forwarding", true, opts)) != -1) {
      o.agent_forwarding = r == 1;
    } else if ((r = OptFlag("x11-forwarding", true, opts)) != -1) {
      o.x11_forwarding = r == 1;
    } else if ((r = OptFlag("touch-required", true, opts)) != -1) {
      o.touch_required = r == 1;
    } else if ((r = OptFlag("verify-required", true, opts)) != -1) {
      o.verify_required = r == 1;
    } else if ((r = OptFlag("pty", true, opts)) != -1) {
      o.pty = r == 1;
    } else if ((r = OptFlag("user-rc", true, opts)) != -1) {
      o.user_rc = r == 1;
    } else if (OptMatch("command", opts)) {
      if (o.command) return Error("multiple \"command\" clauses");
      auto v = OptDequote(opts);
      if (!v) return Error(v.error());
      o.command = std::move(*v);
    } else if (OptMatch("principals", opts)) {
      if (o.principals) return Error("multiple \"principals\" clauses");
      auto v = OptDequote(opts);
      if (!v) return Error(v.error());
      o.principals = std::move(*v);
    } else if (OptMatch("from", opts)) {
      if (o.from) return Error("multiple \"from\" clauses");
      auto v = OptDequote(opts);
      if (!v) return Error(v.error());
      o.from = std::move(*v);
    } else if (OptMatch("expiry-time", opts)) {
      auto v = OptDequote(opts);
      if (!v) return Error(v.error());
      if (!ValidExpiryTime(*v)) return Error("invalid expires time");
      // sshd keeps the earliest; the fixed-width timestamps compare as text.
      if (!o.expiry_time || *v < *o.expiry_time) o.expiry_time = std::move(*v);
    } else if (OptMatch("environment", opts)) {
      auto v = OptDequote(opts);
      if (!v) return Error(v.error());
      size_t name_end = 0;
      while (name_end < v->size() &&
             (std::isalnum(static_cast<unsigned char>((*v)[name_end])) || (*v)[name_end] == '_')) {
        ++name_end;
      }
      if (name_end == v->size() || (*v)[name_end] != '=') {
        return Error("invalid environment string");
      }
      o.environment.push_back(std::move(*v));
    } else if (OptMatch("tunnel", opts)) {
      auto v = OptDequote(opts);
      if (!v) return Error(v.error());
      if (!ValidTunnel(*v)) return Error("invalid tun device");
      o.tunnel = std::move(*v);
    } else if (OptMatch("permitopen", opts)) {
      auto v = ParsePermit(opts, false);
      if (!v) return Error(v.error());
      o.permitopen.push_back(std::move(*v));
    } else if (OptMatch("permitlisten", opts)) {
      auto v = ParsePermit(opts, true);
      if (!v) return Error(v.error());
      o.permitlisten.push_back(std::move(*v));
    } else {
      return Error("unsupported option");
    }
    if (opts.empty() || IsBlank(opts.front())) break;
    if (opts.front() != ',') return Error("unknown key option");
    opts.remove_prefix(1);
    if (opts.empty()) return Error("unexpected end-of-options");
  }
  return o;
}

std::expected<AuthorizedKey, std::string> ParseAuthorizedKeyLine(std::string_view line) {
  line = line.substr(0, line.find('\0'));
  line = SkipBlanks(line);
  std::string_view options;
  auto read = SshKeyRead(line);
  if (!read) {
    // The first word is not a key: it is an options string, then the key.
    auto length = OptionsLength(line);
    if (!length) return Error(length.error());
    options = line.substr(0, *length);
    auto second = SshKeyRead(SkipBlanks(line.substr(*length)));
    if (!second) {
      // Say why the key failed when the line did start with a key type.
      bool started_with_type =
          LookupKeyTypeName(line.substr(0, line.find_first_of(" \t"))) != nullptr;
      return Error(started_with_type ? read.error() : second.error());
    }
    read = std::move(second);
  }
  AuthorizedKey out;
  if (!options.empty()) {
    auto parsed = ParseKeyOptions(options);
    if (!parsed) return Error("bad key options: " + parsed.error());
    out.options = std::move(*parsed);
  }
  out.written_type = std::move(read->written_name);
  out.key = std::move(read->key);
  out.comment = std::string(read->comment);
  return out;
}

AuthorizedKeysParse ParseAuthorizedKeys(std::string_view text) {
  AuthorizedKeysParse out;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    std::string_view content = SkipBlanks(line.substr(0, line.find('\0')));
    if (content.empty() || content.front() == '#') return;
    auto key = ParseAuthorizedKeyLine(content);
    if (!key) {
      out.problems.push_back({number, key.error()});
      return;
    }
    key->line = number;
    out.keys.push_back(std::move(*key));
  });
  return out;
}

}  // namespace imageprobe::probes::ssh
