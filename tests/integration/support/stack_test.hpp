#pragma once

// The base fixture of the integration suites that need the real stores: one
// real stack (PostgreSQL, Redis, NATS started by scripts/dev) per test suite.

#include <exception>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "tests/integration/support/stack.hpp"

namespace haven::test {

/// Starts a stack in SetUpTestSuite and removes it in TearDownTestSuite. When
/// it cannot start, every test of the suite fails in SetUp with the reason.
/// TearDown thaws and starts whatever a test froze or stopped, so each test
/// finds every service running. A fixture that overrides SetUp calls
/// `ASSERT_NO_FATAL_FAILURE(stack_test::SetUp());` first; one that overrides
/// TearDown calls `stack_test::TearDown()`.
class stack_test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { start_stack(); }
  static void TearDownTestSuite() { stop_stack(); }

  void SetUp() override { ASSERT_NE(stack_.get(), nullptr) << "stack did not start: " << error_; }
  void TearDown() override {
    if (stack_ != nullptr)
      stack_->restore();
  }

  /// Starts the suite's stack; on failure keeps the error for SetUp.
  static void start_stack() {
    error_.clear();
    try {
      stack_ = std::make_unique<haven::test::stack>();
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  static void stop_stack() { stack_.reset(); }

  /// The suite's stack, in tests and their fixtures' helpers (SetUp checked
  /// that it started). Not named `stack`: that would hide the class
  /// haven::test::stack in every derived fixture.
  static haven::test::stack& the_stack() { return *stack_; }

  static inline std::unique_ptr<haven::test::stack> stack_;
  static inline std::string error_; // why the stack did not start
};

} // namespace haven::test
