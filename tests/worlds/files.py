"""Upload contents the tests send as evidence: a bare PDF, a one-page PDF, a PDF/HTML
polyglot, a PNG."""

PDF = b"%PDF-1.4\n%%EOF\n"
#: A well-formed one-page PDF (a catalog, a page tree, a page): viewers open it.
PDF_DOCUMENT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
#: Starts like a PDF, is HTML: a browser must never render it inline.
PDF_HTML_POLYGLOT = b"%PDF-<html><body><script>alert(document.cookie)</script></body></html>\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
