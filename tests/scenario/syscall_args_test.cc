// Reading a call line's arguments, and the one socket-option table.
#include "fuzz/scenario/syscall_args.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "fuzz/scenario/linux_symbols.h"

namespace tcpfuzz::scenario {
namespace {

using netstack::tcp::SockOpt;

TEST(SyscallArgs, NumbersConstantsAndErrnosEvaluate) {
  EXPECT_EQ(evaluate(Expr::number(42)), 42);
  EXPECT_EQ(evaluate(Expr::symbol("MSG_PEEK")), MSG_PEEK);
  EXPECT_EQ(evaluate(Expr::symbol("EAGAIN")), EAGAIN);
  EXPECT_EQ(evaluate(Expr::symbol("NO_SUCH_THING")), std::nullopt);
}

TEST(SyscallArgs, OrsAndOneElementArraysEvaluate) {
  EXPECT_EQ(evaluate(Expr::any_of({Expr::symbol("O_RDWR"), Expr::symbol("O_NONBLOCK")})),
            O_RDWR | O_NONBLOCK);
  EXPECT_EQ(evaluate(Expr::any_of({Expr::number(1), Expr::symbol("NOPE")})), std::nullopt);
  EXPECT_EQ(evaluate(Expr::array({Expr::number(7)})), 7);
  EXPECT_EQ(evaluate(Expr::array({Expr::number(1), Expr::number(2)})), std::nullopt);
  EXPECT_EQ(evaluate(Expr::ellipsis()), std::nullopt);
  EXPECT_EQ(evaluate(Expr::fields({"onoff"}, {Expr::number(1)})), std::nullopt);
}

TEST(SyscallArgs, UnknownSymbolsAreFoundAnywhereButFieldNames) {
  EXPECT_EQ(unknown_symbol(Expr::symbol("SO_PRIORITY")), "SO_PRIORITY");
  const Expr nested = Expr::array({Expr::fields(
      {"fd", "events"},
      {Expr::number(3), Expr::any_of({Expr::symbol("POLLIN"), Expr::symbol("POLLFOO")})})});
  EXPECT_EQ(unknown_symbol(nested), "POLLFOO");
  EXPECT_EQ(unknown_symbol(Expr::fields({"whatever"}, {Expr::number(1)})), std::nullopt);
  EXPECT_EQ(unknown_symbol(Expr::symbol("ECONNRESET")), std::nullopt);
}

TEST(SyscallArgs, StructFieldsReadByName) {
  const Expr linger = Expr::fields({"onoff", "linger"}, {Expr::number(1), Expr::number(30)});
  EXPECT_EQ(struct_field(linger, "onoff", -1), 1);
  EXPECT_EQ(struct_field(linger, "linger", -1), 30);
  EXPECT_EQ(struct_field(linger, "absent", -1), -1);
  const Expr unknown = Expr::fields({"fd"}, {Expr::ellipsis()});
  EXPECT_EQ(struct_field(unknown, "fd", -1), 0);  // present but not a number
}

TEST(SocketOptionTable, EveryOptionHasItsNamesBothWays) {
  for (int i = 0; i <= static_cast<int>(SockOpt::kSynCnt); ++i) {
    const auto option = static_cast<SockOpt>(i);
    const SocketOptionName name = socket_option_name(option);
    ASSERT_NE(name.name, "?") << i;
    const auto level = symbol_value(name.level);
    const auto value = symbol_value(name.name);
    ASSERT_TRUE(level && value) << name.level << " " << name.name;
    EXPECT_EQ(socket_option(*level, *value), option) << name.name;
  }
}

TEST(SocketOptionTable, LevelsMatter) {
  EXPECT_EQ(socket_option(SOL_TCP, TCP_NODELAY), SockOpt::kNoDelay);
  EXPECT_EQ(socket_option(IPPROTO_TCP, TCP_MAXSEG), SockOpt::kMaxSeg);
  EXPECT_EQ(socket_option(SOL_SOCKET, SO_LINGER), SockOpt::kLinger);
  // TCP_NODELAY's number at the socket level is SO_DEBUG, which the stack lacks.
  EXPECT_EQ(socket_option(SOL_SOCKET, TCP_NODELAY), std::nullopt);
  EXPECT_EQ(socket_option(IPPROTO_IP, TCP_NODELAY), std::nullopt);
}

}  // namespace
}  // namespace tcpfuzz::scenario
