"""An open check of what PDF/A-2 level a asks of a file, as far as we can verify it.

veraPDF (the reference validator) is a Java program and cannot be installed on
these machines, and pikepdf has no PDF/A validator (``open_metadata().pdfa_status``
only reads the claim). So this module checks, with pikepdf and fontTools, the
ISO 19005-2 provisions that a file like ours could break, each problem as one line
naming its clause. It is not a conformance certificate: what it does not check
(among others the content streams' full syntax, colour in every shading and
pattern, every font program's internals) is not claimed.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pikepdf

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {
    "rdf": RDF,
    "x": "adobe:ns:meta/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
# The schemas ISO 19005-2 6.6.2.3.1 predefines (XMP 2005 and PDF/A's own); any
# other property needs a pdfaExtension description in the packet.
PREDEFINED = {
    NS["dc"], NS["xmp"], NS["pdf"], NS["pdfaid"],
    "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/xap/1.0/mm/", "http://ns.adobe.com/xap/1.0/bj/",
    "http://ns.adobe.com/xap/1.0/t/pg/", "http://ns.adobe.com/xmp/1.0/DynamicMedia/", "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/camera-raw-settings/1.0/", "http://ns.adobe.com/tiff/1.0/", "http://ns.adobe.com/exif/1.0/",
    "http://ns.adobe.com/exif/1.0/aux/",
    NS["pdfaExtension"], NS["pdfaSchema"], NS["pdfaProperty"], "http://www.aiim.org/pdfa/ns/type#",
    "http://www.aiim.org/pdfa/ns/field#",
}
# Info keys and the XMP properties that must say the same (6.6.3, Table 1).
INFO_XMP = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description", "/Keywords": "pdf:Keywords",
            "/Creator": "xmp:CreatorTool", "/Producer": "pdf:Producer", "/Trapped": "pdf:Trapped"}
INFO_DATES = {"/CreationDate": "xmp:CreateDate", "/ModDate": "xmp:ModifyDate"}
# Operators that set a device colour: DeviceCMYK would need a CMYK output intent (6.2.4.3).
CMYK_OPERATORS = {"k", "K"}
STANDARD_BLEND_MODES = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten",
                        "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion",
                        "/Hue", "/Saturation", "/Color", "/Luminosity"}
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript", "/Hide",
                     "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView", "/GoToR", "/GoToE"}


def _xmp_text(desc: ET.Element, qname: str) -> str | list[str] | None:
    prefix, local = qname.split(":")
    el = desc.find(f"{{{NS[prefix]}}}{local}")
    if el is None:
        return None
    items = el.findall(f".//{{{RDF}}}li")
    if el.find(f"{{{RDF}}}Seq") is not None or el.find(f"{{{RDF}}}Bag") is not None:
        return [i.text or "" for i in items]
    if items:  # rdf:Alt: the x-default
        return items[0].text or ""
    return el.text or ""


def _xmp_problems(pdf: pikepdf.Pdf) -> list[str]:
    out: list[str] = []
    meta = pdf.Root.get("/Metadata")
    if meta is None:
        return ["6.6.2.1: no XMP metadata stream in the catalogue"]
    if "/Filter" in meta:
        out.append("6.6.2.1: the metadata stream is compressed")
    raw = meta.read_bytes()
    head = re.match(rb"<\?xpacket ([^?]*)\?>", raw)
    if head is None:
        out.append("6.6.2.2: no xpacket header")
    elif re.search(rb"\b(bytes|encoding)=", head.group(1)):
        out.append("6.6.2.2: the xpacket header has a bytes or encoding attribute")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        return out + [f"6.6.2.1: the XMP does not parse: {exc}"]
    descs = root.findall(f".//{{{RDF}}}Description")
    props: dict[str, ET.Element] = {}
    used_ns: set[tuple[str, str]] = set()
    extension_nodes = set()
    for d in descs:
        for schemas in d.findall(f"{{{NS['pdfaExtension']}}}schemas"):
            extension_nodes.update(schemas.iter())
    for d in descs:
        for child in d:
            if child in extension_nodes:
                continue
            ns, local = child.tag[1:].split("}")
            used_ns.add((ns, local))
            props.setdefault(f"{ns}|{local}", d)
    # Extension schemas: every property outside the predefined schemas is described.
    described: set[tuple[str, str]] = set()
    for schema in root.iter(f"{{{RDF}}}li"):
        uri = schema.find(f"{{{NS['pdfaSchema']}}}namespaceURI")
        if uri is None:
            continue
        prefix = schema.find(f"{{{NS['pdfaSchema']}}}prefix")
        if prefix is None or not (prefix.text or "").strip():
            out.append(f"6.6.2.3.2: the extension schema for {uri.text} has no prefix")
        for prop in schema.iter(f"{{{RDF}}}li"):
            name = prop.find(f"{{{NS['pdfaProperty']}}}name")
            if name is not None:
                for key in ("valueType", "category", "description"):
                    if prop.find(f"{{{NS['pdfaProperty']}}}{key}") is None:
                        out.append(f"6.6.2.3.2: property {name.text} of {uri.text} has no {key}")
                described.add(((uri.text or "").strip(), (name.text or "").strip()))
    for ns, local in sorted(used_ns):
        if ns not in PREDEFINED and (ns, local) not in described:
            out.append(f"6.6.2.3.1: XMP property {local} of {ns} is neither predefined nor described in an extension schema")

    def value(qname: str):
        prefix, local = qname.split(":")
        d = props.get(f"{NS[prefix]}|{local}")
        return None if d is None else _xmp_text(d, qname)

    if value("pdfaid:part") != "2":
        out.append(f"6.6.4: pdfaid:part is {value('pdfaid:part')!r}, not 2")
    if value("pdfaid:conformance") != "A":
        out.append(f"6.6.4: pdfaid:conformance is {value('pdfaid:conformance')!r}, not A")
    if value("pdfuaid:part") != "1":
        out.append(f"PDF/UA-1 5: pdfuaid:part is {value('pdfuaid:part')!r}, not 1")
    info = pdf.trailer.get("/Info")
    info = {} if info is None else info
    for key, qname in INFO_XMP.items():
        if key not in info:
            continue
        have, want = value(qname), str(info[key])
        if key == "/Trapped":
            want = want.lstrip("/")
        if isinstance(have, list):
            have = ", ".join(have)  # dc:creator: the Info Author is the Seq's items
        if have != want:
            out.append(f"6.6.3: Info {key} {want!r} but XMP {qname} {have!r}")
    for key, qname in INFO_DATES.items():
        if key in info:
            have = value(qname)
            if have is None or _pdf_date(str(info[key])) != _xmp_date(have):
                out.append(f"6.6.3: Info {key} {str(info[key])!r} but XMP {qname} {have!r}")
    lang = value("dc:language")
    if "/Lang" in pdf.Root and lang != [str(pdf.Root.Lang)]:
        out.append(f"dc:language {lang!r} is not the catalogue's /Lang {str(pdf.Root.Lang)!r}")
    return out


def _pdf_date(s: str) -> str:
    """D:YYYYMMDDHHmmSS+HH'mm' as an instant, normalised to UTC text."""
    from datetime import datetime, timedelta, timezone

    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([+-])(\d\d)'(\d\d)'?|Z)?", s)
    if m is None:
        return f"unreadable {s}"
    y, mo, d, h, mi, se = (int(x) for x in m.groups()[:6])
    off = 0 if m.group(7) is None else (1 if m.group(7) == "+" else -1) * (int(m.group(8)) * 60 + int(m.group(9)))
    t = datetime(y, mo, d, h, mi, se, tzinfo=timezone(timedelta(minutes=off)))
    return t.astimezone(timezone.utc).isoformat()


def _xmp_date(s: str) -> str:
    from datetime import datetime, timezone

    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(timezone.utc).isoformat()
    except ValueError:
        return f"unreadable {s}"


def _output_intent_problems(pdf: pikepdf.Pdf) -> list[str]:
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFA1"]
    if len(intents) != 1:
        return [f"6.2.3: {len(intents)} GTS_PDFA1 output intents, not one"]
    profile = intents[0].get("/DestOutputProfile")
    if profile is None:
        return ["6.2.3: the output intent has no embedded ICC profile"]
    data = profile.read_bytes()
    out = []
    if int(profile.get("/N", 0)) != 3 or data[16:20] != b"RGB ":
        out.append("6.2.3: the output profile is not a 3-component RGB profile")
    if data[12:16] not in (b"mntr", b"prtr"):
        out.append(f"6.2.3: the output profile's class {data[12:16]!r} is neither monitor nor printer")
    if data[8] > 4:
        out.append(f"6.2.3: the output profile's ICC version {data[8]} is above 4")
    return out


def _font_problems(font: pikepdf.Dictionary, name: str) -> list[str]:
    from fontTools.ttLib import TTFont

    out = []
    if "/ToUnicode" not in font:
        out.append(f"6.2.11.7.2: font {name} has no ToUnicode")
    subtype = font.get("/Subtype")
    fonts = [font.DescendantFonts[0]] if subtype == "/Type0" else [font]
    for f in fonts:
        fd = f.get("/FontDescriptor")
        if fd is None or not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            out.append(f"6.2.11.4.1: font {name} is not embedded")
            continue
        if subtype == "/TrueType" and "/FontFile2" in fd:
            tt = TTFont(io.BytesIO(fd.FontFile2.read_bytes()))
            symbolic = int(fd.get("/Flags", 0)) & 4
            tables = [(t.platformID, t.platEncID) for t in tt["cmap"].tables]
            if symbolic and "/Encoding" in font:
                out.append(f"6.2.11.6: symbolic TrueType font {name} has an Encoding")
            if symbolic and len(tables) != 1 and (3, 0) not in tables:
                out.append(f"6.2.11.6: symbolic TrueType font {name}'s cmap has {tables}")
            # 6.2.11.5: the Widths say what the font program says.
            cmap = tt["cmap"].tables[0].cmap
            upem = tt["head"].unitsPerEm
            for code, w in enumerate(font.get("/Widths", []), int(font.get("/FirstChar", 0))):
                glyph = cmap.get(code)
                if glyph is not None and abs(tt["hmtx"][glyph][0] * 1000 / upem - float(w)) > 1:
                    out.append(f"6.2.11.5: font {name} code {code}: width {float(w)} but the program's {tt['hmtx'][glyph][0] * 1000 / upem}")
    return out


def _content_problems(pdf: pikepdf.Pdf) -> list[str]:
    out = []
    for number, page in enumerate(pdf.pages, 1):
        depth = deepest = 0
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in CMYK_OPERATORS:
                out.append(f"6.2.4.3: page {number} sets a DeviceCMYK colour ({op}) with an RGB output intent")
            elif op in ("cs", "CS") and str(operands[0]) == "/DeviceCMYK":
                out.append(f"6.2.4.3: page {number} uses DeviceCMYK")
            elif op == "q":
                depth += 1
                deepest = max(deepest, depth)
            elif op == "Q":
                depth -= 1
        if deepest > 28:
            out.append(f"6.1.13: page {number} nests q {deepest} deep (28 at most)")
    return out


def syntax_problems(pdf: pikepdf.Pdf) -> list[str]:
    """qpdf's structural check of the whole file (pikepdf 10's ``check_pdf_syntax``,
    ``check`` before it)."""
    check = getattr(pdf, "check_pdf_syntax", None) or pdf.check
    return [str(p) for p in check()]


def _every_dictionary(pdf: pikepdf.Pdf):
    """(where, dictionary or stream) for every dictionary of the file, indirect
    or held directly inside another (an action, an annotation's border …), once."""
    def inside(obj, where):
        if isinstance(obj, pikepdf.Stream):
            yield where, obj
            children = obj.stream_dict.values()
        elif isinstance(obj, pikepdf.Dictionary):
            yield where, obj
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            return
        for child in children:
            if isinstance(child, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)) and not child.is_indirect:
                yield from inside(child, where)

    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
            yield from inside(obj, f"object {obj.objgen[0]}")
    yield from inside(pdf.trailer, "trailer")


