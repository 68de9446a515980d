#include "fuzz/cli/command_line.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tcpfuzz::cli {

namespace {

constexpr size_t kWidth = 90;

std::vector<std::string> split_names(std::string_view names) {
  std::vector<std::string> out;
  while (!names.empty()) {
    const size_t comma = names.find(',');
    out.emplace_back(names.substr(0, comma));
    names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
  }
  return out;
}

bool looks_like_flag(std::string_view arg) {
  return arg.size() > 1 && arg.front() == '-';
}

}  // namespace

std::optional<double> parse_decimal(std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

Value text(std::string& out, std::string_view metavar) {
  return Value{std::string(metavar),
               [&out](std::string_view text) -> std::optional<std::string> {
                 out = text;
                 return std::nullopt;
               },
               out};
}

Value on_off(bool& out) {
  return choice(out, {{"on", true}, {"off", false}});
}

std::string wrap(const std::vector<std::string>& words, size_t width, size_t indent) {
  std::string out;
  size_t column = 0;
  for (const std::string& word : words) {
    if (word.empty()) continue;
    if (column > indent && column + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
    } else if (!out.empty()) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
  }
  return out;
}

std::string wrap(std::string_view text, size_t width, size_t indent) {
  std::vector<std::string> words;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    words.emplace_back(text.substr(0, space));
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  }
  return wrap(words, width, indent);
}

CommandLine::CommandLine(std::string name, std::string summary)
    : name_(std::move(name)), summary_(std::move(summary)) {}

CommandLine& CommandLine::flag(std::string_view names, bool& out, std::string_view help,
                               bool set_to) {
  flags_.push_back(Flag{split_names(names), std::nullopt, [&out, set_to] { out = set_to; },
                        std::string(help), Need::kOptional});
  return *this;
}

CommandLine& CommandLine::flag(std::string_view names, Value value, std::string_view help,
                               Need need) {
  flags_.push_back(Flag{split_names(names), std::move(value), nullptr, std::string(help), need});
  return *this;
}

CommandLine& CommandLine::positional(std::string_view metavar, std::string& out,
                                     std::string_view help) {
  positionals_.push_back(Positional{std::string(metavar),
                                    [&out](std::string v) { out = std::move(v); }, false,
                                    std::string(help)});
  return *this;
}

CommandLine& CommandLine::positional(std::string_view metavar, std::vector<std::string>& out,
                                     std::string_view help) {
  positionals_.push_back(Positional{std::string(metavar) + "...",
                                    [&out](std::string v) { out.push_back(std::move(v)); }, true,
                                    std::string(help)});
  return *this;
}

CommandLine& CommandLine::note(std::string_view text) {
  notes_.emplace_back(text);
  return *this;
}

const CommandLine::Flag* CommandLine::find(std::string_view name) const {
  for (const Flag& f : flags_) {
    if (std::ranges::find(f.names, name) != f.names.end()) return &f;
  }
  return nullptr;
}

std::string CommandLine::error(const std::string& what) const {
  return "tcpfuzz " + name_ + ": " + what;
}

std::string CommandLine::usage_of(const Flag& f) const {
  std::string s = f.names.front();
  if (f.value) s += " " + f.value->metavar;
  return f.need == Need::kRequired ? s : "[" + s + "]";
}

std::string CommandLine::synopsis(size_t width, size_t indent) const {
  std::vector<std::string> items{name_};
  for (const Positional& p : positionals_) items.push_back(p.metavar);
  for (const Need need : {Need::kRequired, Need::kOptional}) {
    for (const Flag& f : flags_) {
      if (f.need == need) items.push_back(usage_of(f));
    }
  }
  return wrap(items, width, indent);
}

