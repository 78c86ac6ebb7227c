"""A package's A4 handout as PDF: the title, the description, the dates it works, each day's
stops with their times and legs, the nights' hotel areas, and a QR code to the share page.

fpdf2 embeds a subset of Noto Sans CJK SC with its Unicode map, so the Chinese stays text:
it can be searched, copied and read back (the tests do, with pypdf).
"""

from functools import lru_cache

import numpy as np
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from matplotlib.ft2font import FT2Font
from PIL import Image

from app.packages import content
from app.packages.document import Package
from app.planning.document import Day
from app.planning.exports import KIND_LABEL
from app.schemas import Lang
from app.services.charts import CJK_FAMILY, cjk_font

FAMILY = "NotoSansSC"
QR_MM = 32
INK, MUTED, ACCENT = (31, 42, 48), (93, 109, 116), (192, 57, 43)
COLUMNS = (16, 20, 96, 42)  # time, kind, place, leg: 174 mm, A4 less 18 mm margins


@lru_cache
def face_index(path: str, family: str = CJK_FAMILY) -> int:
    """The face of `family` in a font collection (.ttc): Debian's Noto Sans CJK puts the
    Japanese face first, whose glyph shapes differ from the Simplified Chinese ones. 0 for
    a single font file or one without the face."""
    faces = FT2Font(path).num_faces
    names = [FT2Font(path, face_index=i).family_name for i in range(faces)]
    return names.index(family) if family in names else 0


def handout(doc: Package, share_url: str) -> bytes:
    """The handout as PDF bytes; the same package gives the same bytes (dated by its
    last change, not by the clock)."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_creation_date(doc.updated_at)
    pdf.set_title(doc.title.zh)
    pdf.set_lang("zh-CN")
    path = cjk_font()
    pdf.add_font(FAMILY, fname=path, collection_font_number=face_index(path))
    pdf.add_page()
    _header(pdf, doc, share_url)
    for n, day in enumerate(doc.itinerary.days, start=1):
        _day(pdf, n, day)
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str, size: float, colour: tuple[int, int, int], gap: float = 1) -> None:
    """A wrapped paragraph across the page's width at `size` points."""
    pdf.set_font(FAMILY, size=size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(gap)


def _header(pdf: FPDF, doc: Package, share_url: str) -> None:
    """Titles, description and dates beside the QR code (top right)."""
    qr_x = pdf.w - pdf.r_margin - QR_MM
    pdf.image(_qr_image(share_url), x=qr_x, y=pdf.t_margin, w=QR_MM)
    pdf.set_font(FAMILY, size=7)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(qr_x - 8, pdf.t_margin + QR_MM + 1)
    pdf.multi_cell(QR_MM + 8, 3, share_url, align="C", link=share_url)
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_right_margin(pdf.r_margin + QR_MM + 6)  # the titles wrap short of the code
    _line(pdf, doc.title.zh, 20, INK, 2)
    _line(pdf, doc.title.en, 12, MUTED)
    _line(pdf, content.tagline(doc, "zh") + "  |  " + content.tagline(doc, "en"), 11, ACCENT, 3)
    pdf.set_right_margin(18)
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + QR_MM + 8))
    _line(pdf, doc.description.zh, 10.5, INK, 1)
    _line(pdf, doc.description.en, 9, MUTED, 3)
    _line(pdf, content.works_summary(doc, "zh"), 10, INK, 0.5)
    if doc.season.provisional:
        note = f"其中 {len(doc.season.provisional)} 个日期的节假日安排尚为暂定，以国务院通知为准。"
        _line(pdf, note, 9, MUTED, 0.5)
    _line(pdf, content.works_summary(doc, "en"), 9, MUTED, 4)


def _day(pdf: FPDF, n: int, day: Day) -> None:
    """ "第n天" (no date: the package runs on many), a row per stop, then the night."""
    pdf.set_font(FAMILY, size=13)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 8, f"{content.day_title(n, 'zh')}  {content.day_title(n, 'en')}")
    pdf.ln(9)
    pdf.set_font(FAMILY, size=9.5)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(200, 200, 200)
    labels = KIND_LABEL[Lang.zh]
    heading = FontFace(emphasis="", color=MUTED)  # one weight: the collection has no bold
    with pdf.table(
        col_widths=COLUMNS,
        line_height=5.5,
        text_align="LEFT",
        headings_style=heading,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        table.row(["时间", "类型", "地点", "交通"])
        for stop in day.stops:
            leg = ""
            if stop.travel_minutes:
                leg = f"{stop.travel_minutes} 分钟 {content.mode_name(stop.mode, 'zh')}"
                leg += f" {stop.service_code}" if stop.service_code else ""
            table.row([content.stop_time(stop), labels[stop.kind], stop.name, leg.strip()])
    night = content.night_stop(day)
    if night is not None:
        pdf.ln(1.5)
        _line(pdf, f"住宿：{night.name}", 10, INK, 0)
    pdf.ln(5)


def _qr_image(share_url: str, scale: int = 10) -> Image.Image:
    """The QR code as a black-on-white bitmap, `scale` pixels a module (sharp when fpdf2
    stretches it: no smoothing between whole pixels)."""
    dark = np.array(content.qr_matrix(share_url), dtype=bool)
    pixels = np.where(dark, 0, 255).astype(np.uint8).repeat(scale, 0).repeat(scale, 1)
    return Image.fromarray(pixels, mode="L")