def problems(data: bytes) -> list[str]:
    """What keeps the file from PDF/A-2a, as far as these checks see: [] if nothing."""
    out: list[str] = []
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", data):
        out.append("6.1.2: the header is not %PDF-1.n followed by a comment of four bytes above 127")
    if not re.search(rb"%%EOF\r?\n?$", data):
        out.append("6.1.3: data after the last %%EOF")
    pdf = pikepdf.open(io.BytesIO(data))
    out += [f"syntax (qpdf): {w}" for w in syntax_problems(pdf)]
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        out.append("6.1.3: the file is encrypted")
    if "/ID" not in pdf.trailer:
        out.append("6.1.3: the trailer has no ID")
    out += _xmp_problems(pdf)
    out += _output_intent_problems(pdf)
    root = pdf.Root
    if "/MarkInfo" not in root or not bool(root.MarkInfo.get("/Marked", False)):
        out.append("6.7.2.2: MarkInfo Marked is not true")
    if "/StructTreeRoot" not in root:
        out.append("6.7.3: no structure tree")
    if "/Lang" not in root:
        out.append("6.7.4: no /Lang")
    if "/AA" in root:
        out.append("6.6.2: the catalogue has additional actions (AA)")
    if "/AcroForm" in root and bool(root.AcroForm.get("/NeedAppearances", False)):
        out.append("6.4.1: the form asks for appearances to be made (NeedAppearances)")
    if "/Names" in root and ("/JavaScript" in root.Names or "/EmbeddedFiles" in root.Names):
        out.append("6.6.1 / 6.8: the name tree holds JavaScript or embedded files")
    fonts = 0
    for where, obj in _every_dictionary(pdf):
        d = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
        if isinstance(obj, pikepdf.Stream):
            for key in ("/F", "/FFilter", "/FDecodeParms"):
                if key in d:
                    out.append(f"6.1.7.1: {where}: stream data outside the file ({key})")
            filters = d.get("/Filter")
            filters = [] if filters is None else list(filters) if isinstance(filters, pikepdf.Array) else [filters]
            if "/LZWDecode" in [str(f) for f in filters]:
                out.append(f"6.1.7.2: {where}: LZW")
        if "/JS" in d or d.get("/S") == "/JavaScript":
            out.append(f"6.6.1: {where}: JavaScript")
        if d.get("/S") in FORBIDDEN_ACTIONS and "/P" not in d:  # an action (a structure element has a parent)
            out.append(f"6.6.1: {where}: action {d.get('/S')}")
        if d.get("/Type") == "/Filespec" or "/EmbeddedFiles" in d or "/EF" in d:
            out.append(f"6.8: {where}: a file specification or embedded file")
        if d.get("/Type") == "/Annot":
            if d.get("/Subtype") not in ("/Link", "/Popup") and "/AP" not in d:
                out.append(f"6.3.3: {where}: annotation without an appearance")
            if not int(d.get("/F", 0)) & 4 or int(d.get("/F", 0)) & (1 | 2 | 32):
                out.append(f"6.3.2: {where}: annotation not printed, or hidden")
            if d.get("/Subtype") in ("/FileAttachment", "/Sound", "/Movie", "/Screen", "/3D"):
                out.append(f"6.3.1: {where}: annotation type {d.get('/Subtype')}")
        if d.get("/Type") == "/ExtGState":
            if "/TR" in d or ("/TR2" in d and d.get("/TR2") != "/Default") or "/HTP" in d or "/HTO" in d:
                out.append(f"6.2.5: {where}: transfer function or halftone origin in a graphics state")
            bm = d.get("/BM")
            for mode in ([] if bm is None else list(bm) if isinstance(bm, pikepdf.Array) else [bm]):
                if str(mode) not in STANDARD_BLEND_MODES:
                    out.append(f"6.2.10: {where}: blend mode {mode}")
        if d.get("/Subtype") == "/Image":
            if bool(d.get("/Interpolate", False)):
                out.append(f"6.2.8: {where}: an image with Interpolate true")
            for key in ("/Alternates", "/OPI"):
                if key in d:
                    out.append(f"6.2.8: {where}: an image with {key}")
            if d.get("/ColorSpace") == "/DeviceCMYK":
                out.append(f"6.2.4.3: {where}: a DeviceCMYK image with an RGB output intent")
            if int(d.get("/BitsPerComponent", 8)) not in (1, 2, 4, 8, 16):
                out.append(f"6.2.8: {where}: BitsPerComponent {d.get('/BitsPerComponent')}")
        if d.get("/Subtype") == "/PS" or (d.get("/Subtype") == "/Form" and ("/Ref" in d or "/OPI" in d)):
            out.append(f"6.2.9: {where}: a PostScript or reference XObject")
        if d.get("/Type") == "/Font" and d.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2"):
            fonts += 1
            out += _font_problems(d, str(d.get("/BaseFont")))
        for v in d.values():
            if isinstance(v, pikepdf.String) and len(bytes(v)) > 32767:
                out.append(f"6.1.13: {where}: a string longer than 32767 bytes")
            if isinstance(v, pikepdf.Name) and len(str(v).encode()) > 128:
                out.append(f"6.1.13: {where}: a name longer than 127 bytes")
    if not fonts:
        out.append("no font found to check")
    out += _content_problems(pdf)
    return out
