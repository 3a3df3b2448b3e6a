#!/usr/bin/env python3
"""Add console texts to both translation files at once, safely while other
people edit them: an exclusive lock is held across the read and the write,
new keys go at the end, existing ones are updated in place, nothing else
moves.

    scripts/i18n_add.py texts.json [--font]
    scripts/i18n_add.py --remove keys.json [--font]

texts.json: {"English key": {"en": "English text", "zh-CN": "中文"}, ...}
keys.json (--remove): ["English key", ...], texts no longer used
--font rebuilds assets/fonts/kapok-cjk.ttf afterwards (under the same lock)
with Debian's /usr/bin/python3, so the new Chinese characters are covered.
"""
import fcntl
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
I18N = os.path.join(HERE, "..", "assets", "i18n")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    with open(args[0], encoding="utf-8") as f:
        texts = json.load(f)
    remove = "--remove" in sys.argv
    for key, t in ({} if remove else texts).items():
        if set(t) != {"en", "zh-CN"}:
            sys.exit(f"{key!r}: give exactly en and zh-CN")
    with open(os.path.join(I18N, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for lang in ("en", "zh-CN"):
            path = os.path.join(I18N, lang + ".json")
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            if remove:
                for key in texts:
                    doc.pop(key, None)
            else:
                for key, t in texts.items():
                    doc[key] = t[lang]
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
            os.replace(tmp, path)
        if "--font" in sys.argv:
            subprocess.run(["/usr/bin/python3", os.path.join(HERE, "build_font.py")], check=True)


if __name__ == "__main__":
    main()
