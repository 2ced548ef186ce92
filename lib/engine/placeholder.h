// Obvious placeholders: values that look like secrets to a regex but are not.
#pragma once

#include <optional>
#include <string_view>

namespace leakgate::engine {

// Why `secret` is a placeholder ("template syntax", "repeated characters", ...), or nothing.
std::optional<std::string_view> placeholder_reason(std::string_view secret);

}  // namespace leakgate::engine
