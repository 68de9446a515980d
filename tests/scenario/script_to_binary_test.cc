// Scripts as binary scenarios: the conversation's shape survives.
#include "fuzz/scenario/script_to_binary.h"

#include <gtest/gtest.h>

#include "fuzz/scenario/pkt_parser.h"

namespace tcpfuzz::scenario {
namespace {

std::vector<BinaryEvent> convert(const std::string& text) {
  auto s = parse_script(text, "t.pkt");
  EXPECT_TRUE(s.has_value());
  return s ? script_to_binary(*s) : std::vector<BinaryEvent>{};
}

TEST(ScriptToBinary, PassiveOpenDataAndClose) {
  const auto events = convert(
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0 bind(3, ..., ...) = 0\n"
      "+0 listen(3, 2) = 0\n"
      "+0 < S 0:0(0) win 1000 <mss 1460,nop,wscale 7>\n"
      "+0 > S. 0:0(0) ack 1 <...>\n"
      "+.25 < . 1:1(0) ack 1 win 500\n"
      "+0 accept(3, ..., ...) = 4\n"
      "+0 < P. 1:11(10) ack 1 win 500\n"
      "+0 recv(4, ..., 100, MSG_PEEK) = 10\n"
      "+0 send(4, ..., 20, MSG_MORE) = 20\n"
      "+0 < . 11:11(0) ack 5 win 500\n"
      "+0 close(4) = 0\n"
      "+0 close(3) = 0\n");
  const std::vector<BinaryEvent> want{
      SocketCall{CallOp::kListen, 2},
      InjectSegment{.flags = 0x02, .window = 1000, .options = 1 | 2},
      AdvanceClock{250},
      InjectSegment{.flags = 0x10, .window = 500},
      SocketCall{CallOp::kAccept, 0},
      InjectSegment{.flags = 0x18, .window = 500, .payload = 10},
      SocketCall{CallOp::kRead, 100 | 1},       // odd: MSG_PEEK
      SocketCall{CallOp::kWrite, 20 | 0x8000},  // MSG_MORE
      // 11 is the peer's next byte; ack 5 is 4 past the stack's SYN-ACK.
      InjectSegment{.flags = 0x10, .ack_delta = 4, .window = 500},
      SocketCall{CallOp::kClose, 0},  // the listener's close has no op
  };
  EXPECT_EQ(encode_binary(events), encode_binary(want));
}

TEST(ScriptToBinary, OutOfOrderSegmentKeepsItsDeltaAndLongWaitsSplit) {
  const auto events = convert(
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
      "+0 > S 0:0(0) <...>\n"
      "+0 < S. 0:0(0) ack 1 win 100\n"
      "+0 > . 1:1(0) ack 1 <...>\n"
      "+100 < . 1001:1101(100) ack 1 win 100\n");
  const std::vector<BinaryEvent> want{
      SocketCall{CallOp::kConnect, 0},
      InjectSegment{.flags = 0x12, .window = 100},
      AdvanceClock{65535},
      AdvanceClock{100000 - 65535},
      InjectSegment{.flags = 0x10, .seq_delta = 1000, .window = 100, .payload = 100},
  };
  EXPECT_EQ(encode_binary(events), encode_binary(want));
}

}  // namespace
}  // namespace tcpfuzz::scenario
