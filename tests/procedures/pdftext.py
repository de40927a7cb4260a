"""A small reader of the text of reportlab's PDFs (no PDF library is a dependency): decode the
content streams and map each embedded subset font's codes back to Unicode with its ToUnicode
CMap. Enough for reportlab's own output; not a general PDF parser."""

import base64
import re
import zlib


def _stream(body: bytes) -> bytes:
    head = body[:body.find(b"stream")]
    start = re.search(rb"stream\r?\n", body).end()
    length = re.search(rb"/Length (\d+)", head)
    raw = body[start:start + int(length.group(1))] if length else body[start:]
    if b"ASCII85Decode" in head:
        raw = base64.a85decode(raw.strip(), adobe=True)
    if b"FlateDecode" in head:
        raw = zlib.decompress(raw)
    return raw


def _cmap(data: bytes) -> dict[int, str]:
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for a, b, dst in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for i, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                out[code] = chr(start + i)
    return out


def _literal(s: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i]
        if c == 0x5C:  # backslash
            i += 1
            n = s[i:i + 1]
            if n.isdigit():
                j = i
                while j < len(s) and j < i + 3 and s[j:j + 1].isdigit():
                    j += 1
                out.append(int(s[i:j], 8) & 0xFF)
                i = j
                continue
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(n, n)
        else:
            out.append(c)
        i += 1
    return bytes(out)


def pdf_text(data: bytes) -> str:
    objs = {int(m.group(1)): m.group(2)
            for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}
    cmaps = {}
    for num, body in objs.items():
        m = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if m:
            cmaps[num] = _cmap(_stream(objs[int(m.group(1))]))
    names = {m.group(1): cmaps[int(m.group(2))]
             for m in re.finditer(rb"/([A-Za-z0-9+]+) (\d+) 0 R", data)
             if int(m.group(2)) in cmaps}
    text = []
    for body in objs.values():
        if b"stream" not in body or b"/Length1" in body or b"/ToUnicode" in body:
            continue
        try:
            content = _stream(body)
        except Exception:  # noqa: BLE001 — font programs and images are not text
            continue
        font: dict[int, str] = {}
        for m in re.finditer(rb"/([A-Za-z0-9+]+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) ?Tj", content,
                             re.S):
            if m.group(1) is not None:
                font = names.get(m.group(1), {})
            elif font:
                text.append("".join(font.get(b, "") for b in _literal(m.group(2))))
    return "".join(text)
