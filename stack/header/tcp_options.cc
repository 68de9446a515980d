#include "stack/header/tcp_options.h"

#include <algorithm>

#include "stack/header/byte_order.h"
#include "stack/header/tcp.h"

namespace netstack::header {

namespace {

constexpr uint8_t kMssLength = 4;
constexpr uint8_t kWindowScaleLength = 3;
constexpr uint8_t kSackPermittedLength = 2;
constexpr uint8_t kTimestampsLength = 10;
constexpr uint8_t kSackBaseLength = 2;
constexpr uint8_t kSackPerBlock = 8;
constexpr uint8_t kFastOpenBaseLength = 2;
constexpr uint8_t kExperimentalFastOpenBaseLength = 4;

// Linux tcp_parse_fastopen_option(): `cookie` is what follows the option's
// header.
void parse_fast_open(std::span<const uint8_t> cookie, bool experimental,
                     std::optional<FastOpenCookie>* out) {
  if (cookie.size() % 2 != 0) return;
  if (!cookie.empty() &&
      (cookie.size() < FastOpenCookie::kMinLength || cookie.size() > FastOpenCookie::kMaxLength)) {
    out->reset();
    return;
  }
  FastOpenCookie c;
  c.length = static_cast<uint8_t>(cookie.size());
  c.experimental = experimental;
  std::ranges::copy(cookie, c.bytes.begin());
  *out = c;
}

size_t fast_open_length(const FastOpenCookie& c) {
  return (c.experimental ? kExperimentalFastOpenBaseLength : kFastOpenBaseLength) + c.length;
}

}  // namespace

bool TcpOptions::operator==(const TcpOptions& o) const {
  return mss == o.mss && window_scale == o.window_scale && sack_permitted == o.sack_permitted &&
         timestamps == o.timestamps && std::ranges::equal(sacks(), o.sacks()) &&
         fast_open == o.fast_open && md5_signature == o.md5_signature;
}

TcpOptions parse_tcp_options(std::span<const uint8_t> bytes) {
  TcpOptions out;
  size_t i = 0;
  while (i < bytes.size()) {
    const uint8_t kind = bytes[i];
    if (kind == tcp_option::kEol) break;
    if (kind == tcp_option::kNop) {
      ++i;
      continue;
    }
    const size_t remaining = bytes.size() - i;
    if (remaining < 2) break;
    const uint8_t length = bytes[i + 1];
    if (length < 2 || length > remaining) break;
    const uint8_t* body = &bytes[i + 2];
    switch (kind) {
      case tcp_option::kMss:
        if (length == kMssLength) {
          const uint16_t mss = load_be16(body);
          if (mss != 0) out.mss = mss;  // Linux: a zero MSS is ignored
        }
        break;
      case tcp_option::kWindowScale:
        if (length == kWindowScaleLength) out.window_scale = std::min(body[0], kMaxWindowScale);
        break;
      case tcp_option::kSackPermitted:
        if (length == kSackPermittedLength) out.sack_permitted = true;
        break;
      case tcp_option::kTimestamps:
        if (length == kTimestampsLength)
          out.timestamps = Timestamps{load_be32(body), load_be32(body + 4)};
        break;
      case tcp_option::kSack:
        if (length >= kSackBaseLength + kSackPerBlock &&
            (length - kSackBaseLength) % kSackPerBlock == 0) {
          out.sack_block_count = 0;
          for (size_t b = 0; b < (size_t{length} - kSackBaseLength) / kSackPerBlock; ++b) {
            out.add_sack({load_be32(body + b * 8), load_be32(body + b * 8 + 4)});
          }
        }
        break;
      case tcp_option::kMd5Signature:
        if (length == 2 + kMd5SignatureLength) {
          std::array<uint8_t, kMd5SignatureLength> signature{};
          std::copy_n(body, signature.size(), signature.begin());
          out.md5_signature = signature;
        }
        break;
      case tcp_option::kFastOpen:
        parse_fast_open({body, length - size_t{kFastOpenBaseLength}}, false, &out.fast_open);
        break;
      case tcp_option::kExperimental:
        if (length >= kExperimentalFastOpenBaseLength &&
            load_be16(body) == tcp_option::kFastOpenMagic) {
          parse_fast_open({body + 2, length - size_t{kExperimentalFastOpenBaseLength}}, true,
                          &out.fast_open);
        }
        break;
      default:
        break;  // unknown: skipped by its length
    }
    i += length;
  }
  return out;
}

size_t tcp_options_size(const TcpOptions& o) {
  size_t n = 0;
  if (o.md5_signature) n += 4 + kMd5SignatureLength;
  if (o.mss) n += 4;
  if (o.timestamps || o.sack_permitted) n += 4;  // SACK-perm+TS share the NOP padding
  if (o.timestamps) n += 8;
  if (o.window_scale) n += 4;
  if (o.sack_block_count > 0) n += 4 + size_t{o.sack_block_count} * kSackPerBlock;
  if (o.fast_open) n += (fast_open_length(*o.fast_open) + 3) & ~size_t{3};
  return n;
}

std::optional<size_t> write_tcp_options(std::span<uint8_t> out, const TcpOptions& o) {
  const size_t size = tcp_options_size(o);
  if (size > kTcpMaxOptionsLength || size > out.size()) return std::nullopt;
  uint8_t* p = out.data();
  if (o.md5_signature) {
    // Linux tcp_options_write() puts it first: NOP, NOP, kind 19, length 18.
    *p++ = tcp_option::kNop;
    *p++ = tcp_option::kNop;
    *p++ = tcp_option::kMd5Signature;
    *p++ = 2 + kMd5SignatureLength;
    p = std::copy(o.md5_signature->begin(), o.md5_signature->end(), p);
  }
  if (o.mss) {
    *p++ = tcp_option::kMss;
    *p++ = kMssLength;
    store_be16(p, *o.mss);
    p += 2;
  }
  if (o.timestamps) {
    if (o.sack_permitted) {
      *p++ = tcp_option::kSackPermitted;
      *p++ = kSackPermittedLength;
    } else {
      *p++ = tcp_option::kNop;
      *p++ = tcp_option::kNop;
    }
    *p++ = tcp_option::kTimestamps;
    *p++ = kTimestampsLength;
    store_be32(p, o.timestamps->value);
    store_be32(p + 4, o.timestamps->echo_reply);
    p += 8;
  } else if (o.sack_permitted) {
    *p++ = tcp_option::kNop;
    *p++ = tcp_option::kNop;
    *p++ = tcp_option::kSackPermitted;
    *p++ = kSackPermittedLength;
  }
  if (o.window_scale) {
    *p++ = tcp_option::kNop;
    *p++ = tcp_option::kWindowScale;
    *p++ = kWindowScaleLength;
    *p++ = *o.window_scale;
  }
  if (o.sack_block_count > 0) {
    *p++ = tcp_option::kNop;
    *p++ = tcp_option::kNop;
    *p++ = tcp_option::kSack;
    *p++ = static_cast<uint8_t>(kSackBaseLength + o.sack_block_count * kSackPerBlock);
    for (const SackBlock& b : o.sacks()) {
      store_be32(p, b.start);
      store_be32(p + 4, b.end);
      p += 8;
    }
  }
  if (o.fast_open) {
    const size_t length = fast_open_length(*o.fast_open);
    if (o.fast_open->experimental) {
      *p++ = tcp_option::kExperimental;
      *p++ = static_cast<uint8_t>(length);
      store_be16(p, tcp_option::kFastOpenMagic);
      p += 2;
    } else {
      *p++ = tcp_option::kFastOpen;
      *p++ = static_cast<uint8_t>(length);
    }
    p = std::ranges::copy(o.fast_open->value(), p).out;
    for (size_t pad = length; pad % 4 != 0; ++pad) *p++ = tcp_option::kNop;
  }
  return static_cast<size_t>(p - out.data());
}

}  // namespace netstack::header
