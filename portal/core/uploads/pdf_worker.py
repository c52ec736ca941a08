"""Inspect one PDF for active content. Runs as a child process of `portal.core.uploads.pdf`.

    python -I pdf_worker.py PATH CPU_SECONDS MEMORY_BYTES MAX_OBJECTS

prints one JSON object, {"verdict": ..., "detail": ...}, and exits 0 at once; a child that runs out
of CPU time is killed by SIGPROF; when it runs out of memory, qpdf reports an object it could not
allocate (or Python a MemoryError), which is "too_complex" as well.

It imports the standard library and pikepdf only (no Django, nothing of the web process), so it
starts in about 0.1 s; the limits are set before the file is read.

What is checked, with qpdf (through pikepdf) doing all of the parsing:
1. The file opens, strictly first, then (when that fails) with qpdf's repair of damaged files,
   which gets at most half of the CPU time. A file it cannot open, an object it cannot parse, or
   an object stream it cannot decode make the file "unreadable": a viewer that reads what qpdf
   cannot would see objects that were never checked. A password-protected file is "encrypted".
2. At most MAX_OBJECTS objects, counted in the cross-reference table before any object is parsed.
3. Every object (those inside object streams included, decoded by qpdf whatever their filter) is
   serialised by qpdf as JSON, where a name is exactly `"/Name"` (escapes decoded) and a string is
   `"u:text"` or `"b:hex"`: names that run scripts, start programs, submit or import data, carry
   files, rich media or XFA are refused; `/AA` (actions run by themselves) is refused;
   `/OpenAction` only when it does something other than open the document at a page; `/URI` with
   a `javascript:` or `vbscript:` scheme and strings with markup are refused. Names are matched by
   one regular expression over the JSON text; an object with strings that need decoding is walked.
   An object stream that no cross-reference entry uses gets its decoded bytes scanned as in 4.
   Stream data is never decoded otherwise: names live in dictionaries, and an image never needs
   inflating to be checked.
4. The raw file bytes outside stream data: the same names (with `#xx` escapes) and markup. qpdf
   skips bytes between objects and after the end of the file, and other readers may not; bytes
   inside stream data are exempt (no reader parses them as objects), which is what keeps genuine
   compressed scans, whose bytes read like `<svg ` or `/JS ` now and then, from being refused.
   Both scans are single regular-expression passes: linear in the file size.
"""

import json
import os
import re
import resource
import signal
import sys

# Names refused wherever they appear (key or value), by reason; compared case-insensitively.
REASONS = {
    "script": ("/javascript", "/js"),
    "external": ("/launch", "/submitform", "/importdata", "/gotoe", "/gotor"),
    "attachment": ("/embeddedfile", "/embeddedfiles", "/ef", "/fileattachment"),
    "interactive": ("/richmedia", "/richmediaexecute", "/xfa"),
    "auto_action": ("/aa",),
}
DANGEROUS = {name: reason for reason, names in REASONS.items() for name in names}
# Reported first when a file has several.
PRIORITY = ("script", "external", "attachment", "interactive", "auto_action", "markup")
DELIMITED = rb"(?![^\x00\t\n\x0c\r /<>\[\]()%{}])"  # the name ends here
HEX_ESCAPE = re.compile(rb"#([0-9a-f]{2})")
JSON_HEX_ESCAPE = re.compile(r"#([0-9a-fA-F]{2})")


def _escapable(name: str) -> bytes:
    """A lower-case name, without its slash, as a pattern over lower-cased bytes: each letter
    also as its `#xx` escape."""
    return b"".join(b"(?:%s|#%02x|#%02x)" % (re.escape(ch.encode()), ord(ch.upper()), ord(ch)) for ch in name[1:])


# The patterns run over lower-cased bytes (`bytes.lower()` is ASCII-only) and each starts with one
# literal byte, which lets the regular expression engine jump from one `/`, `<` or `script:` to the
# next (with re.I, or with alternatives that start differently, it tries every position: 20×
# slower on a 10 MB scan).
RAW_DANGEROUS = re.compile(rb"/(?:" + rb"|".join(_escapable(name) for name in DANGEROUS) + rb")" + DELIMITED)
# Markup or script that a browser (or PHP) would run. A tag name must end where a browser ends it,
# which keeps random bytes from matching by chance (`<svg` and a delimiter: about once in 2·10¹⁰
# positions). Also used for images and text (portal.core.uploads.content).
MARKUP_TAG = re.compile(
    rb"<(?:\s*(?:script|html|svg|iframe|object|embed|body|meta|form|frameset)[\s/>]|\?(?:xml|php)[\s?])"
)
SCRIPT_URL = re.compile(rb"script:")


