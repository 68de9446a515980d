#include "fuzz/scenario/linux_symbols.h"

#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <utility>

namespace tcpfuzz::scenario {

namespace {

// Taken from the system headers of the Linux machine we build on, so the
// numbers are Linux's by construction.
constexpr std::array<std::pair<std::string_view, int>, 29> kErrnos{{
    {"EPERM", EPERM},
    {"ENOENT", ENOENT},
    {"EINTR", EINTR},
    {"EBADF", EBADF},
    {"EAGAIN", EAGAIN},
    {"ENOMEM", ENOMEM},
    {"EFAULT", EFAULT},
    {"EINVAL", EINVAL},
    {"ESPIPE", ESPIPE},
    {"EPIPE", EPIPE},
    {"ENOTSOCK", ENOTSOCK},
    {"EOPNOTSUPP", EOPNOTSUPP},
    {"ENOPROTOOPT", ENOPROTOOPT},
    {"EAFNOSUPPORT", EAFNOSUPPORT},
    {"EADDRINUSE", EADDRINUSE},
    {"EADDRNOTAVAIL", EADDRNOTAVAIL},
    {"ENETUNREACH", ENETUNREACH},
    {"EHOSTUNREACH", EHOSTUNREACH},
    {"ECONNABORTED", ECONNABORTED},
    {"ECONNRESET", ECONNRESET},
    {"EISCONN", EISCONN},
    {"ENOTCONN", ENOTCONN},
    {"ETIMEDOUT", ETIMEDOUT},
    {"ECONNREFUSED", ECONNREFUSED},
    {"EALREADY", EALREADY},
    {"EINPROGRESS", EINPROGRESS},
    {"EEXIST", EEXIST},
    {"ENOBUFS", ENOBUFS},
    {"ENOMSG", ENOMSG},
}};

constexpr std::array<std::pair<std::string_view, long>, 116> kSymbols{{
    {"AF_UNSPEC", AF_UNSPEC},
    {"AF_INET", AF_INET},
    {"AF_INET6", AF_INET6},
    {"PF_INET", PF_INET},
    {"PF_INET6", PF_INET6},
    {"SOCK_STREAM", SOCK_STREAM},
    {"SOCK_NONBLOCK", SOCK_NONBLOCK},
    {"IPPROTO_TCP", IPPROTO_TCP},
    {"IPPROTO_IP", IPPROTO_IP},
    {"IPPROTO_IPV6", IPPROTO_IPV6},
    {"SOL_SOCKET", SOL_SOCKET},
    {"SOL_TCP", SOL_TCP},
    {"SO_REUSEADDR", SO_REUSEADDR},
    {"SO_REUSEPORT", SO_REUSEPORT},
    {"SO_KEEPALIVE", SO_KEEPALIVE},
    {"SO_LINGER", SO_LINGER},
    {"SO_RCVBUF", SO_RCVBUF},
    {"SO_SNDBUF", SO_SNDBUF},
    {"SO_ERROR", SO_ERROR},
    {"SO_RCVLOWAT", SO_RCVLOWAT},
    {"SO_SNDLOWAT", SO_SNDLOWAT},
    {"TCP_NODELAY", TCP_NODELAY},
    {"TCP_MAXSEG", TCP_MAXSEG},
    {"TCP_CORK", TCP_CORK},
    {"TCP_KEEPIDLE", TCP_KEEPIDLE},
    {"TCP_KEEPINTVL", TCP_KEEPINTVL},
    {"TCP_KEEPCNT", TCP_KEEPCNT},
    {"TCP_LINGER2", TCP_LINGER2},
    {"TCP_DEFER_ACCEPT", TCP_DEFER_ACCEPT},
    {"TCP_USER_TIMEOUT", TCP_USER_TIMEOUT},
    {"TCP_INFO", TCP_INFO},
    {"TCP_QUICKACK", TCP_QUICKACK},
    {"TCP_CONGESTION", TCP_CONGESTION},
    {"TCP_FASTOPEN", TCP_FASTOPEN},
    {"TCP_FASTOPEN_CONNECT", TCP_FASTOPEN_CONNECT},
    {"TCP_SYNCNT", TCP_SYNCNT},
    {"TCP_FASTOPEN_NO_COOKIE", TCP_FASTOPEN_NO_COOKIE},
    {"TCP_NOTSENT_LOWAT", TCP_NOTSENT_LOWAT},
    {"SO_TIMESTAMPING", SO_TIMESTAMPING},
    {"SCM_TIMESTAMPING", SCM_TIMESTAMPING},
    {"SOF_TIMESTAMPING_TX_HARDWARE", SOF_TIMESTAMPING_TX_HARDWARE},
    {"SOF_TIMESTAMPING_TX_SOFTWARE", SOF_TIMESTAMPING_TX_SOFTWARE},
    {"SOF_TIMESTAMPING_RX_HARDWARE", SOF_TIMESTAMPING_RX_HARDWARE},
    {"SOF_TIMESTAMPING_RX_SOFTWARE", SOF_TIMESTAMPING_RX_SOFTWARE},
    {"SOF_TIMESTAMPING_SOFTWARE", SOF_TIMESTAMPING_SOFTWARE},
    {"SOF_TIMESTAMPING_RAW_HARDWARE", SOF_TIMESTAMPING_RAW_HARDWARE},
    {"SOF_TIMESTAMPING_OPT_ID", SOF_TIMESTAMPING_OPT_ID},
    {"SOF_TIMESTAMPING_TX_SCHED", SOF_TIMESTAMPING_TX_SCHED},
    {"SOF_TIMESTAMPING_TX_ACK", SOF_TIMESTAMPING_TX_ACK},
    {"SOF_TIMESTAMPING_OPT_TSONLY", SOF_TIMESTAMPING_OPT_TSONLY},
    {"SCM_TSTAMP_SND", SCM_TSTAMP_SND},
    {"SCM_TSTAMP_SCHED", SCM_TSTAMP_SCHED},
    {"SCM_TSTAMP_ACK", SCM_TSTAMP_ACK},
    {"SO_EE_ORIGIN_TIMESTAMPING", SO_EE_ORIGIN_TIMESTAMPING},
    {"MSG_TRUNC", MSG_TRUNC},
    {"MSG_CTRUNC", MSG_CTRUNC},
    {"O_RDONLY", O_RDONLY},
    {"O_WRONLY", O_WRONLY},
    {"O_RDWR", O_RDWR},
    {"O_NONBLOCK", O_NONBLOCK},
    {"F_GETFL", F_GETFL},
    {"F_SETFL", F_SETFL},
    {"SHUT_RD", SHUT_RD},
    {"SHUT_WR", SHUT_WR},
    {"SHUT_RDWR", SHUT_RDWR},
    {"POLLIN", POLLIN},
    {"POLLPRI", POLLPRI},
    {"POLLOUT", POLLOUT},
    {"POLLERR", POLLERR},
    {"POLLHUP", POLLHUP},
    {"POLLNVAL", POLLNVAL},
    {"POLLRDNORM", POLLRDNORM},
    {"POLLWRNORM", POLLWRNORM},
    {"POLLRDHUP", POLLRDHUP},
    {"MSG_PEEK", MSG_PEEK},
    {"MSG_DONTWAIT", MSG_DONTWAIT},
    {"MSG_MORE", MSG_MORE},
    {"MSG_EOR", MSG_EOR},
    {"MSG_FASTOPEN", MSG_FASTOPEN},
    {"MSG_NOSIGNAL", MSG_NOSIGNAL},
    {"MSG_ZEROCOPY", MSG_ZEROCOPY},
    {"MSG_ERRQUEUE", MSG_ERRQUEUE},
    {"MSG_OOB", MSG_OOB},
    {"NULL", 0},
    {"SO_ZEROCOPY", SO_ZEROCOPY},
    {"SO_MARK", SO_MARK},
    {"TCP_INQ", TCP_INQ},
    {"TCP_CM_INQ", TCP_CM_INQ},
    {"SIOCINQ", SIOCINQ},
    {"SIOCOUTQ", SIOCOUTQ},
    {"SIOCATMARK", SIOCATMARK},
    {"IP_FREEBIND", IP_FREEBIND},
    {"SPLICE_F_MOVE", SPLICE_F_MOVE},
    {"SPLICE_F_NONBLOCK", SPLICE_F_NONBLOCK},
    {"SPLICE_F_MORE", SPLICE_F_MORE},
    {"SO_OOBINLINE", SO_OOBINLINE},
    // packetdrill's names for the IPv4 error-queue cmsg (IPv6 scripts get
    // the same names; the runner compares names, not families).
    {"SOL_IP", SOL_IP},
    {"IP_RECVERR", IP_RECVERR},
    {"CMSG_LEVEL_IP", SOL_IP},
    {"CMSG_TYPE_RECVERR", IP_RECVERR},
    {"SO_EE_ORIGIN_ZEROCOPY", SO_EE_ORIGIN_ZEROCOPY},
    {"SO_EE_CODE_ZEROCOPY_COPIED", SO_EE_CODE_ZEROCOPY_COPIED},
    {"EPOLLIN", EPOLLIN},
    {"EPOLLPRI", EPOLLPRI},
    {"EPOLLOUT", EPOLLOUT},
    {"EPOLLERR", EPOLLERR},
    {"EPOLLHUP", EPOLLHUP},
    {"EPOLLRDNORM", EPOLLRDNORM},
    {"EPOLLWRNORM", EPOLLWRNORM},
    {"EPOLLRDHUP", EPOLLRDHUP},
    {"EPOLLET", EPOLLET},
    {"EPOLLONESHOT", EPOLLONESHOT},
    {"EPOLLEXCLUSIVE", EPOLLEXCLUSIVE},
    {"EPOLL_CTL_ADD", EPOLL_CTL_ADD},
    {"EPOLL_CTL_DEL", EPOLL_CTL_DEL},
    {"EPOLL_CTL_MOD", EPOLL_CTL_MOD},
}};

struct SocketOptionRow {
  netstack::tcp::SockOpt option;
  SocketOptionName name;
  long level_value;
  long name_value;
};

using netstack::tcp::SockOpt;
constexpr std::array<SocketOptionRow, 26> kSocketOptions{{
    {SockOpt::kKeepAlive, {"SOL_SOCKET", "SO_KEEPALIVE"}, SOL_SOCKET, SO_KEEPALIVE},
    {SockOpt::kLinger, {"SOL_SOCKET", "SO_LINGER"}, SOL_SOCKET, SO_LINGER},
    {SockOpt::kRcvBuf, {"SOL_SOCKET", "SO_RCVBUF"}, SOL_SOCKET, SO_RCVBUF},
    {SockOpt::kSndBuf, {"SOL_SOCKET", "SO_SNDBUF"}, SOL_SOCKET, SO_SNDBUF},
    {SockOpt::kError, {"SOL_SOCKET", "SO_ERROR"}, SOL_SOCKET, SO_ERROR},
    {SockOpt::kReuseAddr, {"SOL_SOCKET", "SO_REUSEADDR"}, SOL_SOCKET, SO_REUSEADDR},
    {SockOpt::kNoDelay, {"IPPROTO_TCP", "TCP_NODELAY"}, IPPROTO_TCP, TCP_NODELAY},
    {SockOpt::kCork, {"IPPROTO_TCP", "TCP_CORK"}, IPPROTO_TCP, TCP_CORK},
    {SockOpt::kKeepIdle, {"IPPROTO_TCP", "TCP_KEEPIDLE"}, IPPROTO_TCP, TCP_KEEPIDLE},
    {SockOpt::kKeepIntvl, {"IPPROTO_TCP", "TCP_KEEPINTVL"}, IPPROTO_TCP, TCP_KEEPINTVL},
    {SockOpt::kKeepCnt, {"IPPROTO_TCP", "TCP_KEEPCNT"}, IPPROTO_TCP, TCP_KEEPCNT},
    {SockOpt::kUserTimeout, {"IPPROTO_TCP", "TCP_USER_TIMEOUT"}, IPPROTO_TCP, TCP_USER_TIMEOUT},
    {SockOpt::kDeferAccept, {"IPPROTO_TCP", "TCP_DEFER_ACCEPT"}, IPPROTO_TCP, TCP_DEFER_ACCEPT},
    {SockOpt::kMaxSeg, {"IPPROTO_TCP", "TCP_MAXSEG"}, IPPROTO_TCP, TCP_MAXSEG},
    {SockOpt::kLinger2, {"IPPROTO_TCP", "TCP_LINGER2"}, IPPROTO_TCP, TCP_LINGER2},
    {SockOpt::kInq, {"IPPROTO_TCP", "TCP_INQ"}, IPPROTO_TCP, TCP_INQ},
    {SockOpt::kZerocopy, {"SOL_SOCKET", "SO_ZEROCOPY"}, SOL_SOCKET, SO_ZEROCOPY},
    {SockOpt::kMark, {"SOL_SOCKET", "SO_MARK"}, SOL_SOCKET, SO_MARK},
    {SockOpt::kFastOpen, {"IPPROTO_TCP", "TCP_FASTOPEN"}, IPPROTO_TCP, TCP_FASTOPEN},
    {SockOpt::kFastOpenConnect,
     {"IPPROTO_TCP", "TCP_FASTOPEN_CONNECT"},
     IPPROTO_TCP,
     TCP_FASTOPEN_CONNECT},
    {SockOpt::kFastOpenNoCookie,
     {"IPPROTO_TCP", "TCP_FASTOPEN_NO_COOKIE"},
     IPPROTO_TCP,
     TCP_FASTOPEN_NO_COOKIE},
    {SockOpt::kSynCnt, {"IPPROTO_TCP", "TCP_SYNCNT"}, IPPROTO_TCP, TCP_SYNCNT},
    {SockOpt::kNotSentLowat, {"IPPROTO_TCP", "TCP_NOTSENT_LOWAT"}, IPPROTO_TCP, TCP_NOTSENT_LOWAT},
    {SockOpt::kTimestamping, {"SOL_SOCKET", "SO_TIMESTAMPING"}, SOL_SOCKET, SO_TIMESTAMPING},
    {SockOpt::kOobInline, {"SOL_SOCKET", "SO_OOBINLINE"}, SOL_SOCKET, SO_OOBINLINE},
    {SockOpt::kFreeBind, {"SOL_IP", "IP_FREEBIND"}, SOL_IP, IP_FREEBIND},
}};
static_assert(SOL_TCP == IPPROTO_TCP);

}  // namespace

std::optional<int> errno_value(std::string_view name) {
  for (const auto& [n, v] : kErrnos) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string_view errno_name(int value) {
  for (const auto& [n, v] : kErrnos) {
    if (v == value) return n;
  }
  return "E?";
}

std::optional<long> symbol_value(std::string_view name) {
  for (const auto& [n, v] : kSymbols) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::optional<netstack::tcp::SockOpt> socket_option(long level, long name) {
  for (const SocketOptionRow& row : kSocketOptions) {
    if (row.level_value == level && row.name_value == name) return row.option;
  }
  return std::nullopt;
}

SocketOptionName socket_option_name(netstack::tcp::SockOpt option) {
  for (const SocketOptionRow& row : kSocketOptions) {
    if (row.option == option) return row.name;
  }
  return {"?", "?"};  // an option added to SockOpt but not to the table
}

}  // namespace tcpfuzz::scenario
