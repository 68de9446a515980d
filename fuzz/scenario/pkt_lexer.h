// Tokens of the packetdrill script language (free-form: newlines carry no
// meaning, comments are // and /* */).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tcpfuzz::scenario {

struct Token {
  enum class Kind : uint8_t {
    kEnd,
    kInteger,    // 42, 0x1f
    kFloat,      // 0.1, .25
    kWord,       // identifiers, flags, option names, symbols
    kString,     // "..."
    kBackquote,  // `command`
    kCode,       // %{ ... }%
    kOption,     // --name or --name=value (whole line fragment)
    kEllipsis,   // ...
    kPunct,      // one of < > : ( ) [ ] { } , = + * ~ . - |
  };
  Kind kind = Kind::kEnd;
  std::string text;
  int64_t integer = 0;
  double real = 0;
  int line = 0;
  int col = 0;

  bool is(char p) const { return kind == Kind::kPunct && text.size() == 1 && text[0] == p; }
  bool is_word(std::string_view w) const { return kind == Kind::kWord && text == w; }
};

struct LexError {
  int line = 0;
  int col = 0;
  std::string message;
};

// Tokenises the whole script; on error, returns the error and no tokens.
std::vector<Token> tokenize(std::string_view text, LexError* error);

}  // namespace tcpfuzz::scenario
