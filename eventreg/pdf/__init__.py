"""PDF documents from HTML templates and one print stylesheet, through WeasyPrint.

WeasyPrint is imported only inside the functions that render, so importing this package
costs nothing and cannot warn.
"""

from .certificates import certificate_pdf, certificates_merged, certificates_zip
from .letters import acceptance_letter, statement_of_account
from .programme import programme_pdf
from .render import Branding, branding_for, render_document, render_pdf
from .sheets import SheetOrder, attendance_sheet, evaluation_sheets

__all__ = [
    "Branding",
    "SheetOrder",
    "acceptance_letter",
    "attendance_sheet",
    "branding_for",
    "certificate_pdf",
    "certificates_merged",
    "certificates_zip",
    "evaluation_sheets",
    "programme_pdf",
    "render_document",
    "render_pdf",
    "statement_of_account",
]
