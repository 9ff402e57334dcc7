#include "app/terminal_progress.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include "common/strings.h"

namespace sei::app {

namespace {

int TerminalWidth(std::FILE* out) {
  winsize ws{};
  if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 80;
}

}  // namespace

TerminalProgress::~TerminalProgress() {
  if (active_) End();
}

std::string TerminalProgress::Render(std::string_view label, int64_t done, int64_t total,
                                     double seconds, int width) {
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string counts =
      total > 0 ? fmt::format("{}/{} {}", WithThousands(done), WithThousands(total), label)
                : fmt::format("{} {}", WithThousands(done), label);
  std::string tail = fmt::format("  {}/s", WithThousands(static_cast<int64_t>(rate)));
  if (total > 0 && rate > 0 && done < total) {
    tail += "  ETA " + HumanDuration(static_cast<double>(total - done) / rate);
  }
  std::string text = counts + tail;
  int bar_width = std::min(40, width - static_cast<int>(text.size()) - 4);
  if (total <= 0 || bar_width < 10) return text;
  int filled = static_cast<int>(static_cast<double>(bar_width) * static_cast<double>(done) /
                                static_cast<double>(total));
  filled = std::clamp(filled, 0, bar_width);
  std::string bar = "[" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] ";
  return bar + text;
}

void TerminalProgress::Begin(std::string_view label, int64_t total) {
  if (active_) End();
  label_ = std::string(label);
  total_ = total;
  done_ = 0;
  active_ = true;
  start_ = std::chrono::steady_clock::now();
  last_draw_ = {};
  Draw(true);
}

void TerminalProgress::Update(int64_t done) {
  done_ = done;
  Draw(false);
}

void TerminalProgress::End() {
  if (!active_) return;
  active_ = false;
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
}

void TerminalProgress::Draw(bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = Render(label_, done_, total_, seconds, TerminalWidth(out_));
  std::fprintf(out_, "\r\033[K%s", line.c_str());
  std::fflush(out_);
}

}  // namespace sei::app
