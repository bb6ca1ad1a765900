#pragma once

// The base fixture of the suites that drive one real `haven serve` against
// the suite's stack.

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>

#include <gtest/gtest.h>

#include "tests/integration/support/haven_process.hpp"
#include "tests/integration/support/stack_test.hpp"

namespace haven::test {

/// A stack per suite (stack_test) and at most one node per test, started by
/// the test (start_node). A failed test prints the node's log.
class node_test : public stack_test {
 protected:
  void TearDown() override {
    if (node_ != nullptr && HasFailure())
      std::cerr << "---- node log ----\n" << node_->log_text() << "------------------\n";
    node_.reset();
    stack_test::TearDown();
  }

  /// Starts a node with the stack's URLs plus `extra`; waits until it serves.
  void start_node(const env_map& extra = {}) {
    node_ = std::make_unique<haven_process>(env(extra));
    // Ready (migrations applied) and healthy (/health answers 503 until the
    // first probe round): only then do the tests' expectations hold.
    ASSERT_TRUE(node_->wait_until_ready(std::chrono::seconds{20})) << "never ready; log:\n"
                                                                   << node_->log_text();
    ASSERT_TRUE(node_->wait_until_healthy(std::chrono::seconds{20})) << "never healthy; log:\n"
                                                                     << node_->log_text();
  }

  /// A node's environment: the stack's URLs plus `extra`.
  static env_map env(const env_map& extra = {}) { return node_env(the_stack(), extra); }
  uint16_t port() const { return node_->port(); }

  std::unique_ptr<haven_process> node_;
};

} // namespace haven::test
