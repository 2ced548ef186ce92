// SHA-256, for fingerprints that identify a secret without revealing it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace leakgate {

std::array<std::uint8_t, 32> sha256(std::string_view data);
std::string sha256_hex(std::string_view data);

}  // namespace leakgate
