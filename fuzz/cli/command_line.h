// One command's command line, declared once: its flags and positionals,
// each with a value type, help text and default. The same declaration parses
// the arguments and writes the synopsis (the usage of `tcpfuzz` alone) and
// the help (`tcpfuzz COMMAND --help`), so the two cannot drift apart.
// Every error is one line naming the flag or argument:
//   tcpfuzz triage: --timeout '0': expected a positive whole number of seconds
#pragma once

#include <charconv>
#include <concepts>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tcpfuzz::cli {

// How a flag's text becomes its variable.
struct Value {
  std::string metavar;  // in usage: "N", "pkt|pcap"
  // Stores the value, or returns what was expected instead ("a positive
  // whole number"); `store` writes nothing then.
  std::function<std::optional<std::string>(std::string_view text)> store;
  std::string default_text;  // shown in help; "" for none
};

Value text(std::string& out, std::string_view metavar);
// "on" or "off".
Value on_off(bool& out);

// A whole number in [min, max]. A variable that starts outside the range
// has no default (0 for "no port").
template <std::integral T>
Value number(T& out, std::string_view metavar, std::type_identity_t<T> min = 0,
             std::type_identity_t<T> max = std::numeric_limits<T>::max());
template <std::integral T>
Value number(std::optional<T>& out, std::string_view metavar, std::type_identity_t<T> min = 0,
             std::type_identity_t<T> max = std::numeric_limits<T>::max());
// A positive duration: whole seconds for integral T, else decimals too.
template <class T>
Value seconds(T& out);

// One of the names; the variable gets the name's value.
template <class T>
Value choice(T& out, std::initializer_list<std::pair<std::string_view, T>> names);

// The number parsers behind number() and seconds(), for values of their own
// syntax: the whole text, in range, or nullopt.
template <std::integral T>
std::optional<T> parse_whole(std::string_view text, T min = 0,
                             T max = std::numeric_limits<T>::max());
// A finite decimal ("1.5", "1e3").
std::optional<double> parse_decimal(std::string_view text);

// A value of its own syntax: `parse` returns it or nullopt, `expected`
// says what it takes ("IPv4:PORT").
template <class T, class Parse>
Value custom(T& out, std::string_view metavar, std::string_view expected, Parse parse);

class CommandLine {
 public:
  enum class Need : uint8_t { kOptional, kRequired };

  // `name`: the command ("replay"); `summary`: one line, for the usage of
  // tcpfuzz too.
  CommandLine(std::string name, std::string summary);

  // A flag without a value: sets `out` to `set_to` when given.
  CommandLine& flag(std::string_view names, bool& out, std::string_view help, bool set_to = true);
  // `names`: "--output" or "-o,--output".
  CommandLine& flag(std::string_view names, Value value, std::string_view help,
                    Need need = Need::kOptional);
  // One required argument, or one or more (a list).
  CommandLine& positional(std::string_view metavar, std::string& out, std::string_view help);
  CommandLine& positional(std::string_view metavar, std::vector<std::string>& out,
                          std::string_view help);
  // A paragraph at the end of the help.
  CommandLine& note(std::string_view text);

  const std::string& name() const { return name_; }
  const std::string& summary() const { return summary_; }
  // "replay INPUT [--target NAME] [--pcap OUT]", wrapped between items at
  // `width` columns with `indent` spaces before each further line.
  std::string synopsis(size_t width = std::string::npos, size_t indent = 0) const;
  // The synopsis, summary, one line per argument and flag, and the notes.
  std::string help() const;

  enum class Outcome : uint8_t { kRun, kHelp, kError };
  struct Parsed {
    Outcome outcome;
    std::string error;  // kError: the one line, without a newline
  };
  // Stores every argument into its variable.
  Parsed parse(const std::vector<std::string>& args) const;
  // parse(), with --help printed to standard output (exit status 0), an
  // error to standard error (2), and no arguments at all to a command
  // that needs some answered by the help (2). nullopt: go on and run.
  std::optional<int> parse_or_exit(const std::vector<std::string>& args) const;

 private:
  struct Flag {
    std::vector<std::string> names;  // the long name last
    std::optional<Value> value;      // none: a switch
    std::function<void()> set;       // a switch's action
    std::string help;
    Need need;
  };
  struct Positional {
    std::string metavar;
    std::function<void(std::string)> add;
    bool list;
    std::string help;
  };

