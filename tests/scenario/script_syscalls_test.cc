// Call lines made on the socket-call layer: argument handling, what makes a
// line unsupported or failed, and how results are judged.
#include "fuzz/scenario/script_syscalls.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/scenario_world.h"

namespace tcpfuzz::scenario {
namespace {

using netstack::IpAddress;
using netstack::tcp::SockOpt;

SyscallSpec line(std::string_view text) {
  auto s = parse_script(std::string("0 ") + std::string(text) + "\n", "t.pkt");
  EXPECT_TRUE(s.has_value()) << text;
  if (!s || s->events.empty()) return {};
  return std::get<SyscallSpec>(s->events.front().action);
}

class ScriptSyscallsTest : public ::testing::Test {
 protected:
  IpAddress local_ = *IpAddress::parse(kLocalIpv4);
  ScenarioWorld world_{ScenarioWorld::Options{.local = local_}};
  SocketUnderTest sut_;
  SocketCalls calls_{world_.tcp(), sut_, {local_, *IpAddress::parse(kRemoteIpv4)}};
  EmulatedFiles files_;
  ScriptSyscalls syscalls_{calls_, files_, IpAddress::Family::kV4, world_.clock(),
                           /*tolerance_us=*/4000};
  CallIssues issues_;

  CallOutcome call(std::string_view text) {
    issues_ = {};
    return syscalls_.call(line(text), &issues_);
  }
};

TEST_F(ScriptSyscallsTest, SocketTakesTheDescriptorTheLineNames) {
  const CallOutcome out = call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 5");
  EXPECT_EQ(out.result, 5);
  EXPECT_NE(calls_.endpoint(5), nullptr);
  EXPECT_FALSE(issues_.failure);
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = -1");
  EXPECT_EQ(issues_.failure, "socket: socket() must name its fd as the result");
}

TEST_F(ScriptSyscallsTest, UnknownSymbolsAndCallsAreUnsupported) {
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  call("setsockopt(3, SOL_SOCKET, SO_PRIORITY, [1], 4) = 0");
  EXPECT_EQ(issues_.unsupported, "symbol SO_PRIORITY in setsockopt");
  call("getsockname(3, ..., ...) = 0");
  EXPECT_EQ(issues_.unsupported, "syscall getsockname");
  call("setsockopt(3, SOL_SOCKET, SO_RCVLOWAT, [1], 4) = 0");
  EXPECT_EQ(issues_.unsupported, "setsockopt option SO_RCVLOWAT");
  call("send(3, ..., 10, MSG_PEEK) = 10");
  EXPECT_EQ(issues_.unsupported, "send flags 2");
}

TEST_F(ScriptSyscallsTest, SendfileReadsAnOpenFileFromItsOffset) {
  ASSERT_TRUE(files_.run_command("dd bs=10 count=1 if=/dev/zero of=/tmp/f"));
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  EXPECT_EQ(call("open(\"/tmp/missing\", O_RDONLY) = -1").error, ENOENT);
  EXPECT_EQ(call("open(\"/tmp/f\", O_RDONLY) = 4").result, 4);
  EXPECT_EQ(call("sendfile(3, 9, [0], 5) = -1").error, EBADF);  // 9: no file
  EXPECT_EQ(call("sendfile(3, 4, [10], 5) = 0").result, 0);     // at the end
  call("sendfile(3, 4, NULL, 5) = 5");
  EXPECT_EQ(issues_.unsupported, "sendfile() without an offset");
  EXPECT_EQ(call("close(4) = 0").result, 0);
  EXPECT_FALSE(files_.is_open(4));
}

TEST_F(ScriptSyscallsTest, SpliceJoinsASocketAndAPipeOnly) {
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 4");
  EXPECT_EQ(call("pipe([3, 5]) = 0").error, EBADF);  // 3 is a socket
  call("pipe([5]) = 0");
  EXPECT_EQ(issues_.failure, "pipe: expected pipe([read_fd, write_fd])");
  EXPECT_EQ(call("pipe([5, 6]) = 0").result, 0);
  EXPECT_EQ(call("splice(3, NULL, 4, NULL, 10, 0) = -1").error, EINVAL);  // no pipe
  EXPECT_EQ(call("splice(3, NULL, 9, NULL, 10, 0) = -1").error, EBADF);
  EXPECT_EQ(call("splice(5, NULL, 6, NULL, 10, 0) = -1").error, EINVAL);  // no socket
  EXPECT_EQ(call("splice(3, [0], 6, NULL, 10, 0) = -1 ESPIPE (Illegal seek)").error, ESPIPE);
  EXPECT_FALSE(issues_.failure);
  call("splice(3, NULL, 6, NULL, 10, 64) = 0");
  EXPECT_EQ(issues_.unsupported, "splice flags 64");
  call("read(5, ..., 10) = 0");
  EXPECT_EQ(issues_.unsupported, "read on a pipe");
  EXPECT_EQ(call("close(5) = 0").result, 0);
  EXPECT_EQ(call("close(5) = -1").error, EBADF);
}

TEST_F(ScriptSyscallsTest, TheDescriptorIsLookedUpFirst) {
  EXPECT_EQ(call("getsockname(9, ..., ...) = 0").error, EBADF);
  EXPECT_TRUE(issues_.unsupported.empty());
  EXPECT_EQ(call("write(9, NULL, 10) = -1").error, EBADF);
  call("close(...) = 0");
  EXPECT_EQ(issues_.failure, "close: first argument must be an fd");
}

TEST_F(ScriptSyscallsTest, ANullBufferFaults) {
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  EXPECT_EQ(call("write(3, NULL, 10) = -1 EFAULT").error, EFAULT);
  EXPECT_EQ(call("recv(3, NULL, 10, 0) = -1 EFAULT").error, EFAULT);
}

TEST_F(ScriptSyscallsTest, SetsockoptReadsArraysAndLinger) {
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  EXPECT_EQ(call("setsockopt(3, IPPROTO_TCP, TCP_NODELAY, [1], 4) = 0").result, 0);
  EXPECT_EQ(calls_.get_option(3, SockOpt::kNoDelay).value(), 1);
  call("setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0");
  EXPECT_EQ(calls_.get_option(3, SockOpt::kLinger).value(), 0);
  call("setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=0, linger=9}, 8) = 0");
  EXPECT_EQ(calls_.get_option(3, SockOpt::kLinger).value(), -1);
  call("setsockopt(3, IPPROTO_TCP, TCP_NODELAY, 1, 4) = 0");
  EXPECT_EQ(issues_.unsupported, "setsockopt value form");
  call("setsockopt(3, IPPROTO_TCP, TCP_NODELAY, [1]) = 0");
  EXPECT_EQ(issues_.failure, "setsockopt: expected 5 args");
}

TEST_F(ScriptSyscallsTest, GetsockoptChecksTheValueTheLineStates) {
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  call("setsockopt(3, IPPROTO_TCP, TCP_NODELAY, [1], 4) = 0");
  EXPECT_EQ(call("getsockopt(3, IPPROTO_TCP, TCP_NODELAY, [1], [4]) = 0").result, 0);
  EXPECT_FALSE(issues_.failure);
  call("getsockopt(3, IPPROTO_TCP, TCP_NODELAY, [0], [4]) = 0");
  EXPECT_EQ(issues_.failure, "getsockopt: expected value 0 but got 1");
}

TEST_F(ScriptSyscallsTest, FcntlKeepsONonblock) {
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  EXPECT_EQ(call("fcntl(3, F_GETFL) = 0").result, O_RDWR);
  call("fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
  EXPECT_TRUE(calls_.nonblocking(3));
  EXPECT_EQ(call("fcntl(3, F_GETFL) = 0").result, O_RDWR | O_NONBLOCK);
  call("fcntl(3, 1) = 0");  // F_GETFD
  EXPECT_EQ(issues_.unsupported, "fcntl command");
}

TEST_F(ScriptSyscallsTest, SendmsgSumsItsIovecs) {
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  call("fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
  call("connect(3, ..., ...) = -1 EINPROGRESS");
  // Not connected yet: the point is that the msghdr is read, not its result.
  call("sendmsg(3, {msg_name(...)=..., msg_iov(2)=[{..., 10}, {..., 20}], msg_flags=0}, 0) = 30");
  EXPECT_FALSE(issues_.failure);
  EXPECT_TRUE(issues_.unsupported.empty());
  call("sendmsg(3, {msg_name(...)=..., msg_iov(1)=[{10}], msg_flags=0}, 0) = 10");
  EXPECT_EQ(issues_.failure, "sendmsg: iovec must be {..., length}");
}

TEST(ResultMismatch, ComparesResultAndErrno) {
  EXPECT_EQ(result_mismatch(line("write(3, ..., 10) = 10"), CallOutcome::ok(10)), std::nullopt);
  EXPECT_EQ(result_mismatch(line("write(3, ..., 10) = 10"), CallOutcome::err(EAGAIN)),
            "write: expected result 10 but got -1 EAGAIN");
  EXPECT_EQ(result_mismatch(line("read(3, ..., 10) = -1 EAGAIN"), CallOutcome::err(EAGAIN)),
            std::nullopt);
  EXPECT_EQ(result_mismatch(line("read(3, ..., 10) = -1 EAGAIN"), CallOutcome::err(EINVAL)),
            "read: expected errno EAGAIN but got EINVAL");
  EXPECT_EQ(result_mismatch(line("read(3, ..., 10) = ..."), CallOutcome::err(EINVAL)),
            std::nullopt);
}

TEST(ResultMismatch, DescriptorCallsAcceptAnyDescriptor) {
  EXPECT_EQ(result_mismatch(line("accept(3, ..., ...) = 4"), CallOutcome::ok(9)), std::nullopt);
  EXPECT_EQ(result_mismatch(line("accept(3, ..., ...) = 4"), CallOutcome::err(EAGAIN)),
            "accept: expected result 4 but got -1 EAGAIN");
}

TEST_F(ScriptSyscallsTest, EpollDescriptorsAreTheirOwn) {
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  EXPECT_EQ(call("epoll_create(0) = -1").error, EINVAL);
  EXPECT_EQ(call("epoll_create(1) = 4").result, 4);
  EXPECT_TRUE(calls_.is_epoll(4));
  EXPECT_EQ(call("epoll_ctl(3, EPOLL_CTL_ADD, 3, {events=EPOLLIN, fd=3}) = -1").error, EINVAL);
  EXPECT_EQ(call("epoll_ctl(4, EPOLL_CTL_ADD, 9, {events=EPOLLIN, fd=9}) = -1").error, EBADF);
  EXPECT_EQ(call("epoll_ctl(4, EPOLL_CTL_ADD, 3, {events=EPOLLOUT, fd=3}) = 0").result, 0);
  // An unconnected socket polls writable and hung up (Linux tcp_poll():
  // EPOLLOUT|EPOLLHUP in CLOSE).
  EXPECT_EQ(call("epoll_wait(4, {events=EPOLLOUT|EPOLLHUP, fd=3}, 1, 0) = 1").result, 1);
  EXPECT_EQ(call("epoll_wait(4, {events=0, ptr=0}, 0, 0) = -1").error, EINVAL);
  EXPECT_EQ(call("read(4, ..., 10) = -1").error, EINVAL);
  EXPECT_EQ(call("close(4) = 0").result, 0);
  EXPECT_FALSE(calls_.is_epoll(4));
  EXPECT_EQ(calls_.lowest_free_fd(), 4);
}

TEST_F(ScriptSyscallsTest, IoctlAndErrorQueueOnAFreshSocket) {
  call("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  EXPECT_EQ(call("ioctl(3, SIOCINQ, [0]) = 0").result, 0);
  EXPECT_FALSE(issues_.failure);
  call("ioctl(3, SIOCINQ, [5]) = 0");
  EXPECT_EQ(issues_.failure, "ioctl SIOCINQ: expected 5 but got 0");
  call("ioctl(3, SIOCOUTQNSD, [0]) = 0");
  EXPECT_EQ(issues_.unsupported, "symbol SIOCOUTQNSD in ioctl");
  const CallOutcome out = call(
      "recvmsg(3, {msg_name(...)=..., msg_iov(1)=[{..., 0}], msg_flags=0, msg_control=[]}, "
      "MSG_ERRQUEUE) = -1");
  EXPECT_EQ(out.error, EAGAIN);
}

}  // namespace
}  // namespace tcpfuzz::scenario
