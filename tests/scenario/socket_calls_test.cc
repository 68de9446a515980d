// The socket-call layer both runners share: descriptors, blocking, errnos.
#include "fuzz/scenario/socket_calls.h"

#include <gtest/gtest.h>
#include <poll.h>

#include "fuzz/scenario/scenario_world.h"

namespace tcpfuzz::scenario {
namespace {

using netstack::IpAddress;
using netstack::tcp::SockOpt;

class SocketCallsTest : public ::testing::Test {
 protected:
  IpAddress local_ = *IpAddress::parse(kLocalIpv4);
  ScenarioWorld world_{ScenarioWorld::Options{.local = local_}};
  SocketUnderTest sut_;
  SocketCalls calls_{world_.tcp(), sut_, {local_, *IpAddress::parse(kRemoteIpv4)}};

  int open() {
    const int fd = calls_.lowest_free_fd();
    EXPECT_EQ(calls_.socket(fd, IpAddress::Family::kV4).result, fd);
    return fd;
  }
};

TEST_F(SocketCallsTest, DescriptorsAreNumberedLowestFreeFromThree) {
  EXPECT_EQ(open(), 3);
  EXPECT_EQ(open(), 4);
  EXPECT_EQ(calls_.close(3).result, 0);
  EXPECT_EQ(calls_.lowest_free_fd(), 3);
  EXPECT_EQ(calls_.endpoint(3), nullptr);
  EXPECT_NE(calls_.endpoint(4), nullptr);
}

TEST_F(SocketCallsTest, ForgetAllFreesEveryDescriptorEpollsToo) {
  // A runner reset between fuzz inputs calls forget_all(): the next input
  // must number its descriptors from 3 again.
  EXPECT_EQ(open(), 3);
  EXPECT_EQ(calls_.epoll_create(4).result, 4);
  EXPECT_EQ(calls_.lowest_free_fd(), 5);
  calls_.forget_all();
  EXPECT_EQ(calls_.lowest_free_fd(), 3);
  EXPECT_EQ(calls_.endpoint(3), nullptr);
}

TEST_F(SocketCallsTest, ClosedDescriptorsAreBad) {
  const int fd = open();
  calls_.close(fd);
  for (const CallOutcome& out : {calls_.bind(fd), calls_.listen(fd, 1), calls_.connect(fd),
                                 calls_.read(fd, 1, false, false), calls_.write(fd, 1, {}, false),
                                 calls_.close(fd), calls_.set_option(fd, SockOpt::kNoDelay, 1)}) {
    EXPECT_FALSE(out.would_block);
    EXPECT_EQ(out.result, -1);
    EXPECT_EQ(out.error, EBADF);
  }
  EXPECT_EQ(calls_.poll(fd), POLLNVAL);
}

TEST_F(SocketCallsTest, ListenMakesTheSocketUnderTestPassive) {
  const int fd = open();
  EXPECT_EQ(sut_.phase, SocketUnderTest::Phase::kNew);
  EXPECT_EQ(calls_.bind(fd).result, 0);
  EXPECT_EQ(calls_.listen(fd, 4).result, 0);
  EXPECT_EQ(sut_.phase, SocketUnderTest::Phase::kListening);
  EXPECT_EQ(sut_.local_port, kDefaultBindPort);
  EXPECT_EQ(calls_.newest_socket(), calls_.endpoint(fd)->id());
}

TEST_F(SocketCallsTest, NonBlockingConnectReturnsInProgress) {
  const int fd = open();
  calls_.set_nonblocking(fd, true);
  EXPECT_TRUE(calls_.nonblocking(fd));
  const CallOutcome out = calls_.connect(fd);
  EXPECT_FALSE(out.would_block);
  EXPECT_EQ(out.error, EINPROGRESS);
  EXPECT_EQ(sut_.phase, SocketUnderTest::Phase::kConnecting);
  // A second connect() while the handshake runs: EALREADY, as Linux says.
  EXPECT_EQ(calls_.connect(fd).error, EALREADY);
}

TEST_F(SocketCallsTest, BlockingConnectWaitsForTheHandshakeToEnd) {
  const int fd = open();
  EXPECT_TRUE(calls_.connect(fd).would_block);
  EXPECT_TRUE(calls_.connect(fd).would_block);  // still SYN-SENT
  // Nobody answers: the SYN retries run out and connect() returns the error.
  for (int i = 0; i < 100 && world_.clock().run_next(); ++i) {
  }
  const CallOutcome out = calls_.connect(fd);
  EXPECT_FALSE(out.would_block);
  EXPECT_EQ(out.result, -1);
  EXPECT_EQ(out.error, ETIMEDOUT);
}

TEST_F(SocketCallsTest, ReadingNothingBlocksOnlyABlockingSocket) {
  const int fd = open();
  calls_.set_nonblocking(fd, true);
  calls_.connect(fd);
  EXPECT_EQ(calls_.read(fd, 10, false, false).error, EAGAIN);
  calls_.set_nonblocking(fd, false);
  EXPECT_TRUE(calls_.read(fd, 10, false, false).would_block);
  EXPECT_EQ(calls_.read(fd, 10, false, /*dontwait=*/true).error, EAGAIN);
}

TEST_F(SocketCallsTest, OptionsAreSetAndRead) {
  const int fd = open();
  EXPECT_EQ(calls_.set_option(fd, SockOpt::kNoDelay, 1).result, 0);
  auto value = calls_.get_option(fd, SockOpt::kNoDelay);
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, 1);
}

TEST_F(SocketCallsTest, AdoptedConnectionsBecomeTheNewestSocket) {
  const int listener = open();
  calls_.bind(listener);
  calls_.listen(listener, 1);
  calls_.set_nonblocking(listener, true);
  netstack::tcp::EndpointId accepted = netstack::tcp::kNoEndpoint;
  const CallOutcome out = calls_.accept(listener, &accepted);
  EXPECT_EQ(out.error, EAGAIN);  // nothing to accept yet
  EXPECT_EQ(accepted, netstack::tcp::kNoEndpoint);
  const netstack::tcp::EndpointId other = world_.tcp().open(IpAddress::Family::kV4);
  calls_.adopt(7, other);
  EXPECT_EQ(calls_.newest_socket(), other);
  EXPECT_NE(calls_.endpoint(7), nullptr);
}

}  // namespace
}  // namespace tcpfuzz::scenario
