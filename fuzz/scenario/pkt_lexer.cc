#include "fuzz/scenario/pkt_lexer.h"

#include <cctype>
#include <cstdlib>

namespace tcpfuzz::scenario {

namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

}  // namespace

std::vector<Token> tokenize(std::string_view s, LexError* error) {
  std::vector<Token> out;
  size_t i = 0;
  int line = 1;
  size_t line_start = 0;
  auto col = [&](size_t at) { return static_cast<int>(at - line_start) + 1; };
  auto fail = [&](size_t at, std::string message) {
    *error = LexError{line, col(at), std::move(message)};
    out.clear();
    return out;
  };
  auto advance_lines = [&](size_t from, size_t to) {
    for (size_t k = from; k < to; ++k) {
      if (s[k] == '\n') {
        ++line;
        line_start = k + 1;
      }
    }
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
      continue;
    }
    Token t;
    t.line = line;
    t.col = col(i);
    if (s.substr(i, 2) == "//") {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (s.substr(i, 2) == "/*") {
      const size_t end = s.find("*/", i + 2);
      if (end == std::string_view::npos) return fail(i, "unterminated /* comment");
      advance_lines(i, end);
      i = end + 2;
      continue;
    }
    if (s.substr(i, 2) == "%{") {
      const size_t end = s.find("}%", i + 2);
      if (end == std::string_view::npos) return fail(i, "unterminated %{ code block");
      t.kind = Token::Kind::kCode;
      t.text = std::string(s.substr(i + 2, end - i - 2));
      advance_lines(i, end);
      i = end + 2;
      out.push_back(std::move(t));
      continue;
    }
    if (s.substr(i, 2) == "--") {
      size_t end = i;
      while (end < s.size() && std::isspace(static_cast<unsigned char>(s[end])) == 0) ++end;
      t.kind = Token::Kind::kOption;
      t.text = std::string(s.substr(i + 2, end - i - 2));
      i = end;
      out.push_back(std::move(t));
      continue;
    }
    if (s.substr(i, 3) == "...") {
      t.kind = Token::Kind::kEllipsis;
      t.text = "...";
      i += 3;
      out.push_back(std::move(t));
      continue;
    }
    if (c == '`') {
      const size_t end = s.find('`', i + 1);
      if (end == std::string_view::npos) return fail(i, "unterminated backquote");
      t.kind = Token::Kind::kBackquote;
      t.text = std::string(s.substr(i + 1, end - i - 1));
      advance_lines(i, end);
      i = end + 1;
      out.push_back(std::move(t));
      continue;
    }
    if (c == '"') {
      size_t end = i + 1;
      while (end < s.size() && s[end] != '"' && s[end] != '\n') end += s[end] == '\\' ? 2 : 1;
      if (end >= s.size() || s[end] != '"') return fail(i, "unterminated string");
      t.kind = Token::Kind::kString;
      t.text = std::string(s.substr(i + 1, end - i - 1));
      i = end + 1;
      out.push_back(std::move(t));
      continue;
    }
    const bool starts_number =
        std::isdigit(static_cast<unsigned char>(c)) != 0 ||
        (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])) != 0);
    if (starts_number) {
      size_t end = i;
      if (s.substr(i, 2) == "0x" || s.substr(i, 2) == "0X") {
        end = i + 2;
        while (end < s.size() && std::isxdigit(static_cast<unsigned char>(s[end])) != 0) ++end;
        t.kind = Token::Kind::kInteger;
        t.integer = static_cast<int64_t>(
            std::strtoull(std::string(s.substr(i + 2, end - i - 2)).c_str(), nullptr, 16));
      } else {
        while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end])) != 0) ++end;
        const bool fraction =
            end < s.size() && s[end] == '.' && s.substr(end, 3) != "..." &&
            (end + 1 >= s.size() || std::isdigit(static_cast<unsigned char>(s[end + 1])) != 0);
        if (fraction) {
          ++end;
          while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end])) != 0) ++end;
          t.kind = Token::Kind::kFloat;
          t.real = std::strtod(std::string(s.substr(i, end - i)).c_str(), nullptr);
        } else {
          t.kind = Token::Kind::kInteger;
          t.integer = static_cast<int64_t>(
              std::strtoull(std::string(s.substr(i, end - i)).c_str(), nullptr, 10));
        }
      }
      // A number glued to letters (e.g. "3rd") is a word, e.g. hex blobs.
      if (end < s.size() && is_word_char(s[end])) {
        while (end < s.size() && is_word_char(s[end])) ++end;
        t.kind = Token::Kind::kWord;
      }
      t.text = std::string(s.substr(i, end - i));
      i = end;
      out.push_back(std::move(t));
      continue;
    }
    if (is_word_char(c)) {
      size_t end = i;
      while (end < s.size() && is_word_char(s[end])) ++end;
      t.kind = Token::Kind::kWord;
      t.text = std::string(s.substr(i, end - i));
      i = end;
      out.push_back(std::move(t));
      continue;
    }
    static constexpr std::string_view kPunct = "<>:()[]{},=+*~.-|;!";
    if (kPunct.find(c) != std::string_view::npos) {
      t.kind = Token::Kind::kPunct;
      t.text = std::string(1, c);
      ++i;
      out.push_back(std::move(t));
      continue;
    }
    return fail(i, std::string("unexpected character '") + c + "'");
  }
  Token end;
  end.line = line;
  end.col = col(i);
  out.push_back(end);
  return out;
}

}  // namespace tcpfuzz::scenario
