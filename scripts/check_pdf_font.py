"""Say whether PDFs will embed a Chinese font, and how to get one if not (used by `make run`)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django

django.setup()

from portal.core.pdf import find_cjk_font_file  # noqa: E402

found = find_cjk_font_file()
if found:
    print(f"PDF font: {found[0]}")
else:
    print(
        "WARNING: no TrueType Chinese font found; certificates will use STSong-Light (not embedded).\n"
        "  Install one: sudo apt-get install fonts-wqy-microhei   (or set PDF_CJK_FONT_PATH=/path/to/font.ttc)"
    )
