#pragma once

// Moved to base/json/ (the bottom layer); this forwarding header goes once
// no code includes the old path.
#include "base/json/json_writer.hpp"