def markup_tokens(lowered: bytes) -> list[bytes]:
    """Markup in lower-cased bytes: tags, and `javascript:`/`vbscript:` URLs."""
    tokens = MARKUP_TAG.findall(lowered)
    for match in SCRIPT_URL.finditer(lowered):
        start = match.start()
        if lowered[max(0, start - 4) : start] == b"java":
            tokens.append(b"javascript:")
        elif lowered[max(0, start - 2) : start] == b"vb":
            tokens.append(b"vbscript:")
    return tokens


SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript):", re.I)
URI_NOISE = re.compile(r"[\x00-\x20]")  # browsers drop these from a URL's scheme


pikepdf = None  # imported by set_limits(), under the CPU timer


class Refused(Exception):
    def __init__(self, verdict: str, detail: str = ""):
        super().__init__(verdict)
        self.verdict, self.detail = verdict, detail


def set_limits(cpu_seconds: float, memory_bytes: int) -> None:
    """CPU time as a profiling timer, started before pikepdf is imported (fractions of a second;
    SIGPROF's default action ends the process); address space: what the interpreter and pikepdf
    use once imported plus `memory_bytes`; no core dumps, no files written."""
    global pikepdf
    signal.signal(signal.SIGPROF, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    import pikepdf

    with open("/proc/self/statm") as statm:
        used = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (used + memory_bytes, used + memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def raw_name(token: bytes) -> str:
    return HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), token).decode("latin-1").lower()


def raw_findings(lowered: bytes) -> dict[bytes, str]:
    """Tokens in lower-cased raw bytes that would be refused: token → reason."""
    found = {match.group(): DANGEROUS[raw_name(match.group())] for match in RAW_DANGEROUS.finditer(lowered)}
    found.update((token, "markup") for token in markup_tokens(lowered))
    return found


def count(reason: str, data: bytes, token: bytes) -> int:
    """How often `token` is found in `data` by the same scan that found it."""
    if reason == "markup":
        return markup_tokens(data).count(token)
    return sum(1 for match in RAW_DANGEROUS.finditer(data) if match.group() == token)


def check_raw_bytes(data: bytes, stream_objects: list, findings: dict) -> None:
    """Note tokens found outside stream data (every occurrence inside a stream is exempt)."""
    lowered = data.lower()
    found = raw_findings(lowered)
    if not found:
        return
    streams = [obj.read_raw_bytes().lower() for obj in stream_objects]
    for token, reason in found.items():
        if count(reason, lowered, token) > sum(count(reason, raw, token) for raw in streams):
            findings.setdefault(reason, token.decode("latin-1"))


def json_name(value: str) -> str:
    """A name as qpdf's JSON writes it: "/Name", or "n:/N#xxame" when not valid UTF-8."""
    if value.startswith("n:"):
        value = JSON_HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value[2:])
    return value.lower()


def string_text(value: str) -> bytes:
    """A string as qpdf's JSON writes it ("u:text" or "b:hex"), as bytes for the markup check."""
    if value.startswith("u:"):
        return value[2:].encode("utf-8", "surrogatepass")
    try:
        return bytes.fromhex(value[2:])
    except ValueError:
        return value.encode("utf-8", "surrogatepass")


def is_destination(action) -> bool:
    """An /OpenAction that only says where to open: a destination (array, or a named one) or a
    plain go-to action."""
    if isinstance(action, (pikepdf.Array, pikepdf.String, pikepdf.Name)):
        return True
    if isinstance(action, pikepdf.Dictionary):
        return action.get("/S") == pikepdf.Name.GoTo and "/Next" not in action
    return False


def walk(value, findings: dict, *, root: bool, open_action_reason) -> None:
    """Walk one object's JSON (iteratively: nesting depth is no concern), noting what is refused."""
    stack = [(value, None)]
    while stack:
        node, key = stack.pop()
        if isinstance(node, dict):
            for name, child in node.items():
                lowered = json_name(name)
                reason = DANGEROUS.get(lowered)
                if reason:
                    findings.setdefault(reason, name)
                if lowered == "/openaction":
                    reason = "auto_action" if not root else open_action_reason()
                    if reason:
                        findings.setdefault(reason, name)
                stack.append((child, lowered))
        elif isinstance(node, list):
            stack.extend((child, None) for child in node)
        elif isinstance(node, str):
            if node.startswith("/") or node.startswith("n:/"):
                reason = DANGEROUS.get(json_name(node))
                if reason:
                    findings.setdefault(reason, node)
            elif node.startswith(("u:", "b:")):
                text = string_text(node)
                if key == "/uri" and SCRIPT_SCHEME.match(URI_NOISE.sub("", text.decode("utf-8", "replace"))):
                    findings.setdefault("script", "/URI")
                if markup_tokens(text.lower()):
                    findings.setdefault("markup", "string")


JSON_DANGEROUS = re.compile(rb'"(' + rb"|".join(re.escape(name.encode()) for name in DANGEROUS) + rb')"')
# Anything in an object's JSON that needs decoding before it can be judged: binary strings,
# escaped names, what might be markup or a script scheme, the open action, links.
NEEDS_WALK = re.compile(rb'"b:|"n:|<|script|"/openaction"|"/uri"')


