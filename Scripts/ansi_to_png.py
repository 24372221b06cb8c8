#!/usr/bin/env python3
"""Draws a terminal screen captured by `tmux capture-pane -p -e` (text with SGR colour codes)
as a PNG: one cell per column, wide characters over two cells, colours and bold/reverse/underline
as the terminal had them. Devanagari runs are shaped together (Pillow with raqm) in Lohit
Devanagari; everything else is DejaVu Sans Mono.

Usage: ansi_to_png.py CAPTURE.txt COLUMNS ROWS OUT.png
"""
import ctypes
import ctypes.util
import re
import sys

from PIL import Image, ImageDraw, ImageFont

# The terminal's own width function (glibc wcwidth, as ncursesw and tmux use it), so every
# cell lands where the terminal put it.
_libc = ctypes.CDLL(ctypes.util.find_library("c"))
_libc.setlocale.restype = ctypes.c_char_p
_libc.setlocale(6, b"C.UTF-8")  # LC_ALL
_libc.wcwidth.argtypes = [ctypes.c_wchar]


def wcwidth(ch):
    return _libc.wcwidth(ch)

FONT_SIZE = 15
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
DEVANAGARI = "/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf"

BACKGROUND = (30, 30, 30)
FOREGROUND = (212, 212, 212)
# The 16 ANSI colours (a muted xterm palette); index 8-15 are the bright ones.
PALETTE = [
    (40, 40, 40), (220, 90, 90), (110, 190, 110), (220, 190, 90), (100, 150, 230), (190, 120, 200), (90, 190, 200), (200, 200, 200),
    (120, 120, 120), (255, 120, 120), (140, 230, 140), (255, 225, 120), (140, 180, 255), (220, 150, 230), (120, 220, 230), (255, 255, 255),
]
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def xterm256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    level = 8 + (n - 232) * 10
    return (level, level, level)


class Style:
    def __init__(self):
        self.fg = None
        self.bg = None
        self.bold = False
        self.reverse = False
        self.underline = False

    def copy(self):
        s = Style()
        s.__dict__.update(self.__dict__)
        return s

    def apply(self, params):
        codes = [int(p) if p else 0 for p in re.split(r"[;:]", params)] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.__init__()
            elif c == 1:
                self.bold = True
            elif c == 22:
                self.bold = False
            elif c == 4:
                self.underline = True
            elif c == 24:
                self.underline = False
            elif c == 7:
                self.reverse = True
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = PALETTE[c - 30]
            elif 90 <= c <= 97:
                self.fg = PALETTE[c - 90 + 8]
            elif c == 39:
                self.fg = None
            elif 40 <= c <= 47:
                self.bg = PALETTE[c - 40]
            elif 100 <= c <= 107:
                self.bg = PALETTE[c - 100 + 8]
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                colour = xterm256(codes[i + 2])
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
                i += 2
            elif c in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
                colour = tuple(codes[i + 2:i + 5])
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
                i += 4
            i += 1

    def colours(self):
        fg = self.fg or FOREGROUND
        bg = self.bg or BACKGROUND
        if self.bold and fg in PALETTE[:8]:
            fg = PALETTE[PALETTE.index(fg) + 8]
        return (bg, fg) if self.reverse else (fg, bg)


def parse(text, columns, rows):
    """Returns rows of cells: (text, style, width) or None for the right half of a wide cell."""
    grid = []
    for line in text.split("\n")[:rows]:
        style = Style()
        cells = []
        pos = 0
        while pos < len(line):
            m = SGR.match(line, pos)
            if m:
                style.apply(m.group(1))
                pos = m.end()
                continue
            ch = line[pos]
            pos += 1
            if ch == "\x1b":
                continue
            w = wcwidth(ch)
            if w < 0:
                continue
            if w == 0 and cells:
                # A mark, virama or joiner belongs with the cell before it.
                for k in range(len(cells) - 1, -1, -1):
                    if cells[k] is not None:
                        text_, st, cw = cells[k]
                        cells[k] = (text_ + ch, st, cw)
                        break
                continue
            cells.append((ch, style.copy(), w))
            if w == 2:
                cells.append(None)
        while len(cells) < columns:
            cells.append((" ", style.copy(), 1))
        grid.append(cells[:columns])
    while len(grid) < rows:
        grid.append([(" ", Style(), 1)] * columns)
    return grid


def is_devanagari(text):
    return any(0x0900 <= ord(c) <= 0x097F for c in text)


def render(grid, columns, rows, out):
    mono = ImageFont.truetype(MONO, FONT_SIZE)
    bold = ImageFont.truetype(MONO_BOLD, FONT_SIZE)
    deva = ImageFont.truetype(DEVANAGARI, FONT_SIZE, layout_engine=ImageFont.Layout.RAQM)
    cell_w = round(mono.getlength("M"))
    ascent, descent = mono.getmetrics()
    cell_h = ascent + descent + 3
    pad = 12
    image = Image.new("RGB", (columns * cell_w + 2 * pad, rows * cell_h + 2 * pad), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for y, cells in enumerate(grid):
        top = pad + y * cell_h
        x = 0
        while x < len(cells):
            cell = cells[x]
            if cell is None:
                x += 1
                continue
            text, style, width = cell
            fg, bg = style.colours()
            # A run of Devanagari cells in one style is shaped as one piece of text.
            if is_devanagari(text):
                run, span = text, width
                while x + span < len(cells) and cells[x + span] is not None and is_devanagari(cells[x + span][0]) \
                        and cells[x + span][1].__dict__ == style.__dict__:
                    run += cells[x + span][0]
                    span += cells[x + span][2]
                left = pad + x * cell_w
                draw.rectangle([left, top, left + span * cell_w - 1, top + cell_h - 1], fill=bg)
                draw.text((left, top + 1), run, font=deva, fill=fg)
                x += span
                continue
            left = pad + x * cell_w
            draw.rectangle([left, top, left + width * cell_w - 1, top + cell_h - 1], fill=bg)
            if text.strip():
                if text in "─│┌┐└┘├┤":
                    draw_box(draw, text, left, top, cell_w, cell_h, fg)
                else:
                    draw.text((left, top + 1), text, font=bold if style.bold else mono, fill=fg)
            if style.underline:
                draw.line([left, top + cell_h - 2, left + width * cell_w - 1, top + cell_h - 2], fill=fg)
            x += width
    image.save(out)


def draw_box(draw, ch, left, top, w, h, colour):
    """Box lines drawn as lines, so they join seamlessly across cells."""
    cx, cy = left + w // 2, top + h // 2
    right, bottom = left + w - 1, top + h - 1
    if ch in "─┌└├┐┘┤":
        start = cx if ch in "┌└├" else left
        end = cx if ch in "┐┘┤" else right
        if ch == "├":
            start = cx
        draw.line([start, cy, end if ch != "├" else right, cy], fill=colour)
    if ch in "│┌┐└┘├┤":
        start = cy if ch in "┌┐" else top
        end = cy if ch in "└┘" else bottom
        draw.line([cx, start, cx, end], fill=colour)


def main():
    source, columns, rows, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with open(source, encoding="utf-8", errors="replace") as f:
        text = f.read()
    render(parse(text, columns, rows), columns, rows, out)


if __name__ == "__main__":
    main()
