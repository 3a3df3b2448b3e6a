#!/usr/bin/python3
"""Rebuild assets/fonts/kapok-cjk.ttf, the one font Kapok draws text with.

WenQuanYi Micro Hei (Debian fonts-wqy-microhei, Apache-2.0; font 0 of its
.ttc, kept as a single TTF because Fyne cannot load collections) cut down to
the characters Kapok shows: printable ASCII, CJK punctuation, all of GB 2312
(what people type), every character of the embedded data and translations and
of assets/fonts/extra-chars.txt.
Characters it lacks (rare CJK Extension A characters in village names) are
taken from Droid Sans Fallback (Debian fonts-droid-fallback, Apache-2.0),
scaled to the same units per em and merged in.

Run with Debian's python3 (python3-fonttools) after the data or translations
gain characters: /usr/bin/python3 scripts/build_font.py
"""
import glob
import os
import string

from fontTools import subset
from fontTools.merge import Merger, Options
from fontTools.ttLib import TTCollection, TTFont
from fontTools.ttLib.scaleUpem import scale_upem

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sources = glob.glob(os.path.join(root, "assets/guangzhou/*.csv")) + glob.glob(os.path.join(root, "assets/guangzhou/*.geojson"))
sources += [os.path.join(root, "assets/matters.csv"), os.path.join(root, "assets/fonts/extra-chars.txt")]
sources += glob.glob(os.path.join(root, "assets/i18n/*"))
sources += glob.glob(os.path.join(root, "data/demo/testdata/city/*"))  # the test city
sources += glob.glob(os.path.join(root, "data/**/*.go"), recursive=True)  # names the demo generator makes up
text = string.printable + "，。、：；！？（）【】《》“”‘’—…·°℃²³μ"
for path in sources:
    with open(path, encoding="utf-8") as f:
        text += f.read()
# Every character of GB 2312 (its 6,763 hanzi and its symbols): what people
# type into a case, an order's task or a classification line (秘密★1年) must
# show, not only the words Kapok itself uses.
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            text += bytes([hi, lo]).decode("gb2312")
        except UnicodeDecodeError:
            pass
chars = "".join(sorted({c for c in text if not c.isspace() or c == " "}))

# Layout tables and hinting are dropped: Kapok lays out plain runs of text.
def cut(font, text):
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    s = subset.Subsetter(opts)
    s.populate(text=text)
    s.subset(font)
    for table in ["GSUB", "GPOS", "GDEF", "vhea", "vmtx", "FFTM", "gasp", "prep", "fpgm", "cvt "]:
        if table in font:
            del font[table]
    return font

main = cut(TTCollection("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").fonts[0], chars)
have = main.getBestCmap()
missing = "".join(c for c in chars if ord(c) not in have and c != " ")
parts = ["/tmp/kapok-font-main.ttf"]
main.save(parts[0])
if missing:
    extra = cut(TTFont("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), missing)
    scale_upem(extra, main["head"].unitsPerEm)
    parts.append("/tmp/kapok-font-extra.ttf")
    extra.save(parts[1])
font = Merger(options=Options(drop_tables=["vhea", "vmtx"])).merge(parts) if missing else TTFont(parts[0])
out = os.path.join(root, "assets/fonts/kapok-cjk.ttf")
font.save(out)
print("%s: %d characters (%d from Droid Sans Fallback), %d bytes" % (out, len(TTFont(out).getBestCmap()), len(missing), os.path.getsize(out)))
