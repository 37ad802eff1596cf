"""Upload contents the tests send as evidence: a bare PDF, a PDF with an object, a PNG."""

PDF = b"%PDF-1.4\n%%EOF\n"
PDF_DOCUMENT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
