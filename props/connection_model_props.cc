// Model-based testing of the TCP state machine (rc::state): arbitrary
// sequences of socket calls, peer segments and clock steps, on the
// listening side and on the connecting side. After every step the stack's
// reply class and state must be what the model (props/model/) says RFC
// 9293, RFC 5961 and Linux require. A failure shrinks to a short sequence
// and prints it as a script with the stack's trace.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <optional>
#include <sstream>

#include "props/gen/tcp_gen.h"
#include "props/model/connection_model.h"
#include "props/support/connection_under_test.h"

namespace tcpfuzz::props {
namespace {

using netstack::tcp::State;
using netstack::tcp::Verdict;
using scenario::CallOp;
using scenario::InjectSegment;
using scenario::SocketCall;
namespace flag = netstack::header::tcp_flag;

enum class Role : uint8_t { kListener, kConnector };

struct World {
  Role role = Role::kListener;
  ConnectionModel connection;
  bool child_seen = false;  // the listener has had its one connection
  bool accepted = false;
};

struct Sut {
  ConnectionUnderTest c;
};

// A command whose run() checks the stack against the model after the step:
// `want` and the state apply() leads to.
struct Step : rc::state::Command<World, Sut> {
  virtual std::string describe(const std::optional<World>& before) const = 0;
  // Shown in rapidcheck's list of commands (no model state at hand there).
  void show(std::ostream& o) const override { o << describe(std::nullopt); }
  void verify(const World& before, Sut& sut, Reply want, Reply got) const;
  // For calls and clock steps, which get no reply: the state alone.
  void verify_state(const World& before, Sut& sut) const;
};

// The reply class the stack's verdict and segments show.
Reply classify(const StepObserved& o) {
  if (o.sent_rst()) return Reply::kReset;
  if (!o.verdict) return Reply::kSilentDrop;
  switch (*o.verdict) {
    case Verdict::kAccepted:
    case Verdict::kSynQueued:
      return Reply::kAccept;
    case Verdict::kResetAccepted:
      return Reply::kResetAccepted;
    case Verdict::kChallengeAck:
    case Verdict::kAckOfUnsentData:
      return o.sent_ack_only() ? Reply::kChallengeAck : Reply::kSilentDrop;
    case Verdict::kOutOfWindow:
      return o.sent_ack_only() ? Reply::kAckAndDrop : Reply::kSilentDrop;
    default:
      return Reply::kSilentDrop;
  }
}

std::string state_name(State s) {
  return std::string(netstack::tcp::to_string(s));
}

// Fails the property with the run as a script and the trace.
// `want` and `got` are the reply classes (none for steps without a reply).
void expect(Sut& sut, const std::string& step, std::optional<Reply> want, std::optional<Reply> got,
            State want_state) {
  const State got_state = sut.c.state();
  if (want == got && want_state == got_state) return;
  std::ostringstream o;
  o << step << ": the model expects ";
  if (want) o << *want << " and ";
  o << state_name(want_state) << "; the stack ";
  if (got) o << "gave " << *got << " and ";
  o << "is " << state_name(got_state);
  RC_FAIL(o.str() + "\n" + sut.c.report(o.str()));
}

void Step::verify(const World& before, Sut& sut, Reply want, Reply got) const {
  World after = before;
  apply(after);
  expect(sut, describe(before), want, got, after.connection.state);
}

void Step::verify_state(const World& before, Sut& sut) const {
  World after = before;
  apply(after);
  expect(sut, describe(before), std::nullopt, std::nullopt, after.connection.state);
}

InjectSegment segment(uint8_t flags, uint8_t payload = 0) {
  return InjectSegment{.flags = flags, .window = 65535, .payload = payload, .options = 1};
}

struct PeerSyn final : Step {
  void checkPreconditions(const World& w) const override {
    RC_PRE((w.role == Role::kListener && !w.child_seen) ||
           (w.role == Role::kConnector && w.connection.state == State::kSynSent));
  }
  void apply(World& w) const override {
    w.child_seen = true;
    w.connection.state = State::kSynRcvd;  // passive open, or simultaneous open
  }
  void run(const World& w, Sut& sut) const override {
    verify(w, sut, Reply::kAccept, classify(sut.c.inject(segment(flag::kSyn))));
  }
  std::string describe(const std::optional<World>&) const override { return "peer SYN"; }
};

struct PeerSynAck final : Step {
  bool good_ack = *rc::gen::weightedElement<bool>({{4, true}, {1, false}});
  void checkPreconditions(const World& w) const override {
    RC_PRE(w.role == Role::kConnector && w.connection.state == State::kSynSent);
  }
  void apply(World& w) const override {
    if (good_ack) w.connection.state = State::kEstablished;
  }
  void run(const World& w, Sut& sut) const override {
    const netstack::tcp::Endpoint* ep = sut.c.connection();
    RC_ASSERT(ep != nullptr);
    const uint32_t ack = ep->info().snd_max + (good_ack ? 0 : 1000);
    const Reply got = classify(
        sut.c.inject_at(segment(flag::kSyn | flag::kAck), sut.c.runner().peer_next(), ack));
    // RFC 9293 3.10.7.3: an unacceptable ACK in SYN-SENT draws a RST.
    verify(w, sut, good_ack ? Reply::kAccept : Reply::kReset, got);
  }
  std::string describe(const std::optional<World>&) const override {
    return good_ack ? "peer SYN-ACK" : "peer SYN-ACK, bad ACK";
  }
};

struct PeerRstInSynSent final : Step {
  bool with_ack = *rc::gen::arbitrary<bool>();
  void checkPreconditions(const World& w) const override {
    RC_PRE(w.role == Role::kConnector && w.connection.state == State::kSynSent);
  }
  void apply(World& w) const override {
    if (with_ack) w.connection.state = State::kClosed;
  }
  void run(const World& w, Sut& sut) const override {
    // RFC 9293 3.10.7.3: a RST counts only with an acceptable ACK.
    const netstack::tcp::Endpoint* ep = sut.c.connection();
    RC_ASSERT(ep != nullptr);
    const Reply got =
        classify(sut.c.inject_at(segment(with_ack ? flag::kRst | flag::kAck : flag::kRst),
                                 sut.c.runner().peer_next(), ep->info().snd_max));
    verify(w, sut, with_ack ? Reply::kResetAccepted : Reply::kSilentDrop, got);
  }
  std::string describe(const std::optional<World>&) const override {
    return with_ack ? "peer RST-ACK in SYN-SENT" : "peer RST in SYN-SENT";
  }
};

struct PeerHandshakeAck final : Step {
  void checkPreconditions(const World& w) const override {
    RC_PRE(w.connection.state == State::kSynRcvd);
  }
  void apply(World& w) const override { w.connection.state = State::kEstablished; }
  void run(const World& w, Sut& sut) const override {
    verify(w, sut, Reply::kAccept, classify(sut.c.inject(segment(flag::kAck))));
  }
  std::string describe(const std::optional<World>&) const override {
    return "peer ACK of the SYN-ACK";
  }
};

struct Accept final : Step {
  void checkPreconditions(const World& w) const override {
    RC_PRE(w.role == Role::kListener && w.child_seen && !w.accepted &&
           w.connection.state != State::kSynRcvd && w.connection.state != State::kClosed);
  }
  void apply(World& w) const override { w.accepted = true; }
  void run(const World& w, Sut& sut) const override {
    sut.c.call(SocketCall{CallOp::kAccept, 0});
    verify_state(w, sut);
  }
  std::string describe(const std::optional<World>&) const override { return "accept()"; }
};

struct Close final : Step {
  void checkPreconditions(const World& w) const override {
    const State s = w.connection.state;
    const bool open = s == State::kEstablished || s == State::kCloseWait ||
                      (s == State::kSynSent && w.role == Role::kConnector);
    RC_PRE(open && !w.connection.user_closed && (w.role == Role::kConnector || w.accepted));
  }
  void apply(World& w) const override { w.connection.close(); }
  void run(const World& w, Sut& sut) const override {
    sut.c.call(SocketCall{CallOp::kClose, 0});
    verify_state(w, sut);
  }
  std::string describe(const std::optional<World>&) const override { return "close()"; }
};

struct Read final : Step {
  void checkPreconditions(const World& w) const override {
    RC_PRE(!w.connection.user_closed && (w.role == Role::kConnector || w.accepted));
  }
  void apply(World& w) const override { w.connection.read_all(); }
  void run(const World& w, Sut& sut) const override {
    sut.c.call(SocketCall{CallOp::kRead, 60000});
    verify_state(w, sut);
  }
  std::string describe(const std::optional<World>&) const override { return "read()"; }
};

struct PeerSegment final : Step {
  SegmentKind kind = *gen::segment_kind();
  Placement placement = *gen::placement();
  uint32_t choice = *gen::whole_range(rc::gen::arbitrary<uint32_t>());

