#include "fuzz/scenario/pkt_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <utility>

#include "fuzz/scenario/icmp_names.h"
#include "fuzz/scenario/pkt_lexer.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::scenario {

std::string ParseError::format(std::string_view path) const {
  return std::string(path) + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " +
         message;
}

namespace {

using netstack::Unexpected;
namespace flag = netstack::header::tcp_flag;

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  bool parse(Scenario& out) {
    while (peek().kind == Token::Kind::kOption) {
      const std::string& o = next().text;
      const size_t eq = o.find('=');
      out.options.emplace_back(o.substr(0, eq), eq == std::string::npos ? "" : o.substr(eq + 1));
    }
    // An optional init command before the first timed event.
    if (peek().kind == Token::Kind::kBackquote) {
      Event e;
      e.line = peek().line;
      e.action = CommandSpec{next().text};
      out.events.push_back(std::move(e));
    }
    while (peek().kind != Token::Kind::kEnd) {
      // An optional cleanup command ends the script.
      if (peek().kind == Token::Kind::kBackquote && peek(1).kind == Token::Kind::kEnd) {
        Event e;
        e.line = peek().line;
        e.time.kind = EventTime::Kind::kAny;
        e.action = CommandSpec{next().text};
        out.events.push_back(std::move(e));
        break;
      }
      if (!parse_event(out)) return false;
    }
    return true;
  }

  ParseError error() const { return error_; }