def check_json(text: bytes, findings: dict, *, root: bool, open_action_reason) -> None:
    """Judge one object's JSON: names by one regular expression over its text (a JSON string that
    is a name is exactly `"/Name"`), the rest, when present, by walking the decoded JSON."""
    lowered = text.lower()
    if NEEDS_WALK.search(lowered):
        walk(json.loads(text), findings, root=root, open_action_reason=open_action_reason)
        return
    for match in JSON_DANGEROUS.finditer(lowered):
        name = match.group(1).decode()
        findings.setdefault(DANGEROUS[name], name)


def inspect(path: str, max_objects: int, *, repair: bool) -> None:
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        pdf = pikepdf.open(path, suppress_warnings=True, attempt_recovery=repair)
    except pikepdf.PasswordError as exc:
        raise Refused("encrypted") from exc
    except (pikepdf.PdfError, RuntimeError, ValueError) as exc:
        raise Refused("unreadable", str(exc)[-200:]) from exc
    with pdf:
        try:
            xref = pdf.get_xref_table()
        except pikepdf.PdfError as exc:
            raise Refused("unreadable", str(exc)[-200:]) from exc
        if len(xref) > max_objects:
            raise Refused("too_complex", f"{len(xref)} objects")
        referenced_streams = {entry.obj_stream_number for entry in xref.values() if entry.type == 2}
        root = pdf.Root.objgen if pdf.Root.is_indirect else None

        def open_action_reason():
            return None if is_destination(pdf.Root.get("/OpenAction")) else "auto_action"

        findings: dict[str, str] = {}
        check_json(pdf.trailer.to_json(dereference=True), findings, root=False,
                   open_action_reason=open_action_reason)
        streams = []
        for objgen, entry in xref.items():
            if entry.type == 0:
                continue
            try:
                obj = pdf.get_object(objgen)
            except pikepdf.PdfError as exc:
                raise Refused("unreadable", str(exc)[-200:]) from exc
            if obj is None:
                # qpdf reads an object it cannot parse as null, with a warning (get_warnings()
                # returns those since its last call). Out of memory is too complex; an object it
                # cannot parse is unreadable (another reader may parse it); a `null` is fine.
                warnings = " ".join(pdf.get_warnings())
                if "bad_alloc" in warnings:
                    raise Refused("too_complex", "memory")
                num, gen = objgen
                if entry.type == 2 or f"object {num} {gen}" in warnings or f"object {num}/{gen}" in warnings:
                    raise Refused("unreadable", f"object {num} {gen}")
                continue
            if isinstance(obj, pikepdf.Stream):
                streams.append(obj)
                if obj.stream_dict.get("/Type") == pikepdf.Name.ObjStm and objgen[0] not in referenced_streams:
                    check_orphan_object_stream(obj, findings)
                text = obj.stream_dict.to_json(dereference=True)
            else:
                text = obj.to_json(dereference=True)
            check_json(text, findings, root=objgen == root, open_action_reason=open_action_reason)
        check_raw_bytes(data, streams, findings)
        if findings:
            reason = min(findings, key=PRIORITY.index)
            raise Refused(reason, findings[reason])


def check_orphan_object_stream(obj, findings: dict) -> None:
    """An object stream no cross-reference entry points into: qpdf never parses its objects, a
    reader that rebuilds the table might. Its decoded bytes get the raw-bytes check."""
    try:
        decoded = obj.read_bytes()
    except (pikepdf.PdfError, RuntimeError, ValueError) as exc:
        raise Refused("unreadable", "object stream") from exc
    for token, reason in raw_findings(decoded.lower()).items():
        findings.setdefault(reason, token.decode("latin-1"))


def main(argv: list[str]) -> None:
    path, cpu_seconds, memory_bytes, max_objects = argv[1], float(argv[2]), int(argv[3]), int(argv[4])
    set_limits(cpu_seconds, memory_bytes)
    try:
        try:
            inspect(path, max_objects, repair=False)
        except Refused as refused:
            if refused.verdict != "unreadable":
                raise
            # Damaged: again with qpdf's repair, which rebuilds the cross-reference table and
            # searches for the end of streams whose length is wrong (quadratic on some files), with
            # at most half of the CPU time.
            left = signal.getitimer(signal.ITIMER_PROF)[0]
            signal.setitimer(signal.ITIMER_PROF, min(left, cpu_seconds / 2))
            inspect(path, max_objects, repair=True)
        verdict, detail = "ok", ""
    except Refused as refused:
        verdict, detail = refused.verdict, refused.detail
    except MemoryError:
        verdict, detail = "too_complex", "memory"
    except RecursionError:
        verdict, detail = "too_complex", "nesting"
    sys.stdout.write(json.dumps({"verdict": verdict, "detail": detail}) + "\n")
    sys.stdout.flush()
    # Now, not after freeing millions of objects one by one (which can outlast the CPU timer).
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
