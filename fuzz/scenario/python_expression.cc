#include "fuzz/scenario/python_expression.h"

#include <cctype>
#include <cstdlib>
#include <vector>

namespace tcpfuzz::scenario {

namespace {

using netstack::Expected;
using netstack::Unexpected;

// A recursive-descent reader over Python's precedence levels, lowest first.
class Reader {
 public:
  Reader(std::string_view text, const NameLookup& names) : text_(text), names_(names) {}

  Expected<long, std::string> whole() {
    const long v = disjunction();
    skip_space();
    if (error_.empty() && pos_ != text_.size()) fail("unexpected `" + std::string(rest()) + "`");
    if (!error_.empty()) return Unexpected{error_};
    return v;
  }

 private:
  long disjunction() {
    long v = conjunction();
    while (keyword("or")) {
      const long r = conjunction();
      v = v != 0 ? v : r;
    }
    return v;
  }
  long conjunction() {
    long v = negation();
    while (keyword("and")) {
      const long r = negation();
      v = v == 0 ? v : r;
    }
    return v;
  }
  long negation() {
    if (keyword("not")) return negation() == 0 ? 1 : 0;
    return comparison();
  }
  // Python chains comparisons: a < b <= c is a < b and b <= c.
  long comparison() {
    long left = bit_or();
    bool holds = true;
    bool compared = false;
    for (;;) {
      const std::string_view op = comparison_operator();
      if (op.empty()) break;
      const long right = bit_or();
      compared = true;
      holds = holds && compare(op, left, right);
      left = right;
    }
    return compared ? long{holds} : left;
  }
  long bit_or() {
    long v = bit_xor();
    while (symbol("|")) v |= bit_xor();
    return v;
  }
  long bit_xor() {
    long v = bit_and();
    while (symbol("^")) v ^= bit_and();
    return v;
  }
  long bit_and() {
    long v = shift();
    while (symbol("&")) v &= shift();
    return v;
  }
  long shift() {
    long v = sum();
    for (;;) {
      if (symbol("<<")) {
        v = static_cast<long>(static_cast<unsigned long>(v) << (sum() & 63));
      } else if (symbol(">>")) {
        v >>= (sum() & 63);
      } else {
        return v;
      }
    }
  }
  long sum() {
    long v = product();
    for (;;) {
      if (symbol("+")) {
        v += product();
      } else if (symbol("-")) {
        v -= product();
      } else {
        return v;
      }
    }
  }
  long product() {
    long v = unary();
    for (;;) {
      if (symbol("*")) {
        v *= unary();
      } else if (symbol("//") || symbol("%")) {
        const bool floor_division = text_[pos_ - 1] == '/';
        const long d = unary();
        if (d == 0) {
          fail("division by zero");
          return 0;
        }
        // Python rounds toward negative infinity.
        long q = v / d;
        if ((v % d != 0) && ((v < 0) != (d < 0))) --q;
        v = floor_division ? q : v - q * d;
      } else if (peek() == '/') {
        fail("true division (/)");
        return 0;
      } else {
        return v;
      }
    }
  }
  long unary() {
    if (symbol("-")) return -unary();
    if (symbol("+")) return unary();
    if (symbol("~")) return ~unary();
    return primary();
  }
  long primary() {
    skip_space();
    if (!error_.empty()) return 0;
    if (symbol("(")) {
      const long v = disjunction();
      if (!symbol(")")) fail("missing )");
      return v;
    }
    if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0) {
      return number();
    }
    const std::string_view name = identifier();
    if (name.empty()) {
      fail(pos_ < text_.size() ? "unexpected `" + std::string(rest()) + "`" : "missing operand");
      return 0;
    }
    if (peek() == '(' || peek() == '.' || peek() == '[') {
      fail("`" + std::string(name) + peek() + "`");
      return 0;
    }
    if (name == "True") return 1;
    if (name == "False") return 0;
    const auto v = names_(name);
    if (!v) fail("name " + std::string(name));
    return v.value_or(0);
  }
  long number() {
    const char* begin = text_.data() + pos_;
    char* end = nullptr;
    const int base =
        text_.substr(pos_).starts_with("0x") || text_.substr(pos_).starts_with("0X") ? 16 : 10;
    const long v = std::strtol(begin, &end, base);
    pos_ += static_cast<size_t>(end - begin);
    if (pos_ < text_.size() && (text_[pos_] == '.' || std::isalnum(text_[pos_]) != 0)) {
      fail("number `" + std::string(rest()) + "`");
    }
    return v;
  }

  static bool compare(std::string_view op, long a, long b) {
    if (op == "==") return a == b;
    if (op == "!=") return a != b;
    if (op == "<=") return a <= b;
    if (op == ">=") return a >= b;
    if (op == "<") return a < b;
    return a > b;
  }
  std::string_view comparison_operator() {
    for (const std::string_view op : {"==", "!=", "<=", ">="}) {
      if (symbol(op)) return op;
    }
    skip_space();
    // < and > alone, not the shifts.
    for (const std::string_view op : {"<", ">"}) {
      if (text_.substr(pos_).starts_with(op) && !text_.substr(pos_).starts_with("<<") &&
          !text_.substr(pos_).starts_with(">>")) {
        ++pos_;
        return op;
      }
    }
    return {};
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
      ++pos_;
    }
  }
  char peek() {
    skip_space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  std::string_view rest() const { return text_.substr(pos_); }
  bool symbol(std::string_view s) {
    skip_space();
    if (!error_.empty() || !text_.substr(pos_).starts_with(s)) return false;
    pos_ += s.size();
    return true;
  }
  std::string_view identifier() {
    skip_space();
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '_')) {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  bool keyword(std::string_view word) {
    skip_space();
    const std::string_view r = rest();
    const bool at_word =
        r.starts_with(word) &&
        (r.size() == word.size() ||
         (std::isalnum(static_cast<unsigned char>(r[word.size()])) == 0 && r[word.size()] != '_'));
    if (!error_.empty() || !at_word) return false;
    pos_ += word.size();
    return true;
  }
  void fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }

  std::string_view text_;
  const NameLookup& names_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

Expected<long, std::string> evaluate_python(std::string_view expression, const NameLookup& names) {
  return Reader(expression, names).whole();
}

}  // namespace tcpfuzz::scenario