 private:
  const Token& peek(size_t ahead = 0) const { return t_[std::min(pos_ + ahead, t_.size() - 1)]; }
  const Token& next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }

  bool fail(const Token& at, std::string message) {
    // Something missing at the end of a line is reported where the line
    // ends, not at the start of the next one.
    if (&at == &peek() && pos_ > 0 && t_[pos_ - 1].line < at.line) {
      const Token& last = t_[pos_ - 1];
      const int width = last.kind == Token::Kind::kInteger && last.text.empty()
                            ? static_cast<int>(std::to_string(last.integer).size())
                            : static_cast<int>(std::max<size_t>(last.text.size(), 1));
      error_ = ParseError{last.line, last.col + width, std::move(message)};
      return false;
    }
    error_ = ParseError{at.line, at.col, std::move(message)};
    return false;
  }
  bool expect(char p, const char* what) {
    if (!peek().is(p)) return fail(peek(), std::string("expected ") + what);
    next();
    return true;
  }
  bool expect_integer(int64_t* v, const char* what) {
    if (peek().kind != Token::Kind::kInteger) return fail(peek(), std::string("expected ") + what);
    *v = next().integer;
    return true;
  }
  bool expect_u32(uint32_t* v, const char* what) {
    int64_t x = 0;
    if (!expect_integer(&x, what)) return false;
    if (x < 0 || x > 0xffffffffLL) return fail(t_[pos_ - 1], std::string(what) + " out of range");
    *v = static_cast<uint32_t>(x);
    return true;
  }

  bool parse_seconds(int64_t* us) {
    const Token& tok = peek();
    if (tok.kind == Token::Kind::kInteger) {
      *us = next().integer * 1'000'000;
      return true;
    }
    if (tok.kind == Token::Kind::kFloat) {
      *us = std::llround(next().real * 1e6);
      return true;
    }
    return fail(tok, "expected a time in seconds");
  }

  bool parse_time(EventTime* t) {
    if (peek().is('*')) {
      next();
      t->kind = EventTime::Kind::kAny;
      return true;
    }
    if (peek().is('+')) {
      next();
      t->kind = EventTime::Kind::kRelative;
    }
    if (!parse_seconds(&t->start_us)) return false;
    if (peek().is('~')) {
      next();
      if (peek().is('+')) {
        next();
        t->end_relative = true;
      }
      int64_t end = 0;
      if (!parse_seconds(&end)) return false;
      t->end_us = end;
    }
    return true;
  }

  bool parse_event(Scenario& out) {
    Event e;
    e.line = peek().line;
    const Token& start = peek();
    const bool timed = start.is('+') || start.is('*') || start.kind == Token::Kind::kInteger ||
                       start.kind == Token::Kind::kFloat;
    if (!timed) return fail(start, "expected an event time");
    if (!parse_time(&e.time)) return false;
    const Token& a = peek();
    if (a.is('<') || a.is('>')) {
      PacketSpec p;
      if (!parse_packet(&p, out, e.line)) return false;
      e.action = std::move(p);
    } else if (a.kind == Token::Kind::kBackquote) {
      e.action = CommandSpec{next().text};
    } else if (a.kind == Token::Kind::kCode) {
      e.action = CodeSpec{next().text};
    } else if (a.kind == Token::Kind::kEllipsis ||
               (a.kind == Token::Kind::kWord && peek(1).is('('))) {
      SyscallSpec sc;
      if (!parse_syscall(&sc)) return false;
      e.action = std::move(sc);
    } else {
      return fail(a, "expected a packet, a syscall or a command");
    }
    out.events.push_back(std::move(e));
    return true;
  }

  bool parse_flags(uint8_t* flags) {
    if (peek().is('-')) {
      next();
      return true;
    }
    if (peek().kind == Token::Kind::kWord) {
      for (char c : next().text) {
        switch (c) {
          case 'S':
            *flags |= flag::kSyn;
            break;
          case 'F':
            *flags |= flag::kFin;
            break;
          case 'R':
            *flags |= flag::kRst;
            break;
          case 'P':
            *flags |= flag::kPsh;
            break;
          case 'U':
            *flags |= flag::kUrg;
            break;
          case 'E':
            *flags |= flag::kEce;
            break;
          case 'W':
            *flags |= flag::kCwr;
            break;
          default:
            return fail(t_[pos_ - 1], std::string("unknown TCP flag '") + c + "'");
        }
      }
    }
    if (peek().is('.')) {
      next();
      *flags |= flag::kAck;
    }
    return true;
  }

  bool parse_packet(PacketSpec* p, Scenario& out, int line) {
    p->direction =
        next().is('<') ? PacketSpec::Direction::kInbound : PacketSpec::Direction::kOutbound;
    if (peek().is('[') || peek().is('(')) {
      if (!parse_ip_info(&p->ip, out, line)) return false;
    }
    if (peek().is_word("icmp") || peek().is_word("ICMP")) {
      next();
      return parse_icmp(p, out, line);
    }
    if (peek().is_word("udp") || peek().is_word("UDP")) {
      out.unsupported.push_back({"non-TCP packet (" + peek().text + ")", line});
      while (!(peek().kind == Token::Kind::kEnd) && peek().line == line) next();
      return true;
    }
    if (peek().kind == Token::Kind::kInteger && peek(1).is('>')) {
      const int64_t src = next().integer;
      next();
      int64_t dst = 0;
      if (!expect_integer(&dst, "destination port")) return false;
      if (src < 0 || src > 65535 || dst < 0 || dst > 65535)
        return fail(t_[pos_ - 1], "port out of range");
      p->ports = std::make_pair(static_cast<uint16_t>(src), static_cast<uint16_t>(dst));
    }
    if (!parse_flags(&p->flags)) return false;
    if (!expect_u32(&p->seq_start, "sequence start")) return false;
    if (!expect(':', "':' in start:end(length)")) return false;
    if (!expect_u32(&p->seq_end, "sequence end")) return false;
    if (!expect('(', "'(' before the payload length")) return false;
    if (!expect_u32(&p->payload_length, "payload length")) return false;
    if (!expect(')', "')' after the payload length")) return false;
    if (p->seq_end - p->seq_start != p->payload_length) {
      return fail(t_[pos_ - 1], "payload length does not match end - start");
    }
    while (true) {
      if (peek().is_word("ack")) {
        next();
        uint32_t v = 0;
        if (!expect_u32(&v, "ack number")) return false;
        p->ack = v;
      } else if (peek().is_word("win")) {
        next();
        uint32_t v = 0;
        if (!expect_u32(&v, "window")) return false;
        p->window = v;
      } else if (peek().is_word("urg")) {
        next();
        uint32_t v = 0;
        if (!expect_u32(&v, "urgent pointer")) return false;
        p->urgent = v;
      } else {
        break;
      }
    }
    if (peek().is('<')) {
      next();
      if (peek().kind == Token::Kind::kEllipsis) {
        next();
        p->options.reset();
        return expect('>', "'>' after <...");
      }
      std::vector<OptionSpec> options;
      while (true) {
        OptionSpec o;
        if (!parse_option(&o, out, line)) return false;
        options.push_back(std::move(o));
        if (peek().is(',')) {
          next();
          continue;
        }
        break;
      }
      if (p->direction == PacketSpec::Direction::kOutbound &&
          std::ranges::any_of(
              options, [](const OptionSpec& o) { return o.kind == OptionSpec::Kind::kMd5; })) {
        // The stack holds no TCP_MD5SIG keys, so it never signs.
        out.unsupported.push_back({"outbound TCP-MD5 signature", line});
      }
      p->options = std::move(options);
      return expect('>', "'>' closing the option list");
    }
    return true;
  }

  // packetdrill's opt_ip_info: "[ect0]", "(tos 0x2)", "[ttl 64]",
  // "[ce, flowlabel 0x1]".
  bool parse_ip_info(IpInfo* ip, Scenario& out, int line) {
    const char close = next().is('[') ? ']' : ')';
    using C = IpInfo::TosCheck;
    static constexpr std::pair<std::string_view, uint8_t> kEcn[] = {
        {"noecn", 0}, {"ect1", 1}, {"ect0", 2}, {"ce", 3}};
    const Token& w = peek();
    if (w.kind != Token::Kind::kWord) return fail(w, "expected IP header fields");
    const std::string word = next().text;
    bool tos_given = true;
    if (word == "ect01") {
      ip->check = C::kEct01;
    } else if (word == "tos") {
      int64_t tos = 0;
      if (!expect_integer(&tos, "TOS value")) return false;
      if (tos < 0 || tos > 255) return fail(t_[pos_ - 1], "tos out of range for 8 bits");
      ip->check = C::kTos;
      ip->value = static_cast<uint8_t>(tos);
    } else if (word == "ttl") {
      int64_t ttl = 0;
      if (!expect_integer(&ttl, "TTL")) return false;
      if (ttl < 1 || ttl > 255) return fail(t_[pos_ - 1], "ttl out of range");
      ip->ttl = static_cast<uint8_t>(ttl);
      tos_given = false;
    } else if (word == "flowlabel") {
      --pos_;
      tos_given = false;
    } else {
      const auto* ecn = std::ranges::find(kEcn, std::string_view(word),
                                          &std::pair<std::string_view, uint8_t>::first);
      if (ecn == std::end(kEcn)) return fail(w, "unknown IP header field '" + word + "'");
      ip->check = C::kEcn;
      ip->value = ecn->second;
    }
    if (tos_given && peek().is(',')) next();
    if (peek().is_word("flowlabel")) {
      // IPv6 flow labels are not modelled: the stack sends 0.
      out.unsupported.push_back({"IPv6 flow label", line});
      next();
      if (peek().kind == Token::Kind::kInteger) next();
    }
    return expect(close, "closing bracket of the IP header fields");
  }

  // packetdrill's icmp_packet_spec after "icmp".
  bool parse_icmp(PacketSpec* p, Scenario& out, int line) {
    IcmpSpec icmp;
    const bool v6 = ipv6(out);
    const Token& t = peek();
    if (t.kind != Token::Kind::kWord) return fail(t, "expected an ICMP type");
    icmp.type = next().text;
    const auto type = icmp_type_byte(v6, icmp.type);
    if (!type) {
      // packetdrill's semantic error (e.g. ICMPv6's packet_too_big in an
      // IPv4 run): the line cannot be honoured.
      out.unsupported.push_back(
          {"ICMP type " + icmp.type + (v6 ? " for IPv6" : " for IPv4"), line});
    }
    icmp.type_byte = type.value_or(0);
    if (peek().kind == Token::Kind::kWord && !peek().is_word("mtu") && !peek().is_word("id")) {
      const Token& c = peek();
      icmp.code = next().text;
      // google/packetdrill's run_all.py defines CODE (-D) for IPv4 runs.
      if (icmp.code == "CODE" && !v6) icmp.code = "host_unreachable";
      const auto code = icmp_code_byte(v6, icmp.type, icmp.code);
      if (!code) return fail(c, "bad ICMP code " + icmp.code);
      icmp.code_byte = *code;
    }
    if (peek().is_word("mtu")) {
      next();
      uint32_t mtu = 0;
      if (!expect_u32(&mtu, "MTU")) return false;
      if (type && !icmp_carries_mtu(v6, icmp.type_byte, icmp.code_byte)) {
        return fail(t_[pos_ - 1], v6 ? "ICMPv6 MTU is only valid for packet_too_big-0"
                                     : "ICMPv4 MTU is only valid for unreachable-frag_needed");
      }
      icmp.mtu = mtu;
    }
    if (peek().is_word("id")) {
      out.unsupported.push_back({"ICMP echo id", line});
      next();
      if (peek().kind == Token::Kind::kInteger) next();
    }
    if (peek().is('[')) {
      next();
      if (peek().is_word("udp") || peek().is_word("raw")) {
        out.unsupported.push_back({"ICMP quoting a non-TCP packet", line});
        while (!peek().is(']') && peek().kind != Token::Kind::kEnd) next();
      } else {
        uint32_t end = 0;
        if (!expect_u32(&icmp.quoted_seq, "quoted sequence start") ||
            !expect(':', "':' in start:end(length)") || !expect_u32(&end, "quoted sequence end") ||
            !expect('(', "'(' before the length") ||
            !expect_u32(&icmp.quoted_length, "quoted length") ||
            !expect(')', "')' after the length")) {
          return false;
        }
        if (end - icmp.quoted_seq != icmp.quoted_length) {
          return fail(t_[pos_ - 1], "quoted length does not match end - start");
        }
      }
      if (!expect(']', "']' after the quoted segment")) return false;
    }
    if (p->direction == PacketSpec::Direction::kOutbound) {
      // The stack sends no ICMP (Linux TCP does not either).
      out.unsupported.push_back({"outbound ICMP packet", line});
    }
    p->icmp = std::move(icmp);
    return true;
  }

  bool parse_option(OptionSpec* o, Scenario& out, int line) {
    const Token& w = peek();
    if (w.kind != Token::Kind::kWord) return fail(w, "expected a TCP option");
    const std::string name = next().text;
    using K = OptionSpec::Kind;
    if (name == "nop") {
      o->kind = K::kNop;
    } else if (name == "eol") {
      o->kind = K::kEol;
    } else if (name == "mss") {
      o->kind = K::kMss;
      return expect_u32(&o->value, "MSS value");
    } else if (name == "wscale") {
      o->kind = K::kWindowScale;
      return expect_u32(&o->value, "window scale");
    } else if (name == "sackOK") {
      o->kind = K::kSackPermitted;
    } else if (name == "sack") {
      o->kind = K::kSack;
      while (peek().kind == Token::Kind::kInteger) {
        uint32_t a = 0;
        uint32_t b = 0;
        if (!expect_u32(&a, "SACK block start") || !expect(':', "':' in a SACK block") ||
            !expect_u32(&b, "SACK block end")) {
          return false;
        }
        o->sack_blocks.emplace_back(a, b);
      }
    } else if (name == "TS") {
      o->kind = K::kTimestamp;
      if (!peek().is_word("val")) return fail(peek(), "expected 'val' in TS option");
      next();
      if (!expect_u32(&o->value, "TS val")) return false;
      if (!peek().is_word("ecr")) return fail(peek(), "expected 'ecr' in TS option");
      next();
      return expect_u32(&o->value2, "TS ecr");
    } else if (name == "FO" || name == "FOEXP") {
      o->kind = name == "FO" ? K::kFastOpen : K::kFastOpenExp;
      const Token& v = peek();
      if (v.kind != Token::Kind::kWord && v.kind != Token::Kind::kInteger) return true;
      std::string hex = next().text;
      // google/packetdrill's run_all.py defines TFO_COOKIE (-D) as the cookie
      // Linux makes for its addresses and defaults.sh's key.
      if (hex == "TFO_COOKIE") hex = ipv6(out) ? "c1d1e9742a47a9bc" : "3021b9d889017eeb";
      if (!parse_hex(hex, &o->cookie)) return fail(v, "bad Fast Open cookie '" + hex + "'");
    } else if (name == "md5") {
      // packetdrill: "md5 <hex digest>", 16 bytes.
      o->kind = K::kMd5;
      const Token& v = peek();
      if (v.kind != Token::Kind::kWord && v.kind != Token::Kind::kInteger) {
        return fail(v, "expected an MD5 digest");
      }
      const std::string hex = next().text;
      if (!parse_hex(hex, &o->cookie) || o->cookie.size() != 16) {
        return fail(v, "bad MD5 digest '" + hex + "'");
      }
    } else if (name == "exp" || name == "mptcp") {
      out.unsupported.push_back({"TCP option " + name, line});
      while (!peek().is(',') && !peek().is('>') && peek().kind != Token::Kind::kEnd) next();
      o->kind = K::kNop;
    } else {
      return fail(w, "unknown TCP option '" + name + "'");
    }
    return true;
  }

  static bool ipv6(const Scenario& s) {
    return std::ranges::any_of(
        s.options, [](const auto& o) { return o.first == "ip_version" && o.second == "ipv6"; });
  }

  static bool parse_hex(const std::string& hex, std::vector<uint8_t>* out) {
    if (hex.size() % 2 != 0) return false;
    for (size_t i = 0; i < hex.size(); i += 2) {
      unsigned v = 0;
      const auto r = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
      if (r.ec != std::errc() || r.ptr != hex.data() + i + 2) return false;
      out->push_back(static_cast<uint8_t>(v));
    }
    return true;
  }

  bool parse_expr(Expr* e) {
    const Token& tok = peek();
    if (tok.kind == Token::Kind::kEllipsis) {
      next();
      e->kind = Expr::Kind::kEllipsis;
    } else if (tok.kind == Token::Kind::kInteger) {
      e->kind = Expr::Kind::kInteger;
      e->integer = next().integer;
    } else if (tok.is('-') && peek(1).kind == Token::Kind::kInteger) {
      next();
      e->kind = Expr::Kind::kInteger;
      e->integer = -next().integer;
    } else if (tok.kind == Token::Kind::kString) {
      e->kind = Expr::Kind::kString;
      e->text = next().text;
    } else if (tok.kind == Token::Kind::kWord) {
      e->kind = Expr::Kind::kSymbol;
      e->text = next().text;
      if (peek().is('(')) {  // a function-like expression: htons(8080), inet_addr("...")
        next();
        if (!parse_list(&e->elements, ')')) return false;
      }
    } else if (tok.is('[')) {
      next();
      e->kind = Expr::Kind::kArray;
      if (!parse_list(&e->elements, ']')) return false;
    } else if (tok.is('{')) {
      next();
      e->kind = Expr::Kind::kStruct;
      while (!peek().is('}')) {
        const bool named =
            peek().kind == Token::Kind::kWord && (peek(1).is('=') || peek(1).is('('));
        if (!named) {  // a positional member, e.g. an iovec {..., 40}
          Expr v;
          if (!parse_expr(&v)) return false;
          e->names.emplace_back();
          e->elements.push_back(std::move(v));
        } else {
          e->names.push_back(next().text);
          if (peek().is('(')) {  // e.g. msg_name(...)=...: an annotated field
            next();
            std::vector<Expr> ignored;
            if (!parse_list(&ignored, ')')) return false;
          }
          if (!expect('=', "'=' after a field name")) return false;
          Expr v;
          if (!parse_expr(&v)) return false;
          e->elements.push_back(std::move(v));
        }
        if (peek().is(','))
          next();
        else if (!peek().is('}'))
          return fail(peek(), "expected ',' or '}'");
      }
      next();
    } else {
      return fail(tok, "expected an expression");
    }
    if (peek().is('|')) {
      Expr first = std::move(*e);
      *e = Expr{};
      e->kind = Expr::Kind::kOr;
      e->elements.push_back(std::move(first));
      while (peek().is('|')) {
        next();
        Expr term;
        if (!parse_expr(&term)) return false;
        e->elements.push_back(std::move(term));
      }
    }
    return true;
  }

  bool parse_list(std::vector<Expr>* out, char close) {
    while (!peek().is(close)) {
      Expr e;
      if (!parse_expr(&e)) return false;
      out->push_back(std::move(e));
      if (peek().is(',')) {
        next();
      } else if (!peek().is(close)) {
        return fail(peek(), std::string("expected ',' or '") + close + "'");
      }
    }
    next();
    return true;
  }

  bool parse_syscall(SyscallSpec* sc) {
    if (peek().kind == Token::Kind::kEllipsis) {
      next();
      int64_t end = 0;
      if (!parse_seconds(&end)) return false;
      sc->end_us = end;
    }
    if (peek().kind != Token::Kind::kWord) return fail(peek(), "expected a syscall name");
    sc->name = next().text;
    if (!expect('(', "'(' after the syscall name")) return false;
    if (!parse_list(&sc->args, ')')) return false;
    if (!expect('=', "'= result' after the syscall")) return false;
    if (!parse_expr(&sc->result)) return false;
    if (peek().kind == Token::Kind::kWord && peek().text.size() > 1 && peek().text[0] == 'E') {
      sc->errno_name = next().text;
    }
    if (peek().is('(')) {  // the errno's text, ignored as packetdrill ignores it
      int depth = 0;
      do {
        if (peek().is('(')) ++depth;
        if (peek().is(')')) --depth;
        if (peek().kind == Token::Kind::kEnd) return fail(peek(), "unterminated errno text");
        next();
      } while (depth > 0);
    }
    return true;
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
  ParseError error_;
};

}  // namespace

netstack::Expected<Scenario, ParseError> parse_script(std::string_view text, std::string path) {
  LexError lex_error;
  std::vector<Token> tokens = tokenize(text, &lex_error);
  if (tokens.empty())
    return Unexpected{ParseError{lex_error.line, lex_error.col, lex_error.message}};
  Scenario s;
  s.path = std::move(path);
  Parser p(std::move(tokens));
  if (!p.parse(s)) return Unexpected{p.error()};
  return s;
}

netstack::Expected<Scenario, std::string> parse_script_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Unexpected{path + ": cannot open"};
  std::stringstream text;
  text << in.rdbuf();
  auto scenario = parse_script(text.str(), path);
  if (!scenario) return Unexpected{scenario.error().format(path)};
  return std::move(*scenario);
}

}  // namespace tcpfuzz::scenario
