// The %{ }% expression subset: Python's precedence, chains and refusals.
#include "fuzz/scenario/python_expression.h"

#include <gtest/gtest.h>

namespace tcpfuzz::scenario {
namespace {

std::optional<long> names(std::string_view name) {
  if (name == "x") return 7;
  if (name == "TCPI_OPT_SYN_DATA") return 32;
  return std::nullopt;
}

long value(std::string_view e) {
  auto v = evaluate_python(e, names);
  EXPECT_TRUE(v.has_value()) << e << ": " << (v ? "" : v.error());
  return v.value_or(-999);
}

std::string refusal(std::string_view e) {
  auto v = evaluate_python(e, names);
  return v ? "evaluated" : v.error();
}

TEST(PythonExpression, PrecedenceIsPythons) {
  EXPECT_EQ(value("1 + 2 * 3"), 7);
  EXPECT_EQ(value("(1 + 2) * 3"), 9);
  EXPECT_EQ(value("1 | 2 & 3"), 3);
  EXPECT_EQ(value("1 << 2 + 1"), 8);
  EXPECT_EQ(value("0x7fffffff"), 2147483647);
  EXPECT_EQ(value("-x + 10"), 3);
  EXPECT_EQ(value("~0"), -1);
}

TEST(PythonExpression, FloorDivisionAndModuloRoundDown) {
  EXPECT_EQ(value("7 // 2"), 3);
  EXPECT_EQ(value("-7 // 2"), -4);
  EXPECT_EQ(value("-7 % 2"), 1);
}

TEST(PythonExpression, ComparisonsChain) {
  EXPECT_EQ(value("1 < x < 10"), 1);
  EXPECT_EQ(value("1 < x < 5"), 0);
  EXPECT_EQ(value("x == 7 != 8"), 1);
  EXPECT_EQ(value("(x & TCPI_OPT_SYN_DATA) == 0"), 1);
}

TEST(PythonExpression, BooleanOperators) {
  EXPECT_EQ(value("x == 7 and x > 1"), 1);
  EXPECT_EQ(value("x == 6 or x == 7"), 1);
  EXPECT_EQ(value("not x"), 0);
  EXPECT_EQ(value("True and not False"), 1);
  EXPECT_EQ(value("x < 8 and x"), 7);  // Python returns the last operand
}

TEST(PythonExpression, RefusesWhatIsNotIntegerArithmetic) {
  EXPECT_EQ(refusal("y + 1"), "name y");
  EXPECT_EQ(refusal("len(x)"), "`len(`");
  EXPECT_EQ(refusal("x / 2"), "true division (/)");
  EXPECT_EQ(refusal("1.5"), "number `.5`");
  EXPECT_EQ(refusal("x // 0"), "division by zero");
  EXPECT_EQ(refusal("x +"), "missing operand");
  EXPECT_EQ(refusal("(x"), "missing )");
  EXPECT_EQ(refusal("x 3"), "unexpected `3`");
}

}  // namespace
}  // namespace tcpfuzz::scenario
