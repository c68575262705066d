"""The peer side of `cargo bench --bench banners`: the studio's banner layout drawn by Pillow.

Usage: pillow_banners.py DRAWLIST_JSON FONTS_DIR PRODUCT_DIR RUNS COMPRESS_LEVEL OUT_PNG

DRAWLIST_JSON is the studio's resolved layout (`banner::layout`, serialised): a vertical
gradient, rounded boxes, the product picture and text runs with font file, size in px per em,
left edge, baseline and colour. Pillow draws exactly those operations on an RGB canvas
(ImageDraw.rounded_rectangle, Image.paste with the picture's alpha as mask, ImageDraw.text with
ImageFont.truetype on the same .otf files, basic layout like the studio's), then encodes PNG with
`compress_level`. Fonts and the product PNG are loaded once, outside the timing, as the studio
parses its fonts once; the studio draws its pictogram inside its timing.

Prints one JSON line: total seconds for RUNS render+encode rounds (after 3 warm-up rounds) and the
PNG size. Writes the last PNG to OUT_PNG for a visual comparison.
"""
import io
import json
import os
import sys
import time

import PIL
from PIL import Image, ImageDraw, ImageFont

FONT_FILES = {
    "sans_regular": "NotoSansSC-Regular-subset.otf",
    "sans_bold": "NotoSansSC-Bold-subset.otf",
    "serif_bold": "NotoSerifSC-Bold-subset.otf",
}

path, fonts_dir, product_dir, runs, level, out_png = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
with open(path, encoding="utf-8") as f:
    dl = json.load(f)

fonts = {}
for op in dl["ops"]:
    if op["op"] == "text":
        key = (op["face"], op["size"])
        if key not in fonts:
            fonts[key] = ImageFont.truetype(os.path.join(fonts_dir, FONT_FILES[op["face"]]), op["size"], layout_engine=ImageFont.Layout.BASIC)
products = {}
for op in dl["ops"]:
    if op["op"] == "image":
        key = (op["category"], op["seed"], op["size"])
        products[key] = Image.open(os.path.join(product_dir, f"{op['category']}-{op['seed']}-{op['size']}.png")).convert("RGBA")


def draw():
    img = Image.new("RGB", (dl["width"], dl["height"]), (255, 255, 255))
    d = ImageDraw.Draw(img)
    for op in dl["ops"]:
        kind = op["op"]
        if kind == "gradient":
            x, y, w, h = op["rect"]
            top, bottom = op["top"], op["bottom"]
            den = max(h - 1, 1)
            column = Image.new("RGB", (1, h))
            column.putdata([tuple(int(a + (b - a) * i / den + 0.5) for a, b in zip(top, bottom)) for i in range(h)])
            img.paste(column.resize((w, h), Image.NEAREST), (x, y))
        elif kind == "rounded_rect":
            x, y, w, h = op["rect"]
            d.rounded_rectangle((x, y, x + w - 1, y + h - 1), radius=op["radius"], fill=tuple(op["color"]))
        elif kind == "image":
            p = products[(op["category"], op["seed"], op["size"])]
            img.paste(p, (op["x"], op["y"]), p)
        elif kind == "text":
            d.text((op["x"], op["y"]), op["text"], font=fonts[(op["face"], op["size"])], fill=tuple(op["color"]), anchor="ls")
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=level)
    return buf.getvalue()


for _ in range(3):
    png = draw()
t = time.perf_counter()
for _ in range(runs):
    png = draw()
seconds = time.perf_counter() - t
with open(out_png, "wb") as f:
    f.write(png)
print(json.dumps({"seconds": seconds, "runs": runs, "bytes": len(png), "pillow": PIL.__version__}))
