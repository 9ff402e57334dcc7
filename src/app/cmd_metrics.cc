// The `sei metrics` command group (filled in by the work on it).
#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace sei::app {

void AddMetricsCommands(CLI::App& root, std::vector<Command>* out) {
  (void)root;
  (void)out;
}

}  // namespace sei::app
