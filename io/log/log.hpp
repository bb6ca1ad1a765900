#pragma once

// Moved to base/log/ (the bottom layer); this forwarding header goes once
// no code includes the old path.
#include "base/log/log.hpp"