std::string CommandLine::help() const {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const Positional& p : positionals_) rows.emplace_back(p.metavar, p.help);
  for (const Flag& f : flags_) {
    std::string left;
    for (const std::string& n : f.names) left += (left.empty() ? "" : ", ") + n;
    if (f.value) left += " " + f.value->metavar;
    std::string right = f.help;
    if (f.need == Need::kRequired) right += " (required)";
    if (f.value && !f.value->default_text.empty()) {
      right += " (default " + f.value->default_text + ")";
    }
    rows.emplace_back(left, right);
  }
  rows.emplace_back("-h, --help", "this help");
  // A left column wider than this goes on a line of its own.
  constexpr size_t kMaxLeft = 28;
  size_t left_width = 0;
  for (const auto& [left, right] : rows) {
    if (left.size() <= kMaxLeft) left_width = std::max(left_width, left.size());
  }

  const size_t indent = 2 + left_width + 2;
  const std::string margin = "\n" + std::string(indent, ' ');
  std::string out =
      "usage: tcpfuzz " + synopsis(kWidth - 15, 8) + "\n" + wrap(summary_, kWidth, 0) + "\n\n";
  for (const auto& [left, right] : rows) {
    std::string text = wrap(right, kWidth - indent, 0);
    for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', nl + 1)) {
      text.replace(nl, 1, margin);
    }
    const bool own_line = left.size() > left_width;
    out += "  " + left;
    out += own_line ? margin : std::string(indent - 2 - left.size(), ' ');
    out += text + "\n";
  }
  for (const std::string& n : notes_) out += "\n" + wrap(n, kWidth, 0) + "\n";
  return out;
}

CommandLine::Parsed CommandLine::parse(const std::vector<std::string>& args) const {
  const auto failed = [&](const std::string& what) { return Parsed{Outcome::kError, error(what)}; };
  std::vector<const Flag*> given;
  std::vector<size_t> counts(positionals_.size());  // arguments each positional took
  size_t next_positional = 0;                       // a list takes every argument from there on
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return Parsed{Outcome::kHelp, ""};
    if (!looks_like_flag(arg)) {
      if (next_positional == positionals_.size()) return failed("unexpected argument " + arg);
      const Positional& p = positionals_[next_positional];
      p.add(arg);
      ++counts[next_positional];
      if (!p.list) ++next_positional;
      continue;
    }
    // --name=value is --name value.
    const size_t eq = arg.starts_with("--") ? arg.find('=') : std::string::npos;
    const std::string name = arg.substr(0, eq);
    const Flag* f = find(name);
    if (f == nullptr) {
      return failed("unknown flag " + name + " (tcpfuzz " + name_ + " --help lists them)");
    }
    given.push_back(f);
    if (!f->value) {
      if (eq != std::string::npos) return failed(name + " takes no value");
      f->set();
      continue;
    }
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return failed(name + " needs " + f->value->metavar);
    }
    if (auto expected = f->value->store(value)) {
      std::string what = name;
      what.append(" '").append(value).append("': expected ").append(*expected);
      return failed(what);
    }
  }
  for (size_t p = 0; p < positionals_.size(); ++p) {
    if (counts[p] == 0) {
      return failed(positionals_[p].metavar + " is missing (tcpfuzz " + name_ +
                    " --help says more)");
    }
  }
  for (const Flag& f : flags_) {
    if (f.need == Need::kRequired && std::ranges::find(given, &f) == given.end()) {
      return failed(f.names.back() + " " + f.value->metavar + " is required");
    }
  }
  return Parsed{Outcome::kRun, ""};
}

std::optional<int> CommandLine::parse_or_exit(const std::vector<std::string>& args) const {
  const bool needs_arguments =
      !positionals_.empty() ||
      std::ranges::any_of(flags_, [](const Flag& f) { return f.need == Need::kRequired; });
  if (args.empty() && needs_arguments) {
    std::fputs(help().c_str(), stderr);
    return 2;
  }
  const Parsed parsed = parse(args);
  switch (parsed.outcome) {
    case Outcome::kRun:
      return std::nullopt;
    case Outcome::kHelp:
      std::fputs(help().c_str(), stdout);
      return 0;
    case Outcome::kError:
      std::fprintf(stderr, "%s\n", parsed.error.c_str());
      return 2;
  }
  return 2;
}

}  // namespace tcpfuzz::cli
