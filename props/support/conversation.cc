#include "props/support/conversation.h"

#include "stack/header/tcp.h"

namespace tcpfuzz::props {

using scenario::CallOp;
using scenario::InjectSegment;
using scenario::SocketCall;
namespace flag = netstack::header::tcp_flag;

void establish_passive(ConnectionUnderTest& c) {
  c.call(SocketCall{CallOp::kListen, 4});
  c.inject(InjectSegment{.flags = flag::kSyn, .window = 65535, .options = 1});
  c.inject(InjectSegment{.flags = flag::kAck, .window = 65535});
  c.call(SocketCall{CallOp::kAccept, 0});
}

void establish_then_peer_fin(ConnectionUnderTest& c) {
  establish_passive(c);
  c.inject(InjectSegment{.flags = flag::kFin | flag::kAck, .window = 65535});
}

}  // namespace tcpfuzz::props
