// Text utilities shared across subsystems: UTF-8 validation and repair,
// Latin-1 decoding (git's commonest legacy encoding), git-style C quoting for
// TSV output, CSV escaping, base64, and human-readable numbers.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sei {

bool IsValidUtf8(std::string_view s);

// `s` with every byte sequence that is not valid UTF-8 replaced by U+FFFD.
std::string ToValidUtf8(std::string_view s);

// Decodes ISO-8859-1 (each byte is one code point) into UTF-8.
std::string Latin1ToUtf8(std::string_view s);

// Text as stored: valid UTF-8 passes through; anything else is decoded as
// Latin-1 when `encoding` names Latin-1/CP1252 or is empty (git's own
// fallback guess), else repaired with U+FFFD.
std::string DecodeText(std::string_view s, std::string_view encoding);

// git's quote_c_style with core.quotePath=false: when `s` contains a control
// character, '"' or '\\', returns it in double quotes with C escapes (\t \n
// \" \\ and \ooo); otherwise returns it unchanged (bytes >= 0x80 raw).
std::string QuoteCStyle(std::string_view s);

// RFC 4180: quotes a field when it holds a comma, quote, CR or LF.
std::string CsvEscape(std::string_view s);

std::string Base64Encode(std::string_view s);

// 1234567 -> "1,234,567".
std::string WithThousands(int64_t n);

// Seconds -> "1h 02m", "3m 05s", "4.2s", "950ms".
std::string HumanDuration(double seconds);

// `s` padded with spaces to `width` columns, counting code points (not bytes)
// so that names like "Zoltán" line up in tables; longer text is kept whole.
std::string PadRight(std::string_view s, size_t width);

// Bytes -> "512 B", "1.5 KiB", "2.0 MiB".
std::string HumanBytes(uint64_t bytes);

}  // namespace sei