  void checkPreconditions(const World& w) const override {
    RC_PRE(w.connection.covers(kind, placement));
  }
  void apply(World& w) const override { w.connection.receive(kind, placement); }
  void run(const World& w, Sut& sut) const override {
    const netstack::tcp::Endpoint* ep = sut.c.connection();
    RC_ASSERT(ep != nullptr);
    const netstack::tcp::TcpInfo info = ep->info();
    InjectSegment s = segment(flag::kAck);
    uint32_t ack = info.snd_max;
    switch (kind) {
      case SegmentKind::kRst:
        s.flags = flag::kRst;
        break;
      case SegmentKind::kSyn:
        s.flags = flag::kSyn;
        break;
      case SegmentKind::kAck:
        break;
      case SegmentKind::kData:
        s.flags = flag::kAck | flag::kPsh;
        s.payload = 100;
        break;
      case SegmentKind::kFin:
        s.flags = flag::kFin | flag::kAck;
        break;
      case SegmentKind::kAckOfUnsent:
        ack += 1000;
        break;
    }
    const Reply got = classify(sut.c.inject_at(s, gen::live_seq(info, placement, choice), ack));
    World model = w;
    verify(w, sut, model.connection.receive(kind, placement), got);
  }
  std::string describe(const std::optional<World>& before) const override {
    return "peer " + std::string(to_string(kind)) + " at " + std::string(to_string(placement)) +
           (before ? " in " + state_name(before->connection.state) : "");
  }
};

struct Advance final : Step {
  uint16_t ms = *gen::clock_jump();
  void apply(World& w) const override { w.connection.advance(ms); }
  void run(const World& w, Sut& sut) const override {
    sut.c.advance(std::chrono::milliseconds(ms));
    // Every step is far shorter than the timers that change states here.
    verify_state(w, sut);
  }
  std::string describe(const std::optional<World>&) const override {
    return "clock +" + std::to_string(ms) + " ms";
  }
};

// Command sequences at 40 % of rapidcheck's size (at most 40 at the
// default max_size 100): enough to get anywhere, while the clock jumps add
// up to far less than the timers that change states here (a minute).
constexpr double kSequenceScale = 0.4;

template <class... Commands>
void check_from(Role role) {
  Sut sut;
  World world;
  world.role = role;
  if (role == Role::kListener) {
    sut.c.call(SocketCall{CallOp::kListen, 4});
  } else {
    sut.c.call(SocketCall{CallOp::kConnect, 0});
    world.connection.state = State::kSynSent;
  }
  const auto commands = *rc::gen::scale(
      kSequenceScale,
      rc::state::gen::commands(world, rc::state::gen::execOneOfWithArgs<Commands...>()));
  rc::state::runAll(commands, world, sut);
}

RC_GTEST_PROP(ConnectionModel, ListenerSideFollowsTheModel, ()) {
  check_from<PeerSyn, PeerHandshakeAck, Accept, Read, Close, PeerSegment, PeerSegment, PeerSegment,
             Advance>(Role::kListener);
}

RC_GTEST_PROP(ConnectionModel, ConnectingSideFollowsTheModel, ()) {
  check_from<PeerSynAck, PeerSyn, PeerRstInSynSent, PeerHandshakeAck, Read, Close, PeerSegment,
             PeerSegment, PeerSegment, Advance>(Role::kConnector);
}

}  // namespace
}  // namespace tcpfuzz::props