  const Flag* find(std::string_view name) const;
  std::string error(const std::string& what) const;
  std::string usage_of(const Flag& f) const;

  std::string name_;
  std::string summary_;
  std::vector<Flag> flags_;
  std::vector<Positional> positionals_;
  std::vector<std::string> notes_;
};

// Greedy wrap of `words` at `width` columns, every line after the first
// indented by `indent` spaces; a word longer than a line stays whole.
std::string wrap(const std::vector<std::string>& words, size_t width, size_t indent);
// The same for the words of `text`.
std::string wrap(std::string_view text, size_t width, size_t indent);

// ---- templates -------------------------------------------------------------

namespace detail {

template <std::integral T>
std::string range_text(T min, T max) {
  // A 16-bit or narrower maximum is worth saying (ports).
  const bool unbounded = max == std::numeric_limits<T>::max() && sizeof(T) >= 4;
  if (min == 0 && unbounded) return "a whole number";
  if (min == 1 && unbounded) return "a positive whole number";
  return "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace detail

template <std::integral T>
std::optional<T> parse_whole(std::string_view text, T min, T max) {
  T v{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    return std::nullopt;
  }
  return v;
}

namespace detail {

// A whole number in [min, max] into `out`, a T or an optional<T>.
template <std::integral T, class Out>
Value whole_number(Out& out, std::string_view metavar, T min, T max, std::string default_text) {
  return Value{std::string(metavar),
               [&out, min, max](std::string_view text) -> std::optional<std::string> {
                 auto v = parse_whole(text, min, max);
                 if (!v) return range_text(min, max);
                 out = *v;
                 return std::nullopt;
               },
               std::move(default_text)};
}

}  // namespace detail

template <std::integral T>
Value number(T& out, std::string_view metavar, std::type_identity_t<T> min,
             std::type_identity_t<T> max) {
  const bool has_default = out >= min && out <= max;
  return detail::whole_number<T>(out, metavar, min, max, has_default ? std::to_string(out) : "");
}

template <std::integral T>
Value number(std::optional<T>& out, std::string_view metavar, std::type_identity_t<T> min,
             std::type_identity_t<T> max) {
  return detail::whole_number<T>(out, metavar, min, max, out ? std::to_string(*out) : "");
}

template <class T>
Value seconds(T& out) {
  if constexpr (std::integral<T>) {
    Value v = number(out, "SECONDS", T{1});
    v.store = [store = std::move(v.store)](std::string_view text) -> std::optional<std::string> {
      if (store(text)) return "a positive whole number of seconds";
      return std::nullopt;
    };
    return v;
  } else {
    std::string shown = std::to_string(out);
    shown.erase(shown.find_last_not_of('0') + 1);
    if (shown.ends_with('.')) shown.pop_back();
    return Value{"SECONDS",
                 [&out](std::string_view text) -> std::optional<std::string> {
                   auto v = parse_decimal(text);
                   if (!v || !(*v > 0)) return "a positive number of seconds";
                   out = static_cast<T>(*v);
                   return std::nullopt;
                 },
                 out > 0 ? shown : ""};
  }
}

template <class T>
Value choice(T& out, std::initializer_list<std::pair<std::string_view, T>> names) {
  std::vector<std::pair<std::string, T>> table;
  std::string metavar;
  std::string expected;
  std::string default_text;
  for (const auto& [name, value] : names) {
    table.emplace_back(std::string(name), value);
    metavar += (metavar.empty() ? "" : "|") + std::string(name);
    if (value == out && default_text.empty()) default_text = name;
  }
  for (size_t i = 0; i < table.size(); ++i) {
    expected += (i == 0 ? "" : i + 1 == table.size() ? " or " : ", ") + table[i].first;
  }
  return Value{metavar,
               [&out, table = std::move(table), expected = std::move(expected)](
                   std::string_view text) -> std::optional<std::string> {
                 for (const auto& [name, value] : table) {
                   if (name == text) {
                     out = value;
                     return std::nullopt;
                   }
                 }
                 return expected;
               },
               default_text};
}

template <class T, class Parse>
Value custom(T& out, std::string_view metavar, std::string_view expected, Parse parse) {
  return Value{std::string(metavar),
               [&out, expected = std::string(expected),
                parse = std::move(parse)](std::string_view text) -> std::optional<std::string> {
                 auto v = parse(text);
                 if (!v) return expected;
                 out = *v;
                 return std::nullopt;
               },
               ""};
}

}  // namespace tcpfuzz::cli
