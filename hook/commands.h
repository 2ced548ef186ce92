// Sub-commands that live in files of their own. Each adds itself to the app; when the user
// chose it, its callback sets `action`, which main runs once parsing is done.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace leakgate::cli {

using Action = std::function<int()>;

void add_install_commands(CLI::App& app, Action& action);  // install.cpp: install, uninstall
void add_ignore_command(CLI::App& app, Action& action);    // ignore.cpp
void add_baseline_command(CLI::App& app, Action& action);  // baseline.cpp
void add_doctor_command(CLI::App& app, Action& action);    // doctor.cpp
void add_hook_command(CLI::App& app, Action& action);      // hooks.cpp: `leakgate hook NAME`

// hooks.cpp: the binary run by git under a hook's name (a symlink in the hooks directory).
bool is_hook_name(std::string_view name);
int run_hook(std::string_view name, const std::vector<std::string>& args);

}  // namespace leakgate::cli
